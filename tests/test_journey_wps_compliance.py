"""The Wage Protection System's sanctions journey through the public interfaces only: the
central bank's partner API (scope `wps`), the daily job (`manage.py wps_daily`), the police's
partner API, the portal (the establishment's compliance page, paying the fine online).

A non-compliant establishment is warned, then its new work-permit services are suspended (the
police's visa reservation is refused with `wps_non_compliant`), then fined; it pays the fine,
pays the next month correctly, and the suspension is lifted: the reservation goes through.
Factories make only what exists before: the employer, its workers, its licence and the keys.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from manpower.integration import services as integration
from manpower.licensing.tests.conftest import (  # noqa: F401  (fixtures used by name)
    seeded_agencies,
    seeded_fees,
)
from manpower.licensing.tests.factories import make_licence
from manpower.licensing.tests.test_applications import employer
from manpower.payments.tests.sandbox import pay_online
from manpower.registry.models import Employment
from manpower.wages.tests.conftest import IMMEDIATE, line, sif_text

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
POLICE = "/api/partners/v1/police/visa-reservations"
WPS = "/api/partners/v1/wps/files"


@pytest.fixture(autouse=True)
def background_at_once(settings, tmp_path):
    settings.WAGES_FILE_DIR = tmp_path / "wages"
    settings.TASKS = IMMEDIATE


def key_of(agency: str, scope: str, system_actor, now) -> str:
    return integration.partner_key_create(
        actor=system_actor, agency=integration.agency_by_code(agency), scopes=[scope], now=now
    )[1]


def salary_file(client, key, establishment, workers, *, month: int, day: str, underpaid=0):
    """The central bank posts the establishment's file for `month` of 2026, dated `day`."""
    rows = [
        line(
            e.person.civil_number, name="عامل", net="100" if n < underpaid else "150", basic="150"
        )  # fmt: skip
        for n, e in enumerate(workers)
    ]
    response = client.post(
        WPS,
        data=sif_text(rows, cr=establishment.cr_number, month=f"{month:02d}").encode(),
        content_type="text/csv",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_FILE_NAME=f"SIF_{establishment.cr_number}_BMUS_{day}_001.csv",
    )
    assert response.status_code == 202, response.content
    return response.json()


def daily(moment: str) -> None:
    call_command("wps_daily", now=moment, stdout=open("/dev/null", "w"))  # noqa: SIM115


def reserve(client, key, visa: str, licence_number: str):
    body = {
        "licence_number": licence_number,
        "occupation_code": "7112",
        "nationality": "IND",
        "gender": "M",
        "visa_number": visa,
    }
    return client.post(
        POLICE, data=json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip


def test_non_compliant_suspended_visa_refused_pays_compliant_lifted(
    client, system_actor, now, django_capture_on_commit_callbacks
):
    establishment, representative = employer(nationals=2, non_nationals=8)
    Employment.objects.filter(establishment=establishment).update(start_date=dt.date(2026, 9, 1))
    workers = list(Employment.objects.filter(establishment=establishment).order_by("id"))
    licence = make_licence(establishment=establishment, issued=3)
    bank = key_of("central-bank", "wps", system_actor, now)
    police = key_of("rop", "police", system_actor, now)

    # October: 3 of 10 workers paid below their wage (70%, under 90%).
    october = salary_file(client, bank, establishment, workers, month=10, day="20261103",
                          underpaid=3)  # fmt: skip
    assert (october["status"], october["error_count"]) == ("CHECKED", 3)
    daily("2026-11-04T06:00:00+00:00")  # the day after the due date: a warning
    daily("2026-11-18T06:00:00+00:00")  # 15 days after: suspended

    representative.language = "en"
    representative.save(update_fields=["language"])
    client.force_login(representative)
    page = client.get(reverse("wages:compliance", args=[establishment.cr_number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "70.00%" in html and "net_below_wage" in html and "suspended" in html

    refused = reserve(client, police, "V-WPS0001", licence.number)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "wps_non_compliant"
    assert establishment.cr_number in problem["detail_ar"] and problem["detail_en"]

    # 30 days after: fined RO 50 for each of the 3 workers; the employer pays online.
    daily("2026-12-03T05:00:00+00:00")
    fine = client.get(reverse("api:wages-compliance"), {"cr": establishment.cr_number}).json()
    assert fine["wps_suspended"] is True
    invoices = client.get(reverse("payments:invoices")).content.decode()
    number = next(
        word for word in invoices.replace('"', " ").replace("/", " ").split()
        if word.startswith("INV-")
    )  # fmt: skip
    assert "150.000" in client.get(reverse("payments:invoice", args=[number])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert pay_online(client, number).status_code == 302
    assert reserve(client, police, "V-WPS0002", licence.number).status_code == 409

    # November paid correctly and on time: compliant, the fine paid: lifted.
    salary_file(client, bank, establishment, workers, month=11, day="20261203")
    daily("2026-12-04T06:00:00+00:00")

    answer = client.get(reverse("api:wages-compliance"), {"cr": establishment.cr_number}).json()
    assert answer["wps_suspended"] is False
    assert [(m["salary_month"], m["compliant"]) for m in answer["months"]] == [
        (11, True),
        (10, False),
    ]
    accepted = reserve(client, police, "V-WPS0003", licence.number)
    assert accepted.status_code == 201, accepted.content
