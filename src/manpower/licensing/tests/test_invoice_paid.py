"""A licence fee paid online issues the licence at once: payments' `invoice_paid` reaches
licensing's receiver; the polling task is only the safety net."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.licensing import services
from manpower.licensing.models import Licence, LicenceApplication
from manpower.licensing.services import applications
from manpower.payments.tests.sandbox import DECLINED_CARD, pay_online

from .conftest import pay
from .factories import make_licence
from .test_views import apply_private, household_client

pytestmark = pytest.mark.django_db
A = LicenceApplication.Status


@pytest.fixture
def polling_not_called(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("the polling task was called")

    monkeypatch.setattr(services, "applications_issue_paid", refuse)


def test_paying_online_issues_the_licence_at_once(
    client, polling_not_called, django_capture_on_commit_callbacks
):
    household_client(client)
    apply_private(client)
    application = LicenceApplication.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        declined = pay_online(client, application.invoice_number, DECLINED_CARD)
    assert declined.status_code == 302
    application.refresh_from_db()
    assert application.status == A.AWAITING_PAYMENT and not Licence.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        paid = pay_online(client, application.invoice_number)

    assert paid.status_code == 302
    application.refresh_from_db()
    licence = Licence.objects.get()
    assert application.status == A.ISSUED and licence.application == application
    page = client.get(reverse("licensing:application", args=[application.number]))
    assert licence.number in page.content.decode()
    # The applicant's own "I have paid" finds the licence already there.
    again = client.post(reverse("licensing:payment", args=[application.number]))
    assert again["Location"] == reverse("licensing:licence", args=[licence.number])


@pytest.mark.django_db(transaction=True)
def test_a_committed_online_payment_issues_the_licence_within_the_payers_request(
    client, polling_not_called
):
    household_client(client)
    apply_private(client)
    application = LicenceApplication.objects.get()

    assert pay_online(client, application.invoice_number).status_code == 302

    application.refresh_from_db()
    assert application.status == A.ISSUED
    assert Licence.objects.filter(application=application).exists()


def test_a_refusal_in_the_receiver_is_logged_and_the_polling_task_issues_later(
    client, caplog, monkeypatch, now, django_capture_on_commit_callbacks
):
    household_client(client)
    apply_private(client)
    application = LicenceApplication.objects.get()

    def refuse(**kwargs):
        raise services.StatusConflict("Changed meanwhile")

    confirm = services.application_payment_confirm
    # The receiver's service calls it inside its own module.
    monkeypatch.setattr(applications, "application_payment_confirm", refuse)
    with (
        caplog.at_level("WARNING", logger="manpower.licensing.receivers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        paid = pay_online(client, application.invoice_number)

    assert paid.status_code == 302 and paid.url.startswith("/payments/return/")
    assert f"Licence of invoice {application.invoice_number} not issued" in caplog.text
    application.refresh_from_db()
    assert application.status == A.AWAITING_PAYMENT

    monkeypatch.setattr(applications, "application_payment_confirm", confirm)
    assert services.applications_issue_paid(actor=Actor.system(), now=timezone.now()) == 1
    application.refresh_from_db()
    assert application.status == A.ISSUED


def test_the_periodic_command_issues_paid_licences_and_expires_old_ones(client, capsys):
    household_client(client)
    apply_private(client)
    application = LicenceApplication.objects.get()
    pay(application, timezone.now())  # its after-commit signal is lost: no commit in a test
    old = make_licence(valid_until=dt.date(2026, 1, 31), number="WP-OLD")

    call_command("licensing_periodic")

    assert json.loads(capsys.readouterr().out) == {"issued": 1, "expired": 1}
    application.refresh_from_db()
    old.refresh_from_db()
    assert (application.status, old.status) == (A.ISSUED, Licence.Status.EXPIRED)
