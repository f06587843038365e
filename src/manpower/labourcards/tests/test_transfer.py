"""Transfer of services: the new employer asks and pays the fee, the current employer consents
(or the reason needs no consent), and the worker moves once both hold, in either order."""

import datetime as dt
import re
import secrets
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditEvent
from manpower.core.selectors import UnknownOccupation
from manpower.labourcards import services, tasks
from manpower.labourcards.models import LabourCard, Transfer
from manpower.licensing.services import LicenceNotFound, NoVacancy
from manpower.licensing.tests.factories import make_licence
from manpower.payments.selectors import payable_invoice_numbers
from manpower.payments.services import invoices_expire, sanad_payment_record
from manpower.payments.tests.sandbox import pay_online
from manpower.registry.models import Employment, Establishment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
)

pytestmark = pytest.mark.django_db

T = Transfer.Status
TRANSFER_FEE_BAISA = 151_000  # conftest's fee schedule


@pytest.fixture
def polling_not_called(monkeypatch):
    """Completion must come from the payment itself, not from the daily job."""

    def refuse(**kwargs):
        raise AssertionError("the polling job was called")

    monkeypatch.setattr(services, "transfers_settle_paid", refuse)
    monkeypatch.setattr(services, "card_requests_settle_paid", refuse)


@pytest.fixture
def new_actor(new_employer):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=new_employer)
    return Actor.for_user(user).acting_for("establishment", new_employer.cr_number)


def unpaid_fees(establishment, now):
    """The transfer fees billed to an establishment and still to pay."""
    return payable_invoice_numbers(
        payer_cr_number=establishment.cr_number, service_code="TRANSFER_OF_SERVICES", now=now
    )


def ask(card, new_employer, actor, now, reason="", employment=None, licence="WP-LIC000001"):
    return services.transfer_request(
        actor=actor,
        now=now,
        employment=employment or card.employment,
        to_establishment=new_employer,
        licence_number=licence,
        occupation_code=bricklayer().code,
        basic_wage_baisa=200_000,
        reason=reason,
    )


