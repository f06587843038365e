"""Employers are told of transfers that concern them and, once a day, of cards to renew."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.labourcards import services, tasks
from manpower.labourcards.models import LabourCard
from manpower.notifications.selectors import notifications_of
from manpower.registry.tests.factories import (
    RepresentationFactory,
    UserFactory,
    bricklayer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_representative(new_employer):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=new_employer)
    return user


def ask(card, new_employer, new_representative, now, reason=""):
    return services.transfer_request(
        actor=Actor.for_user(new_representative).acting_for(
            "establishment", new_employer.cr_number
        ),
        now=now,
        employment=card.employment,
        to_establishment=new_employer,
        licence_number="WP-LIC000001",
        occupation_code=bricklayer().code,
        basic_wage_baisa=200_000,
        reason=reason,
    )


def test_the_current_employer_is_asked_for_its_consent(
    card, new_employer, new_representative, representative, establishment, now
):
    ask(card, new_employer, new_representative, now)

    (notice,) = notifications_of(user=representative)
    worker = card.employment.person
    assert notice.subject_en == f"A transfer of your worker {worker.name_en} awaits your consent"
    assert notice.body_en == (
        f"New Horizons LLC asks that {worker.name_en} (71234567) move to it. Consent or refuse "
        "on your labour cards page."
    )
    assert worker.name_ar in notice.subject_ar and "آفاق جديدة" in notice.body_ar
    assert notice.link == f"/labour-cards/{establishment.cr_number}/#transfers-title"
    assert not notifications_of(user=new_representative).exists()


def test_the_new_employer_is_told_when_the_worker_moves(
    card, new_employer, new_representative, representative, employer_actor, pay, now
):
    asked = ask(card, new_employer, new_representative, now)
    pay(asked.invoice)

    services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    (notice,) = notifications_of(user=new_representative)
    worker = card.employment.person
    assert notice.subject_en == f"Transfer of {worker.name_en} completed"
    assert f"{worker.name_en} (71234567) now works for New Horizons LLC." in notice.body_en
    assert "آفاق جديدة" in notice.body_ar
    assert notice.link == f"/labour-cards/{new_employer.cr_number}/#transfers-title"
    assert notifications_of(user=representative).count() == 1  # only the request


def test_the_new_employer_is_told_of_a_refusal(
    card, new_employer, new_representative, employer_actor, establishment, now
):
    asked = ask(card, new_employer, new_representative, now)

    services.transfer_refuse(actor=employer_actor, now=now, transfer=asked)

    (notice,) = notifications_of(user=new_representative)
    worker = card.employment.person
    assert notice.subject_en == f"Transfer of {worker.name_en} refused"
    assert notice.body_en == (
        f"Al Noor Trading refused to let {worker.name_en} (71234567) move to New Horizons LLC."
    )
    assert "النور للتجارة" in notice.body_ar


def test_a_transfer_that_needs_no_consent_asks_nobody(
    card, new_employer, new_representative, representative, now
):
    ask(card, new_employer, new_representative, now, reason="COURT_ORDER")
    assert not notifications_of(user=representative).exists()
    assert not notifications_of(user=new_representative).exists()


@pytest.fixture
def due_card(card, now):
    """The card expires in ten days: inside the renewal window."""
    LabourCard.objects.filter(pk=card.pk).update(
        expiry_date=timezone.localdate(now) + dt.timedelta(days=10)
    )
    card.refresh_from_db()
    return card


def test_the_daily_run_reminds_each_employer_once_a_day(
    due_card, representative, establishment, now, django_capture_on_commit_callbacks
):
    colleague = RepresentationFactory(establishment=establishment).user

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.run_daily(now=now)
        again = tasks.run_daily(now=now + dt.timedelta(hours=3))

    assert first["reminded_establishments"] == again["reminded_establishments"] == 1
    for user in (representative, colleague):
        (notice,) = notifications_of(user=user)
        assert notice.subject_en == "Labour cards due for renewal at Al Noor Trading"
        assert notice.body_en == (
            "These labour cards expire within 30 days; renew them on your labour cards page:\n"
            f"{due_card.number} — 09/12/2026"
        )
        assert "النور للتجارة" in notice.subject_ar and due_card.number in notice.body_ar
        assert notice.link == f"/labour-cards/{establishment.cr_number}/"
    assert len(mail.outbox) == 2

    tasks.run_daily(now=now + dt.timedelta(days=1))

    assert notifications_of(user=representative).count() == 2
