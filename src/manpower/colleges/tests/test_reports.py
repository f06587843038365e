"""The reports per college: enrolment, pass rates, graduates, and graduates in work within 6
and 12 months from the employment ledger."""

import datetime as dt

from manpower.colleges import selectors
from manpower.colleges.models import Student
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory


def graduate(student, day):
    Student.objects.filter(pk=student.pk).update(status="GRADUATED", graduated_date=day)


def test_enrolment_pass_rates_and_graduates(enrolled, college):
    graduate(enrolled[0], dt.date(2025, 6, 30))
    report = selectors.college_report(college=college, today=dt.date(2026, 11, 29))
    assert report.enrolment == {"ENROLLED": 1, "SUSPENDED": 0, "WITHDRAWN": 0, "GRADUATED": 1}
    assert report.students == 2
    assert [(t["term"], t["grades"], t["passed"], t["percent"]) for t in report.terms] == [
        ("2024-1", 4, 3, 75),
        ("2024-2", 2, 1, 50),
    ]
    assert report.graduates_by_year == [(2025, 1)]


def test_graduates_in_work_within_6_and_12_months_come_from_the_ledger(enrolled, college):
    salim, maryam = enrolled
    graduate(salim, dt.date(2025, 6, 30))
    graduate(maryam, dt.date(2025, 6, 30))
    # Salim starts work 8 months after graduating: in work within 12 months, not 6.
    EmploymentFactory(
        person=PersonFactory(civil_number="96123456", is_national=True),
        start_date=dt.date(2026, 2, 28),
    )
    # Maryam's job ended before she graduated: it does not count.
    EmploymentFactory(
        person=PersonFactory(civil_number="96123457", is_national=True),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 1, 1),
        status="ENDED",
    )
    report = selectors.college_report(college=college, today=dt.date(2026, 11, 29))
    assert [(e.months, e.graduates, e.employed, e.percent) for e in report.employed] == [
        (6, 2, 0, 0),
        (12, 2, 1, 50),
    ]
    # A month after graduating, neither period is over: nobody is counted yet.
    early = selectors.college_report(college=college, today=dt.date(2025, 7, 30))
    assert [(e.graduates, e.percent) for e in early.employed] == [(0, None), (0, None)]
