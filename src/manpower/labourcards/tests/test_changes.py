"""Data modification, the departure form, transfers of services and the daily job."""

import datetime as dt

import pytest
from django.core.management import call_command

from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.labourcards import services, tasks
from manpower.labourcards.models import CardRequest, LabourCard, Transfer
from manpower.licensing.services import LicenceNotFound, NoVacancy
from manpower.licensing.tests.factories import make_licence
from manpower.registry.models import Employment, Establishment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    bricklayer,
)

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


# --- Transfer of services ------------------------------------------------------------------------


@pytest.fixture
def new_employer(db):
    employer = EstablishmentFactory(name_en="New Horizons LLC")
    make_licence(establishment=employer, issued=1, number="WP-LIC000001")
    return employer


def transfer(card, new_employer, employer_actor, now, reason=""):
    return services.transfer_request(
        actor=employer_actor,
        now=now,
        employment=card.employment,
        to_establishment=new_employer,
        licence_number="WP-LIC000001",
        occupation=bricklayer(),
        basic_wage_baisa=200_000,
        reason=reason,
    )


def test_transfer_with_consent_moves_the_worker_in_one_step(
    card, new_employer, employer_actor, now
):
    asked = transfer(card, new_employer, employer_actor, now)
    assert asked.status == Transfer.Status.AWAITING_CONSENT
    card.employment.refresh_from_db()
    assert card.employment.status == Employment.Status.ACTIVE

    done = services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    assert done.status == Transfer.Status.COMPLETED
    card.refresh_from_db()
    card.employment.refresh_from_db()
    assert card.employment.status == Employment.Status.ENDED
    assert card.status == LabourCard.Status.CANCELLED and card.close_reason == "TRANSFERRED"
    new = done.to_employment
    assert (new.establishment, new.status, new.basic_wage_baisa) == (
        new_employer,
        Employment.Status.ACTIVE,
        200_000,
    )
    with pytest.raises(services.TransferClosed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)


def test_transfer_for_a_listed_reason_needs_no_consent(card, new_employer, employer_actor, now):
    done = transfer(card, new_employer, employer_actor, now, reason="DISMISSED")
    assert done.status == Transfer.Status.COMPLETED
    assert done.to_employment.establishment == new_employer


def test_a_transfer_uses_a_vacancy_of_the_new_employers_licence(
    card, new_employer, employer_actor, now
):
    transfer(card, new_employer, employer_actor, now, reason="DISMISSED")
    vacancy = new_employer.licences.get().vacancies.get()
    assert (vacancy.issued, vacancy.reserved, vacancy.used) == (1, 0, 1)


def test_a_transfer_without_a_free_vacancy_is_refused_and_changes_nothing(
    card, new_employer, employer_actor, now
):
    other = EmploymentFactory(establishment=card.employment.establishment)
    transfer(card, new_employer, employer_actor, now, reason="DISMISSED")
    with pytest.raises(NoVacancy) as error:
        services.transfer_request(
            actor=employer_actor,
            now=now,
            employment=other,
            to_establishment=new_employer,
            licence_number="WP-LIC000001",
            occupation=bricklayer(),
            basic_wage_baisa=200_000,
            reason="DISMISSED",
        )
    assert error.value.code == "no_vacancy"
    other.refresh_from_db()
    assert other.status == Employment.Status.ACTIVE
    assert not Transfer.objects.filter(from_employment=other, status="COMPLETED").exists()


def test_a_transfer_on_another_employers_licence_is_refused(card, employer_actor, now):
    stranger = EstablishmentFactory()
    make_licence(establishment=EstablishmentFactory(), number="WP-OTHER0001")
    with pytest.raises(LicenceNotFound):
        services.transfer_request(
            actor=employer_actor,
            now=now,
            employment=card.employment,
            to_establishment=stranger,
            licence_number="WP-OTHER0001",
            occupation=bricklayer(),
            basic_wage_baisa=200_000,
            reason="DISMISSED",
        )
    card.employment.refresh_from_db()
    assert card.employment.status == Employment.Status.ACTIVE


def test_reasons_without_consent_are_a_setting(card, new_employer, employer_actor, now, settings):
    settings.LABOURCARDS_TRANSFER_REASONS_WITHOUT_CONSENT = ["COURT_ORDER"]
    with pytest.raises(services.UnknownTransferReason):
        transfer(card, new_employer, employer_actor, now, reason="DISMISSED")
    assert not Transfer.objects.exists()


def test_refused_transfer_changes_no_employment(card, new_employer, employer_actor, now):
    asked = transfer(card, new_employer, employer_actor, now)
    services.transfer_refuse(actor=employer_actor, now=now, transfer=asked)
    asked.refresh_from_db()
    assert asked.status == Transfer.Status.REFUSED
    assert Employment.objects.filter(status="ACTIVE").count() == 1
    with pytest.raises(services.TransferClosed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)


def test_second_transfer_request_while_one_waits_is_refused(
    card, new_employer, employer_actor, now
):
    transfer(card, new_employer, employer_actor, now)
    with pytest.raises(services.TransferPending):
        transfer(card, EstablishmentFactory(), employer_actor, now)


def test_transfer_to_a_blocked_or_the_same_employer_is_refused(
    card, new_employer, employer_actor, now
):
    with pytest.raises(services.SameEmployer):
        transfer(card, card.employment.establishment, employer_actor, now)
    Establishment.objects.filter(pk=new_employer.pk).update(status="SUSPENDED")
    new_employer.refresh_from_db()
    with pytest.raises(services.EmployerBlocked):
        transfer(card, new_employer, employer_actor, now, reason="DISMISSED")
    card.employment.refresh_from_db()
    assert card.employment.status == Employment.Status.ACTIVE


def test_a_failed_transfer_leaves_the_old_employment(
    card, new_employer, employer_actor, now, monkeypatch
):
    """The new employment fails to start after the old one was ended: nothing is kept."""
    from manpower.registry import services as registry

    def refuse(**kwargs):
        raise registry.AlreadyEmployed("already employed")

    asked = transfer(card, new_employer, employer_actor, now)
    monkeypatch.setattr(registry, "employment_start", refuse)
    with pytest.raises(registry.AlreadyEmployed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)
    asked.refresh_from_db()
    assert asked.status == Transfer.Status.AWAITING_CONSENT
    card.refresh_from_db()
    card.employment.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE
    assert card.employment.status == Employment.Status.ACTIVE


# --- Daily job -----------------------------------------------------------------------------------


def test_daily_job_expires_cards_and_lists_reminders(issue, establishment, now, caplog):
    soon = issue(EmploymentFactory(establishment=establishment))
    past = issue(EmploymentFactory(establishment=establishment))
    LabourCard.objects.filter(pk=soon.pk).update(expiry_date=dt.date(2026, 12, 20))
    LabourCard.objects.filter(pk=past.pk).update(expiry_date=dt.date(2026, 11, 1))

    with caplog.at_level("INFO", logger="manpower.labourcards.tasks"):
        report = tasks.run_daily(now=now)

    assert report == {
        "completed": 0,
        "expired": 1,
        "reminded_establishments": 1,
        "reminded_cards": 1,
    }
    assert LabourCard.objects.get(pk=past.pk).status == LabourCard.Status.EXPIRED
    assert soon.number in caplog.text and establishment.cr_number in caplog.text


def test_daily_command_runs(card, capsys):
    call_command("labourcards_daily")
    assert "expired" in capsys.readouterr().out


def test_daily_task_is_enqueued_and_runs(card, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.labourcards_daily.enqueue()
    assert result.return_value["expired"] == 0
    assert CardRequest.objects.count() == 1
