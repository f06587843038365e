"""Data modification, the departure form and the daily job (transfers: test_transfer.py)."""

import datetime as dt

import pytest
from django.core.management import call_command

from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.labourcards import services, tasks
from manpower.labourcards.models import CardRequest, LabourCard
from manpower.notifications.selectors import notifications_of
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


# --- Data modification ---------------------------------------------------------------------------


def test_modification_keeps_the_previous_values_in_the_audit_log(card, employer_actor, now):
    from manpower.core.models import Nationality

    bangladesh = Nationality.objects.get_or_create(
        code="BGD", defaults={"alpha2": "BD", "name_en": "Bangladesh", "name_ar": "بنغلاديش"}
    )[0]
    person = card.employment.person
    old_name = person.name_en
    result = services.worker_data_modify(
        actor=employer_actor,
        now=now,
        card=card,
        name_en="  Ravi Kumar ",
        name_ar="رافي كومار",
        passport_number="z 9876543",
        nationality=bangladesh,
    )

    person.refresh_from_db()
    assert (person.name_en, person.passport_number, person.nationality_id) == (
        "Ravi Kumar",
        "Z9876543",
        "BGD",
    )
    event = AuditEvent.objects.get(action="person.modified", changes__has_key="name_en")
    assert event.changes["name_en"] == [old_name, "Ravi Kumar"]
    assert event.changes["passport_number"] == ["K1234567", "Z9876543"]
    assert event.changes["nationality_id"] == ["IND", "BGD"]
    assert result.person_changes == event.changes
    card.refresh_from_db()
    reprinted = document_by_code(card.document_code)
    assert reprinted.version == 2 and "Ravi Kumar" in reprinted.payload


def test_worker_status_change_is_audited(card, employer_actor, now):
    services.worker_data_modify(
        actor=employer_actor, now=now, card=card, worker_status="LEGAL_LEAVE"
    )
    card.refresh_from_db()
    assert card.worker_status == LabourCard.WorkerStatus.LEGAL_LEAVE
    event = AuditEvent.objects.get(action="labourcard.worker_status_changed")
    assert event.changes == {"worker_status": ["WORKING", "LEGAL_LEAVE"]}


def test_resident_number_change_is_validated_and_unique(card, employer_actor, now):
    with pytest.raises(services.InvalidIdentifier):
        services.worker_data_modify(actor=employer_actor, now=now, card=card, civil_number="0999")
    PersonFactory(civil_number="79999999")
    with pytest.raises(services.IdentifierTaken):
        services.worker_data_modify(
            actor=employer_actor, now=now, card=card, civil_number="79999999"
        )
    services.worker_data_modify(actor=employer_actor, now=now, card=card, civil_number="78888888")
    card.employment.person.refresh_from_db()
    assert card.employment.person.civil_number == "78888888"


def test_passport_taken_by_another_person_is_refused(card, employer_actor, now):
    PersonFactory(passport_number="Q7777777")
    with pytest.raises(services.IdentifierTaken):
        services.worker_data_modify(
            actor=employer_actor, now=now, card=card, passport_number="Q7777777"
        )
    card.employment.person.refresh_from_db()
    assert card.employment.person.passport_number == "K1234567"


def test_a_modification_that_changes_nothing_is_refused(card, employer_actor, now):
    person = card.employment.person
    with pytest.raises(services.NothingChanged):
        services.worker_data_modify(
            actor=employer_actor, now=now, card=card, name_en=person.name_en
        )
    with pytest.raises(services.InvalidIdentifier):
        services.worker_data_modify(actor=employer_actor, now=now, card=card, name_en=" ")
    with pytest.raises(services.InvalidIdentifier):
        services.worker_data_modify(actor=employer_actor, now=now, card=card, worker_status="GONE")


# --- Departure form ------------------------------------------------------------------------------


def test_departure_form_is_printed_once_paid(card, employer_actor, pay, now):
    request = services.departure_form_request(actor=employer_actor, now=now, card=card)
    assert request.invoice.amount_baisa == 5_000
    assert request.document_code == ""
    pay(request.invoice)
    request = services.card_request_complete(actor=employer_actor, now=now, request=request)
    document = document_by_code(request.document_code)
    assert document.kind == "DEPARTURE_FORM" and card.number in document.payload


# --- Daily job -----------------------------------------------------------------------------------


def test_daily_job_expires_cards_and_lists_reminders(issue, establishment, representative, now):
    soon = issue(EmploymentFactory(establishment=establishment))
    past = issue(EmploymentFactory(establishment=establishment))
    LabourCard.objects.filter(pk=soon.pk).update(expiry_date=dt.date(2026, 12, 20))
    LabourCard.objects.filter(pk=past.pk).update(expiry_date=dt.date(2026, 11, 1))

    report = tasks.run_daily(now=now)

    assert report == {
        "completed": 0,
        "transfers_completed": 0,
        "transfers_lapsed": 0,
        "expired": 1,
        "reminded_establishments": 1,
        "reminded_households": 0,
        "reminded_cards": 1,
    }
    assert LabourCard.objects.get(pk=past.pk).status == LabourCard.Status.EXPIRED
    (reminder,) = notifications_of(user=representative)
    assert soon.number in reminder.body_en and past.number not in reminder.body_en


def test_daily_command_runs(card, capsys):
    call_command("labourcards_daily")
    assert "expired" in capsys.readouterr().out


def test_daily_task_is_enqueued_and_runs(card, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.labourcards_daily.enqueue()
    assert result.return_value["expired"] == 0
    assert CardRequest.objects.count() == 1
