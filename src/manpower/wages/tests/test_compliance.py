"""The payment deadline, the exemptions, the monthly compliance and the escalation ladder with
its lift, through the services as the channels and the daily job call them, `now` passed in."""

from __future__ import annotations

import datetime as dt

import pytest

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor, Channel
from manpower.core.audit import chain_problems
from manpower.core.errors import ReasonRequired
from manpower.core.models import AuditEvent
from manpower.integration.models import OutboxEvent
from manpower.notifications.selectors import notifications_of
from manpower.payments import services as payments
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory, UserFactory
from manpower.wages import selectors, services
from manpower.wages.models import Exemption, LineError, MonthlyCompliance, Sanction
from manpower.wages.services import sanctions

from .conftest import line, sif_text
from .test_checks import submit

pytestmark = pytest.mark.django_db
DAILY = Actor.system("wps-daily")
OCTOBER_DUE = dt.date(2026, 11, 3)


def at(day: dt.date, hour: int = 6) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def officer(department=Department.WAGE_PROTECTION):
    user = UserFactory(role=Role.OFFICER, department=department)
    return user, Actor(channel=Channel.STAFF, label=user.username, user_id=user.pk)


def codes(salary_file):
    return sorted((e.line_number or 0, e.code) for e in LineError.objects.filter(file=salary_file))


def both_lines():
    return [line(), line("61234568", name="فاطمة الحارثي", net="400", basic="400")]


# --- The payment deadline -------------------------------------------------------------------


def test_a_file_dated_on_the_due_date_is_on_time(workers):
    checked = submit(sif_text(both_lines()), name="SIF_1234567_BMUS_20261103_001.csv")
    assert services.due_date(2026, 10) == OCTOBER_DUE
    assert codes(checked) == []


def test_a_file_dated_after_the_due_date_pays_each_worker_late(workers):
    checked = submit(sif_text(both_lines()), name="SIF_1234567_BMUS_20261104_001.csv")
    assert codes(checked) == [(4, "paid_late"), (5, "paid_late")]
    error = LineError.objects.filter(code="paid_late").first()
    assert "03/11/2026" in error.message_en and "04/11/2026" in error.message_en
    assert error.message_ar != error.message_en


def test_the_deadline_is_a_setting(workers, settings):
    settings.WAGES_PAYMENT_DEADLINE_DAYS = 7
    checked = submit(sif_text(both_lines()), name="SIF_1234567_BMUS_20261106_001.csv")
    assert codes(checked) == []


# --- Exemptions -----------------------------------------------------------------------------


def test_a_new_hire_in_the_first_30_days_need_not_be_paid(workers, establishment):
    EmploymentFactory(establishment=establishment, start_date=dt.date(2026, 10, 5))
    older = EmploymentFactory(establishment=establishment, start_date=dt.date(2026, 9, 30))

    checked = submit(sif_text(both_lines()))

    assert codes(checked) == [(0, "worker_missing")]
    assert checked.errors.get().employee_id == older.person.civil_number


def test_an_officer_records_unpaid_leave_and_the_worker_is_left_out(workers, now):
    user, actor = officer()
    exemption = services.exemption_record(
        actor=actor,
        employment=workers[1],
        reason=Exemption.Reason.UNPAID_LEAVE,
        note="Leave approved by the employer",
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2026, 10, 31),
        now=now,
    )
    # Unpaid: not in the file at all, or paid 0 with a note; neither is an error.
    assert codes(submit(sif_text([line()]))) == []
    zero = line("61234568", name="فاطمة الحارثي", net="0", basic="0", notes="unpaid leave")
    assert codes(submit(sif_text([line(), zero]), name="SIF_1234567_BMUS_20261103_002.csv")) == []
    event = AuditEvent.objects.get(action="wps_exemption.recorded")
    assert (event.object_id, event.actor_user_id) == (str(exemption.pk), user.pk)
    assert chain_problems() == []


@pytest.mark.parametrize(
    ("reason", "days", "code"),
    [
        ("DISPUTE", 30, "exemption_too_short"),
        ("SUSPENSION", 30, "exemption_too_short"),
        ("ABSCONDING", 10, "exemption_too_short"),
        ("HOLIDAY", 60, "exemption_period_invalid"),
        ("COMMITTEE", -1, "exemption_period_invalid"),
    ],
)
def test_an_exemption_the_rules_do_not_allow_is_refused(workers, now, reason, days, code):
    _user, actor = officer()
    start = dt.date(2026, 10, 1)
    with pytest.raises(services.ExemptionPeriodInvalid.__mro__[1]) as refused:
        services.exemption_record(
            actor=actor,
            employment=workers[0],
            reason=reason,
            note="dispute",
            start_date=start,
            end_date=start + dt.timedelta(days=days - 1),
            now=now,
        )
    assert refused.value.code == code
    assert refused.value.bilingual()["ar"] != refused.value.bilingual()["en"]
    assert not Exemption.objects.exists()