@pytest.fixture
def pay_now(pay, django_capture_on_commit_callbacks):
    """Pay at a Sanad counter and let the payment's after-commit work run, as it does live."""

    def pay_now(invoice, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return pay(invoice, **kwargs)

    return pay_now


def assert_moved(card, transfer, new_employer):
    """The old employment ended, its card cancelled, the new one started, one vacancy used."""
    card.refresh_from_db()
    card.employment.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == T.COMPLETED
    assert card.employment.status == Employment.Status.ENDED
    assert card.status == LabourCard.Status.CANCELLED and card.close_reason == "TRANSFERRED"
    new = transfer.to_employment
    assert (new.establishment, new.status, new.basic_wage_baisa, new.person_id) == (
        new_employer,
        Employment.Status.ACTIVE,
        200_000,
        card.employment.person_id,
    )
    vacancy = new_employer.licences.get().vacancies.get()
    assert (vacancy.issued, vacancy.reserved, vacancy.used) == (1, 0, 1)


def assert_not_moved(card, new_employer):
    card.employment.refresh_from_db()
    assert card.employment.status == Employment.Status.ACTIVE
    assert not Employment.objects.filter(establishment=new_employer).exists()
    assert new_employer.licences.get().vacancies.get().used == 0


def vacancy_counts(new_employer) -> tuple[int, int, int]:
    """(issued, reserved, used) of the new employer's one vacancy."""
    vacancy = new_employer.licences.get().vacancies.get()
    return vacancy.issued, vacancy.reserved, vacancy.used


# --- The fee -------------------------------------------------------------------------------------


def test_the_request_bills_the_transfer_fee_to_the_new_employer(card, new_employer, new_actor, now):
    asked = ask(card, new_employer, new_actor, now)

    assert asked.status == T.AWAITING_CONSENT
    invoice = asked.invoice
    assert (invoice.service_code, invoice.amount_baisa, invoice.status) == (
        "TRANSFER_OF_SERVICES",
        TRANSFER_FEE_BAISA,
        "UNPAID",
    )
    assert (invoice.payer_cr_number, invoice.payer_name_en) == (
        new_employer.cr_number,
        "New Horizons LLC",
    )
    assert AuditEvent.objects.get(action="transfer.requested").changes["invoice"] == invoice.number
    assert_not_moved(card, new_employer)


def test_an_unknown_occupation_is_refused_before_anything_is_billed(
    card, new_employer, new_actor, now
):
    with pytest.raises(UnknownOccupation) as refused:
        services.transfer_request(
            actor=new_actor,
            now=now,
            employment=card.employment,
            to_establishment=new_employer,
            licence_number="WP-LIC000001",
            occupation_code="0000",
            basic_wage_baisa=200_000,
        )
    assert refused.value.status == 422
    assert "0000" in refused.value.text("en") and "0000" in refused.value.text("ar")
    assert not Transfer.objects.exists()
    assert not unpaid_fees(new_employer, now)


def test_consent_alone_does_not_move_the_worker(card, new_employer, new_actor, employer_actor, now):
    asked = ask(card, new_employer, new_actor, now)

    agreed = services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    assert agreed.status == T.AWAITING_PAYMENT
    assert_not_moved(card, new_employer)
    with pytest.raises(services.TransferNotPaid) as error:
        services.transfer_payment_confirm(actor=new_actor, now=now, transfer=agreed)
    assert asked.invoice.number in error.value.text("en")


def test_consent_then_payment_moves_the_worker_when_the_fee_is_paid(
    card, new_employer, new_actor, employer_actor, pay_now, now, polling_not_called
):
    asked = ask(card, new_employer, new_actor, now)
    services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    pay_now(asked.invoice)

    assert_moved(card, asked, new_employer)


def test_payment_then_consent_moves_the_worker_when_the_employer_agrees(
    card, new_employer, new_actor, employer_actor, pay_now, now, polling_not_called
):
    asked = ask(card, new_employer, new_actor, now)
    pay_now(asked.invoice)
    asked.refresh_from_db()
    assert asked.status == T.AWAITING_CONSENT  # paid, still waiting for the employer
    assert_not_moved(card, new_employer)

    done = services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    assert done.status == T.COMPLETED
    assert_moved(card, asked, new_employer)


def test_a_reason_without_consent_waits_only_for_the_fee(
    card, new_employer, new_actor, pay_now, now, polling_not_called
):
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    assert asked.status == T.AWAITING_PAYMENT
    assert_not_moved(card, new_employer)

    pay_now(asked.invoice)

    assert_moved(card, asked, new_employer)


def test_paying_twice_or_agreeing_twice_changes_nothing_more(
    card, new_employer, new_actor, employer_actor, pay_now, now
):
    asked = ask(card, new_employer, new_actor, now)
    services.transfer_consent(actor=employer_actor, now=now, transfer=asked)
    pay_now(asked.invoice)

    second = pay_now(asked.invoice)
    with pytest.raises(services.TransferClosed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)
    again = services.transfer_payment_confirm(actor=new_actor, now=now, transfer=asked)

    assert again.status == T.COMPLETED
    assert (second.payment.outcome, second.payment.refund_due) == ("ALREADY_PAID", True)
    assert_moved(card, asked, new_employer)
    assert Employment.objects.filter(establishment=new_employer).count() == 1
    assert AuditEvent.objects.filter(action="transfer.completed").count() == 1
    assert tasks.run_daily(now=now)["transfers_completed"] == 0


# --- Refusal, withdrawal, lapse ------------------------------------------------------------------


def test_refusal_cancels_the_unpaid_fee(card, new_employer, new_actor, employer_actor, pay, now):
    asked = ask(card, new_employer, new_actor, now)

    refused = services.transfer_refuse(actor=employer_actor, now=now, transfer=asked)

    assert refused.status == T.REFUSED
    asked.invoice.refresh_from_db()
    assert asked.invoice.status == "CANCELLED"
    late = pay(asked.invoice)  # money that arrives anyway is kept for refund
    assert (late.payment.outcome, late.payment.refund_due) == ("LATE", True)
    with pytest.raises(services.TransferClosed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)
    assert_not_moved(card, new_employer)
    assert vacancy_counts(new_employer) == (1, 0, 0)  # the held vacancy is free again


def test_refusal_after_payment_keeps_the_paid_fee_for_an_officer_to_refund(
    card, new_employer, new_actor, employer_actor, pay_now, now
):
    asked = ask(card, new_employer, new_actor, now)
    pay_now(asked.invoice)

    services.transfer_refuse(actor=employer_actor, now=now, transfer=asked)

    asked.refresh_from_db()
    asked.invoice.refresh_from_db()
    assert (asked.status, asked.invoice.status) == (T.REFUSED, "PAID")
    assert_not_moved(card, new_employer)


@pytest.mark.parametrize("consented", [False, True])
def test_the_new_employer_withdraws_and_the_unpaid_fee_is_cancelled(
    card, new_employer, new_actor, employer_actor, pay, now, consented
):
    asked = ask(card, new_employer, new_actor, now)
    if consented:
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    withdrawn = services.transfer_cancel(actor=new_actor, now=now, transfer=asked)

    assert withdrawn.status == T.CANCELLED
    asked.invoice.refresh_from_db()
    assert asked.invoice.status == "CANCELLED"
    with pytest.raises(services.TransferClosed):
        services.transfer_cancel(actor=new_actor, now=now, transfer=asked)
    assert_not_moved(card, new_employer)
    assert vacancy_counts(new_employer) == (1, 0, 0)


def test_a_transfer_whose_fee_expired_gives_way_to_a_new_request(
    card, new_employer, new_actor, system_actor, now
):
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    later = now + dt.timedelta(days=30)
    invoices_expire(actor=system_actor, now=later)

    again = ask(card, new_employer, new_actor, later, reason="COURT_ORDER")

    asked.refresh_from_db()
    assert (asked.status, again.status) == (T.CANCELLED, T.AWAITING_PAYMENT)
    assert AuditEvent.objects.filter(action="transfer.cancelled").count() == 1
    assert vacancy_counts(new_employer) == (1, 1, 0)  # the lapsed one's hold went to the new one


def test_the_daily_job_closes_a_transfer_whose_fee_expired_and_frees_its_vacancy(
    card, new_employer, new_actor, system_actor, now
):
    asked = ask(card, new_employer, new_actor, now)
    later = now + dt.timedelta(days=30)
    invoices_expire(actor=system_actor, now=later)

    assert tasks.run_daily(now=later)["transfers_lapsed"] == 1

    asked.refresh_from_db()
    assert asked.status == T.CANCELLED
    assert vacancy_counts(new_employer) == (1, 0, 0)
    event = AuditEvent.objects.get(action="transfer.cancelled")
    assert event.changes["reason"] == "Transfer fee not paid in time"
    assert tasks.run_daily(now=later)["transfers_lapsed"] == 0  # once


def test_a_second_request_while_one_waits_is_refused(card, new_employer, new_actor, now):
    ask(card, new_employer, new_actor, now)
    other = EstablishmentFactory()
    make_licence(establishment=other, number="WP-LIC000002")
    with pytest.raises(services.TransferPending):
        ask(card, other, new_actor, now, licence="WP-LIC000002")
    assert (len(unpaid_fees(new_employer, now)), unpaid_fees(other, now)) == (1, [])


# --- Rules checked before billing ----------------------------------------------------------------


def test_the_request_holds_the_vacancy_and_the_move_uses_it(
    card, new_employer, new_actor, employer_actor, pay_now, now
):
    asked = ask(card, new_employer, new_actor, now)
    assert (asked.vacancy, vacancy_counts(new_employer)) == (
        new_employer.licences.get().vacancies.get(),
        (1, 1, 0),
    )

    pay_now(asked.invoice)
    services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    assert_moved(card, asked, new_employer)  # reserved 0, used 1
    assert (
        AuditEvent.objects.filter(
            action__in=["vacancy.held_for_transfer", "vacancy.used_for_transfer"]
        ).count()
        == 2
    )


def test_the_last_vacancy_held_by_one_transfer_bills_no_second_one(
    card, new_employer, new_actor, now
):
    ask(card, new_employer, new_actor, now)  # waits for consent and payment: nothing paid yet
    other = EmploymentFactory(establishment=card.employment.establishment)

    with pytest.raises(NoVacancy) as error:
        ask(card, new_employer, new_actor, now, reason="COURT_ORDER", employment=other)

    assert error.value.code == "no_vacancy"
    assert not Transfer.objects.filter(from_employment=other).exists()
    assert len(unpaid_fees(new_employer, now)) == 1  # the first transfer's fee only
    assert vacancy_counts(new_employer) == (1, 1, 0)


def test_a_licence_cancelled_after_the_request_still_gives_the_held_vacancy(
    card, new_employer, new_actor, pay_now, now
):
    """As a visa reserved before a licence is cancelled may still be used for the arrival."""
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    new_employer.licences.update(status="CANCELLED")

    pay_now(asked.invoice)

    assert_moved(card, asked, new_employer)


def test_no_fee_is_billed_without_a_free_vacancy(card, new_employer, new_actor, pay_now, now):
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    pay_now(asked.invoice)
    other = EmploymentFactory(establishment=card.employment.establishment)

    with pytest.raises(NoVacancy) as error:
        ask(card, new_employer, new_actor, now, reason="COURT_ORDER", employment=other)

    assert error.value.code == "no_vacancy"
    other.refresh_from_db()
    assert other.status == Employment.Status.ACTIVE
    assert not Transfer.objects.filter(from_employment=other).exists()
    assert unpaid_fees(new_employer, now) == []  # the first fee is paid; no second one


def test_a_transfer_on_another_employers_licence_is_refused_before_billing(card, new_actor, now):
    stranger = EstablishmentFactory()  # asks on the new employer's licence
    with pytest.raises(LicenceNotFound):
        ask(card, stranger, new_actor, now, reason="COURT_ORDER")
    assert unpaid_fees(stranger, now) == []


def test_reasons_without_consent_are_a_setting(card, new_employer, new_actor, now, settings):
    settings.LABOURCARDS_TRANSFER_REASONS_WITHOUT_CONSENT = ["COURT_ORDER"]
    with pytest.raises(services.UnknownTransferReason):
        ask(card, new_employer, new_actor, now, reason="DISMISSED")
    assert not Transfer.objects.exists()
    assert unpaid_fees(new_employer, now) == []


def test_transfer_to_a_blocked_or_the_same_employer_is_refused(card, new_employer, new_actor, now):
    with pytest.raises(services.SameEmployer):
        ask(card, card.employment.establishment, new_actor, now)
    Establishment.objects.filter(pk=new_employer.pk).update(status="SUSPENDED")
    new_employer.refresh_from_db()
    with pytest.raises(services.EmployerBlocked):
        ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    assert not Transfer.objects.exists()


# --- When the worker cannot move at payment time -------------------------------------------------


def test_a_paid_transfer_that_cannot_complete_is_logged_and_the_payment_stands(
    card, new_employer, new_actor, pay_now, now, caplog
):
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    Establishment.objects.filter(pk=new_employer.pk).update(status="SUSPENDED")

    with caplog.at_level("WARNING", logger="manpower.labourcards.receivers"):
        paid = pay_now(asked.invoice)

    assert paid.payment.outcome == "APPLIED"
    asked.refresh_from_db()
    assert asked.status == T.AWAITING_PAYMENT
    assert asked.invoice.number in caplog.text and "stopped" in caplog.text
    assert_not_moved(card, new_employer)
    assert vacancy_counts(new_employer) == (1, 1, 0)  # still held for the transfer


def test_a_failed_move_leaves_the_old_employment(
    card, new_employer, new_actor, employer_actor, pay_now, now, monkeypatch
):
    """The new employment fails to start after the old one was ended: nothing is kept."""
    from manpower.registry import services as registry

    def refuse(**kwargs):
        raise registry.AlreadyEmployed("already employed")

    asked = ask(card, new_employer, new_actor, now)
    pay_now(asked.invoice)
    monkeypatch.setattr(registry, "employment_start", refuse)
    with pytest.raises(registry.AlreadyEmployed):
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)
    asked.refresh_from_db()
    assert asked.status == T.AWAITING_CONSENT
    card.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE
    assert_not_moved(card, new_employer)


