"""The compliance pages and API: the establishment's months and what to fix, the officers'
non-compliant establishments, the worker's own salary history; each scoped to who asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.registry.tests.factories import EstablishmentFactory, UserFactory
from manpower.wages import services

from .conftest import line, sif_text
from .test_checks import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(workers, establishment):
    """October 2026 of the establishment: one of its two workers paid below the wage."""
    submit(sif_text([line(), line("61234568", name="فاطمة الحارثي", net="300", basic="400")]))
    services.compliance_compute(
        actor=Actor.system("test"),
        year=2026,
        month=10,
        now=dt.datetime(2026, 11, 4, tzinfo=dt.UTC),
    )
    return establishment


def english(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def test_the_establishment_sees_its_months_and_what_to_fix(client, judged, representative):
    english(client, representative)
    page = client.get(reverse("wages:compliance", args=[judged.cr_number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "50.00%" in html and "Not compliant" in html
    assert "net_below_wage" in html and "Pay at least the basic wage" in html
    # A month that was not judged, or a malformed one, shows the latest judged month's list.
    for month in ("2026-09", "2026-13", "x" * 500):
        assert client.get(page.request["PATH_INFO"], {"month": month}).status_code == 200
    # A NUL byte is refused by the platform before the page (a clear 400, never a 500).
    assert client.get(page.request["PATH_INFO"], {"month": "\x00"}).status_code == 400
    assert client.get(page.request["PATH_INFO"], {"page": "99999999"}).status_code == 200


def test_another_employers_compliance_is_not_found(client, judged):
    stranger = UserFactory(role=Role.ESTABLISHMENT_REP)
    client.force_login(stranger)
    assert client.get(reverse("wages:compliance", args=[judged.cr_number])).status_code == 404
    answer = client.get(reverse("api:wages-compliance"), {"cr": judged.cr_number})
    assert answer.status_code == 404
    assert answer.json()["code"] == "establishment_not_found"


def test_the_api_gives_the_months(client, judged, representative):
    client.force_login(representative)
    answer = client.get(reverse("api:wages-compliance"), {"cr": judged.cr_number}).json()
    assert answer == {
        "cr_number": judged.cr_number,
        "wps_suspended": False,
        "months": [
            {
                "salary_year": 2026,
                "salary_month": 10,
                "workers": 2,
                "paid_ok": 1,
                "exempt": 0,
                "share_percent": "50.00",
                "compliant": False,
            }
        ],
    }


def test_officers_see_the_non_compliant_by_size_governorate_and_sector(client, judged):
    officer = UserFactory(role=Role.OFFICER, department=Department.WAGE_PROTECTION)
    english(client, officer)
    url = reverse("wages:officers")
    html = client.get(url).content.decode()
    assert judged.name_en in html and "Small (6-25)" in html and "Muscat" in html
    assert reverse("wages:compliance", args=[judged.cr_number]) in html  # the drill-down
    other_size = client.get(url, {"size": "LARGE", "month": "2026-10"}).content.decode()
    assert judged.name_en not in other_size
    for bad in ({"month": "nonsense"}, {"page": "-1"}, {"sector": "Z" * 300}):
        assert client.get(url, bad).status_code == 200
    drill = client.get(reverse("wages:compliance", args=[judged.cr_number]))
    assert drill.status_code == 200


@pytest.mark.parametrize(
    ("role", "department"),
    [(Role.ESTABLISHMENT_REP, ""), (Role.OFFICER, Department.LICENSING), (Role.INDIVIDUAL, "")],
)
def test_the_officers_page_is_not_found_for_others(client, judged, role, department):
    client.force_login(UserFactory(role=role, department=department))
    assert client.get(reverse("wages:officers")).status_code == 404


def test_a_worker_sees_their_own_salary_history(client, judged):
    worker = UserFactory(role=Role.INDIVIDUAL, civil_number="61234568")
    english(client, worker)
    html = client.get(reverse("wages:my-salary")).content.decode()
    assert "10/2026" in html and "300.000" in html and judged.name_en in html
    answer = client.get(reverse("api:wages-salary-history")).json()
    assert [(row["salary_month"], row["net_baisa"]) for row in answer] == [(10, 300_000)]
    assert client.get(reverse("api:wages-salary-history"), {"offset": 10**9}).status_code == 422


def test_someone_without_salary_lines_sees_none(client, judged):
    client.force_login(UserFactory(role=Role.INDIVIDUAL, civil_number=""))
    assert client.get(reverse("wages:my-salary")).status_code == 200
    assert client.get(reverse("api:wages-salary-history")).json() == []


def test_an_establishment_never_judged_has_an_empty_page(client, representative, establishment):
    client.force_login(representative)
    page = client.get(reverse("wages:compliance", args=[establishment.cr_number]))
    assert page.status_code == 200
    EstablishmentFactory()  # another, not seen
    officer = UserFactory(role=Role.OFFICER, department=Department.WAGE_PROTECTION)
    client.force_login(officer)
    assert client.get(reverse("wages:officers")).status_code == 200


def test_an_officer_records_an_exemption_on_the_portal(client, workers, establishment):
    officer = UserFactory(role=Role.OFFICER, department=Department.WAGE_PROTECTION)
    english(client, officer)
    url = reverse("wages:exemptions")
    form = {
        "cr_number": establishment.cr_number,
        "civil_number": "61234568",
        "reason": "UNPAID_LEAVE",
        "note": "Leave from 1 October",
        "start_date": "2026-10-01",
        "end_date": "2026-10-31",
    }
    done = client.post(url, form)
    assert done.status_code == 200 and "The exemption is recorded." in done.content.decode()
    assert workers[1].wps_exemptions.count() == 1
    # Someone else's worker, a short dispute, a missing note: refused with the reason, nothing kept.
    for change, message in (
        ({"civil_number": "99999999"}, "is not employed by the establishment"),
        ({"reason": "DISPUTE", "end_date": "2026-10-10"}, "more than 30 days"),
        ({"note": ""}, "This field is required"),
    ):
        refused = client.post(url, {**form, **change})
        assert refused.status_code == 400 and message in refused.content.decode()
    assert workers[1].wps_exemptions.count() == 1


def test_the_exemptions_page_is_for_wage_protection_officers(client, workers):
    client.force_login(UserFactory(role=Role.OFFICER, department=Department.LICENSING))
    assert client.get(reverse("wages:exemptions")).status_code == 404
    assert client.post(reverse("wages:exemptions"), {}).status_code == 404