def test_a_dispute_longer_than_30_days_exempts(workers, now):
    _user, actor = officer()
    services.exemption_record(
        actor=actor,
        employment=workers[1],
        reason="DISPUTE",
        note="Case 2026/77 at the labour court",
        start_date=dt.date(2026, 9, 20),
        end_date=dt.date(2026, 10, 20),
        now=now,
    )
    assert codes(submit(sif_text([line()]))) == []


def test_only_a_wage_protection_officer_records_an_exemption_and_says_why(workers, now):
    _user, licensing_officer = officer(Department.LICENSING)
    values = {
        "employment": workers[0],
        "reason": "COMMITTEE",
        "start_date": dt.date(2026, 10, 1),
        "end_date": dt.date(2026, 10, 31),
        "now": now,
    }
    with pytest.raises(Exception) as refused:
        services.exemption_record(actor=licensing_officer, note="x", **values)
    assert refused.value.code == "staff_action_not_permitted"
    with pytest.raises(ReasonRequired):
        services.exemption_record(actor=officer()[1], note="  ", **values)
    assert not Exemption.objects.exists()


# --- Monthly compliance ---------------------------------------------------------------------


def staff_of(establishment, count, wage=325_000):
    return [
        EmploymentFactory(
            establishment=establishment,
            person=PersonFactory(),
            # Hired in September: a new hire (exempt) that month, judged from October.
            start_date=dt.date(2026, 9, 1),
            basic_wage_baisa=wage,
        )
        for n in range(count)
    ]


def pay_file(establishment, employments, *, month=10, year=2026, day="20261103", serial=1,
             underpaid=0):  # fmt: skip
    rows = [
        line(
            e.person.civil_number, name="عامل", net="100" if n < underpaid else "325", basic="325"
        )  # fmt: skip
        for n, e in enumerate(employments)
    ]
    return submit(
        sif_text(rows, cr=establishment.cr_number, month=f"{month:02d}", year=str(year)),
        name=f"SIF_{establishment.cr_number}_BMUS_{day}_{serial:03d}.csv",
        now=at(dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))),
    )


def compute(year=2026, month=10, day=dt.date(2026, 11, 4)):
    services.compliance_compute(actor=DAILY, year=year, month=month, now=at(day))
    return {
        row.establishment.cr_number: (row.workers, row.paid_ok, row.exempt, row.compliant)
        for row in MonthlyCompliance.objects.filter(salary_year=year, salary_month=month)
    }


def test_compliance_is_the_share_paid_correctly_and_on_time_at_90_percent(now):
    from manpower.registry.tests.factories import EstablishmentFactory

    nine_of_ten = EstablishmentFactory(cr_number="2000001")
    eight_of_ten = EstablishmentFactory(cr_number="2000002")
    late = EstablishmentFactory(cr_number="2000003")
    silent = EstablishmentFactory(cr_number="2000004")
    EstablishmentFactory(cr_number="2000005")  # no workers: not judged
    staff = {e: staff_of(e, 10) for e in (nine_of_ten, eight_of_ten, late, silent)}
    pay_file(nine_of_ten, staff[nine_of_ten], underpaid=1)
    pay_file(eight_of_ten, staff[eight_of_ten], underpaid=2)
    pay_file(late, staff[late], day="20261105")
    # One of `silent`'s workers is on unpaid leave: 9 to pay, none paid.
    services.exemption_record(
        actor=officer()[1],
        employment=staff[silent][0],
        reason="UNPAID_LEAVE",
        note="leave",
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2026, 12, 31),
        now=now,
    )

    assert compute() == {
        "2000001": (10, 9, 0, True),
        "2000002": (10, 8, 0, False),
        "2000003": (10, 0, 0, False),
        "2000004": (9, 0, 1, False),
    }
    # Recomputing replaces the month's rows; a corrected file makes the month compliant.
    pay_file(eight_of_ten, staff[eight_of_ten], serial=2)
    assert compute()["2000002"] == (10, 10, 0, True)
    assert MonthlyCompliance.objects.filter(salary_month=10).count() == 4


def test_the_threshold_is_a_setting(settings):
    from manpower.registry.tests.factories import EstablishmentFactory

    establishment = EstablishmentFactory(cr_number="2000011")
    staff = staff_of(establishment, 10)
    pay_file(establishment, staff, underpaid=2)
    settings.WAGES_COMPLIANT_PERMYRIAD = 8000
    assert compute()["2000011"] == (10, 8, 0, True)