def test_the_daily_job_completes_a_paid_transfer_the_payment_did_not(
    card, new_employer, new_actor, pay, now
):
    asked = ask(card, new_employer, new_actor, now, reason="COURT_ORDER")
    pay(asked.invoice)  # the process stopped before the payment's after-commit work ran
    asked.refresh_from_db()
    assert asked.status == T.AWAITING_PAYMENT

    assert tasks.run_daily(now=now)["transfers_completed"] == 1

    assert_moved(card, asked, new_employer)


# --- The pages -----------------------------------------------------------------------------------


def sign_in(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def url(name, establishment, *args):
    return reverse(f"labourcards:{name}", args=[establishment.cr_number, *args])


@pytest.fixture
def live_card(issue, arrived):
    return issue(arrived, resident_card_number="71234567", at=timezone.now())


@pytest.fixture
def new_rep(new_employer):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=new_employer)
    return user


def request_on_the_page(client, new_rep, new_employer, reason=""):
    bricklayer()
    sign_in(client, new_rep)
    data = {
        "resident_card_number": "71234567",
        "licence_number": "WP-LIC000001",
        "occupation": "7112",
        "basic_wage": "210.500",
        "reason": reason,
    }
    malformed = client.post(
        url("transfer-new", new_employer), {**data, "resident_card_number": "1"}
    )
    assert malformed.status_code == 400 and "digits" in malformed.content.decode()
    unknown = client.post(
        url("transfer-new", new_employer), {**data, "resident_card_number": "79999999"}
    )
    assert unknown.status_code == 400 and "No non-national worker" in unknown.content.decode()
    asked = client.post(url("transfer-new", new_employer), data, follow=True)
    transfer = Transfer.objects.get()
    assert transfer.basic_wage_baisa == 210_500
    assert f"Invoice {transfer.invoice.number} was issued" in asked.content.decode()
    return transfer


def test_the_new_employer_pays_online_and_the_current_one_agrees(
    client,
    representative,
    live_card,
    establishment,
    new_employer,
    new_rep,
    django_capture_on_commit_callbacks,
):
    transfer = request_on_the_page(client, new_rep, new_employer)
    invoice = transfer.invoice.number
    page = client.get(url("cards", new_employer)).content.decode()
    assert "Awaiting the current employer" in page and invoice in page
    # The new employer cannot agree in the current employer's place.
    assert client.post(url("transfer-consent", new_employer, transfer.pk)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert pay_online(client, invoice).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == T.AWAITING_CONSENT

    sign_in(client, representative)
    page = client.get(url("cards", establishment)).content.decode()
    assert "Awaiting the current employer" in page
    assert invoice not in page  # the fee is the new employer's business
    agreed = client.post(url("transfer-consent", establishment, transfer.pk), follow=True)
    assert "transferred to the new employer" in agreed.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == T.COMPLETED
    assert Employment.objects.get(status="ACTIVE").establishment == new_employer


def test_another_employer_cannot_see_pay_or_decide_the_transfer(
    client, representative, live_card, establishment, new_employer, new_rep
):
    transfer = request_on_the_page(client, new_rep, new_employer)
    invoice = reverse("payments:invoice", kwargs={"number": transfer.invoice.number})
    pay = reverse("payments:pay", kwargs={"number": transfer.invoice.number})

    stranger = EstablishmentFactory()
    stranger_rep = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=stranger_rep, establishment=stranger)
    for user, cr in ((stranger_rep, stranger), (representative, establishment)):
        sign_in(client, user)
        assert client.get(invoice).status_code == 404
        assert client.post(pay).status_code == 404
        for action in ("transfer-complete", "transfer-cancel"):
            assert client.post(url(action, cr, transfer.pk)).status_code == 404
    sign_in(client, stranger_rep)
    assert transfer.invoice.number not in client.get(url("cards", stranger)).content.decode()
    for action in ("transfer-consent", "transfer-refuse"):
        assert client.post(url(action, stranger, transfer.pk)).status_code == 404
        assert client.post(url(action, new_employer, transfer.pk)).status_code == 404
    transfer.refresh_from_db()
    assert (transfer.status, transfer.invoice.status) == (T.AWAITING_CONSENT, "UNPAID")