# --- The escalation ladder and the lift -----------------------------------------------------


@pytest.fixture
def defaulter(db):
    """An establishment of 10 workers that paid 8 correctly in October 2026, with its
    representative (who receives the notices)."""
    from manpower.registry.tests.factories import EstablishmentFactory, RepresentationFactory

    establishment = EstablishmentFactory(cr_number="3000001")
    establishment.representative = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=establishment.representative, establishment=establishment)
    staff = staff_of(establishment, 10)
    pay_file(establishment, staff, underpaid=2)
    establishment.staff = staff
    return establishment


def daily(day: dt.date):
    return services.wps_daily(actor=DAILY, now=at(day))


def steps(establishment):
    return list(
        Sanction.objects.filter(establishment=establishment)
        .order_by("taken_at", "id")
        .values_list("salary_month", "action", "unpaid_workers", "amount_baisa", "repeat")
    )


def test_the_ladder_warns_then_suspends_then_fines_each_step_once(defaulter):
    daily(OCTOBER_DUE)  # the due date itself: judged, nothing taken yet
    assert steps(defaulter) == []
    daily(OCTOBER_DUE + dt.timedelta(days=1))
    daily(OCTOBER_DUE + dt.timedelta(days=1))
    assert steps(defaulter) == [(10, "WARNING", 2, 0, False)]
    daily(OCTOBER_DUE + dt.timedelta(days=15))
    defaulter.refresh_from_db()
    assert defaulter.wps_suspended
    daily(OCTOBER_DUE + dt.timedelta(days=30))
    assert steps(defaulter) == [
        (10, "WARNING", 2, 0, False),
        (10, "SUSPENSION", 2, 0, False),
        (10, "FINE", 2, 100_000, False),
    ]
    fine = Sanction.objects.get(action="FINE")
    assert fine.invoice_number.startswith("INV-")
    notices = notifications_of(user=defaulter.representative)
    assert notices.count() == 3
    assert "100.000" in notices.order_by("-id").first().body_en
    assert AuditEvent.objects.filter(action__startswith="wps_sanction.").count() == 3
    assert AuditEvent.objects.filter(action="establishment.wps_suspended").count() == 1
    assert chain_problems() == []
    published = OutboxEvent.objects.filter(event_type__startswith="wps_").order_by("id")
    assert [(e.subject, e.event_type) for e in published] == [
        ("establishment:3000001", "wps_warning.issued"),
        ("establishment:3000001", "wps_suspension.imposed"),
        ("establishment:3000001", "wps_fine.imposed"),
    ]
    assert published[0].payload == {
        "cr_number": "3000001", "salary_year": 2026, "salary_month": 10, "unpaid_count": 2,
        "issued_at": at(OCTOBER_DUE + dt.timedelta(days=1)).astimezone(dt.UTC).isoformat(),
    }  # fmt: skip
    assert published[2].payload | {"imposed_at": None} == {
        "cr_number": "3000001", "salary_year": 2026, "salary_month": 10, "unpaid_count": 2,
        "repeat": False, "amount_baisa": 100_000, "invoice_number": fine.invoice_number,
        "imposed_at": None,
    }  # fmt: skip


def test_a_step_that_fails_publishes_nothing(defaulter, monkeypatch):
    """The event is written in the step's transaction: a step rolled back leaves no event."""

    def fail(**_kwargs):
        raise RuntimeError("the notice could not be written")

    monkeypatch.setattr(sanctions, "notify_establishment", fail)
    with pytest.raises(RuntimeError):
        daily(OCTOBER_DUE + dt.timedelta(days=1))
    assert steps(defaulter) == []
    assert not OutboxEvent.objects.filter(event_type__startswith="wps_").exists()


def test_a_compliant_establishment_is_not_sanctioned(defaulter):
    pay_file(defaulter, defaulter.staff, serial=2)
    daily(OCTOBER_DUE + dt.timedelta(days=29))  # November not due yet
    assert steps(defaulter) == []


def test_the_ladder_is_a_setting(defaulter, settings):
    settings.WAGES_ESCALATION_LADDER = [[5, "FINE"]]
    daily(OCTOBER_DUE + dt.timedelta(days=4))
    assert steps(defaulter) == []
    daily(OCTOBER_DUE + dt.timedelta(days=5))
    assert steps(defaulter) == [(10, "FINE", 2, 100_000, False)]