def test_the_current_employer_refuses_on_the_page(
    client, representative, live_card, establishment, new_employer, new_rep
):
    transfer = request_on_the_page(client, new_rep, new_employer)
    sign_in(client, representative)
    client.post(url("transfer-refuse", establishment, transfer.pk))
    transfer.refresh_from_db()
    assert transfer.status == T.REFUSED
    assert transfer.invoice.status == "CANCELLED"
    again = client.post(url("transfer-refuse", establishment, transfer.pk), follow=True)
    assert "already been decided" in again.content.decode()


def test_the_new_employer_withdraws_on_the_page(client, live_card, new_employer, new_rep):
    transfer = request_on_the_page(client, new_rep, new_employer)
    done = client.post(url("transfer-cancel", new_employer, transfer.pk), follow=True)
    assert "withdrawn" in done.content.decode()
    transfer.refresh_from_db()
    assert (transfer.status, transfer.invoice.status) == (T.CANCELLED, "CANCELLED")


def field_error(page: str, field: str) -> str:
    """The error printed by a field of the page (forms/field.html), or ""."""
    found = re.search(rf'<p class="field-error" id="id_{field}_error_1">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


@pytest.mark.parametrize(
    ("language", "no_worker", "no_licence", "bad_wage"),
    [
        (
            "en",
            "No non-national worker with number 79999999.",
            "There is no licence WP-NOPE00001.",
            "Enter the basic wage in rials, in digits, such as 350 or 350.500.",
        ),
        (
            "ar",
            "لا يوجد عامل وافد بالرقم 79999999.",
            "لا يوجد ترخيص برقم WP-NOPE00001.",
            "أدخل الأجر الأساسي بالريال العماني بالأرقام، مثل 350 أو 350.500.",
        ),
    ],
)
def test_a_refused_transfer_says_which_field_is_wrong_in_the_users_language(
    client, live_card, new_employer, new_rep, language, no_worker, no_licence, bad_wage
):
    bricklayer()
    new_rep.language = language
    new_rep.save(update_fields=["language"])
    client.force_login(new_rep)
    good = {
        "resident_card_number": "71234567",
        "licence_number": "WP-LIC000001",
        "occupation": "7112",
        "basic_wage": "210.500",
    }
    address = url("transfer-new", new_employer)
    page = client.post(address, {**good, "resident_card_number": "79999999"}).content.decode()
    assert no_worker in field_error(page, "resident_card_number")
    page = client.post(address, {**good, "licence_number": "WP-NOPE00001"}).content.decode()
    assert no_licence in field_error(page, "licence_number")
    page = client.post(address, {**good, "basic_wage": "a lot"}).content.decode()
    assert (
        field_error(page, "basic_wage") == f"{'خطأ:' if language == 'ar' else 'Error:'} {bad_wage}"
    )
    assert not Transfer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_agreed_then_paid_online_the_worker_moves_at_once(
    client, representative, live_card, establishment, new_employer, new_rep, polling_not_called
):
    """Committed for real (no test transaction around it): the payment's after-commit signal
    completes the transfer within the payer's request."""
    transfer = request_on_the_page(client, new_rep, new_employer)
    sign_in(client, representative)
    waiting = client.post(url("transfer-consent", establishment, transfer.pk), follow=True)
    assert "once the new employer pays" in waiting.content.decode()

    sign_in(client, new_rep)
    page = client.get(url("cards", new_employer)).content.decode()
    assert "Awaiting payment of the transfer fee" in page
    assert reverse("payments:invoice", kwargs={"number": transfer.invoice.number}) in page
    assert url("transfer-complete", new_employer, transfer.pk) in page
    assert pay_online(client, transfer.invoice.number).status_code == 302

    transfer.refresh_from_db()
    assert transfer.status == T.COMPLETED
    assert Employment.objects.get(status="ACTIVE").establishment == new_employer
    done = client.post(url("transfer-complete", new_employer, transfer.pk), follow=True)
    assert "transferred to the new employer" in done.content.decode()


# --- Consent and payment at the same moment (PostgreSQL) -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_consent_and_payment_at_the_same_moment_move_the_worker_once(
    card, new_employer, new_actor, employer_actor, now
):
    asked = ask(card, new_employer, new_actor, now)
    barrier, errors = threading.Barrier(2), []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            errors.append(error)
        finally:
            connection.close()

    def consent():
        services.transfer_consent(actor=employer_actor, now=now, transfer=asked)

    def payment():
        sanad_payment_record(
            actor=Actor(channel=Channel.SANAD, label="sanad-test"),
            now=now,
            invoice_number=asked.invoice.number,
            centre_code="S001",
            reference=secrets.token_hex(4),
            amount_baisa=asked.invoice.amount_baisa,
        )

    threads = [threading.Thread(target=run, args=(call,)) for call in (consent, payment)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert_moved(card, asked, new_employer)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_transfers_for_the_last_vacancy_at_once_bill_one(card, new_employer, new_actor, now):
    other = EmploymentFactory(establishment=card.employment.establishment)
    barrier, answers = threading.Barrier(2), []

    def run(employment):
        try:
            barrier.wait()
            answers.append(ask(card, new_employer, new_actor, now, employment=employment))
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(e,)) for e in (card.employment, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(type(answer).__name__ for answer in answers) == ["NoVacancy", "Transfer"]
    assert Transfer.objects.count() == 1
    assert len(unpaid_fees(new_employer, now)) == 1
    assert vacancy_counts(new_employer) == (1, 1, 0)


def non_compliant_months(establishment, months, now):
    """The Wage Protection System judged these (year, month) of `establishment` non-compliant."""
    from manpower.wages.models import MonthlyCompliance

    for year, month in months:
        MonthlyCompliance.objects.create(
            establishment=establishment,
            salary_year=year,
            salary_month=month,
            workers=4,
            paid_ok=1,
            exempt=0,
            share_permyriad=2500,
            compliant=False,
            computed_at=now,
        )


def test_after_3_months_of_unpaid_wages_the_worker_moves_without_consent(
    card, new_employer, new_actor, pay_now, now
):
    non_compliant_months(card.employment.establishment, [(2026, 8), (2026, 9), (2026, 10)], now)

    asked = ask(card, new_employer, new_actor, now, reason="WPS_NON_COMPLIANT")
    assert asked.status == T.AWAITING_PAYMENT
    pay_now(asked.invoice)

    assert_moved(card, asked, new_employer)


def test_two_months_of_unpaid_wages_do_not_free_the_worker(card, new_employer, new_actor, now):
    non_compliant_months(card.employment.establishment, [(2026, 9), (2026, 10)], now)

    with pytest.raises(services.WagesProtected) as refused:
        ask(card, new_employer, new_actor, now, reason="WPS_NON_COMPLIANT")

    assert refused.value.code == "employer_wps_compliant"
    assert refused.value.text("ar") != refused.value.text("en")
    assert not Transfer.objects.exists()
    assert unpaid_fees(new_employer, now) == []