def test_a_fine_within_12_months_of_another_is_doubled(defaulter, settings):
    settings.WAGES_ESCALATION_LADDER = [[1, "FINE"]]
    daily(OCTOBER_DUE + dt.timedelta(days=1))
    pay_file(defaulter, defaulter.staff, month=11, day="20261203", underpaid=3)
    daily(dt.date(2026, 12, 4))
    assert steps(defaulter)[-1] == (11, "FINE", 3, 300_000, True)


def pay_fine(fine, now, capture):
    with capture(execute=True):
        payments.sanad_payment_record(
            actor=Actor(channel=Channel.SANAD, label="centre"),
            now=now,
            invoice_number=fine.invoice_number,
            centre_code="SC-001",
            reference=fine.invoice_number,
            amount_baisa=fine.amount_baisa,
        )


def test_the_suspension_is_lifted_when_compliant_again_and_the_fine_paid(
    defaulter, django_capture_on_commit_callbacks
):
    daily(OCTOBER_DUE + dt.timedelta(days=30))
    fine = Sanction.objects.get(action="FINE")
    # November paid correctly, but the fine is unpaid: still suspended.
    pay_file(defaulter, defaulter.staff, month=11, day="20261203")
    daily(dt.date(2026, 12, 4))
    defaulter.refresh_from_db()
    assert defaulter.wps_suspended

    pay_fine(fine, at(dt.date(2026, 12, 5)), django_capture_on_commit_callbacks)

    defaulter.refresh_from_db()
    assert not defaulter.wps_suspended
    fine.refresh_from_db()
    assert fine.paid_at is not None
    assert Sanction.objects.get(action="SUSPENSION").lifted_at is not None
    assert AuditEvent.objects.filter(action="establishment.wps_lifted").count() == 1
    assert AuditEvent.objects.filter(action="wps_sanction.fine_paid").count() == 1
    lifted = OutboxEvent.objects.get(event_type="wps_suspension.lifted")
    assert (lifted.subject, lifted.payload) == (
        "establishment:3000001",
        {
            "cr_number": "3000001",
            "lifted_at": at(dt.date(2026, 12, 5)).astimezone(dt.UTC).isoformat(),
        },
    )


def test_paying_the_fine_alone_does_not_lift_a_non_compliant_establishment(
    defaulter, django_capture_on_commit_callbacks
):
    daily(OCTOBER_DUE + dt.timedelta(days=30))
    pay_fine(Sanction.objects.get(action="FINE"), at(dt.date(2026, 12, 3)),
             django_capture_on_commit_callbacks)  # fmt: skip
    defaulter.refresh_from_db()
    assert defaulter.wps_suspended


def test_workers_are_free_to_transfer_after_3_months_running(defaulter):
    establishment_id = defaulter.pk
    assert not selectors.workers_free_to_transfer(establishment_id=establishment_id)
    pay_file(defaulter, defaulter.staff, month=11, day="20261203", underpaid=5)
    pay_file(defaulter, defaulter.staff, month=12, day="20270103", underpaid=5)
    for year, month, day in ((2026, 10, dt.date(2026, 11, 4)), (2026, 11, dt.date(2026, 12, 4))):
        compute(year, month, day)
    assert selectors.non_compliant_months_running(establishment_id=establishment_id) == 2
    assert not selectors.workers_free_to_transfer(establishment_id=establishment_id)
    compute(2026, 12, dt.date(2027, 1, 4))
    assert selectors.workers_free_to_transfer(establishment_id=establishment_id)
    assert not selectors.workers_free_to_transfer(establishment_id=None)


def test_a_gap_or_a_compliant_month_ends_the_run(defaulter):
    compute(2026, 10)
    pay_file(defaulter, defaulter.staff, month=12, day="20270103", underpaid=5)
    compute(2026, 12, dt.date(2027, 1, 4))  # November not judged: not running
    assert selectors.non_compliant_months_running(establishment_id=defaulter.pk) == 1


def test_months_on_the_ladder_are_those_past_their_due_date():
    from manpower.wages.services.sanctions import months_on_ladder

    assert months_on_ladder(dt.date(2026, 11, 3)) == [(2026, 8), (2026, 9)]
    assert months_on_ladder(dt.date(2026, 11, 4)) == [(2026, 9), (2026, 10)]
    assert months_on_ladder(dt.date(2027, 1, 10)) == [(2026, 11), (2026, 12)]


def test_a_suspended_establishment_is_still_active_in_the_registry(defaulter):
    daily(OCTOBER_DUE + dt.timedelta(days=15))
    defaulter.refresh_from_db()
    assert (defaulter.status, defaulter.wps_suspended) == (Establishment.Status.ACTIVE, True)
