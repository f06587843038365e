"""Card issue after arrival and renewal: fees, the late fee, who may renew and when."""

import datetime as dt

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from manpower.core.actor import Channel
from manpower.core.dates import add_months
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.labourcards import services
from manpower.labourcards.models import CardRequest, LabourCard
from manpower.payments.services import fee_set
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory, oman

pytestmark = pytest.mark.django_db

OutboxEvent = apps.get_model("integration", "OutboxEvent")


def test_issue_bills_the_fee_and_issues_the_card_when_paid(fees, arrived, employer_actor, pay, now):
    request = services.card_issue_request(
        actor=employer_actor,
        now=now,
        employment=arrived,
        kind="COMMERCIAL",
        resident_card_number="٧١٢٣٤٥٦٧",
    )
    assert request.invoice.amount_baisa == 201_000
    assert request.invoice.payer_cr_number == arrived.establishment.cr_number
    assert not LabourCard.objects.exists()

    with pytest.raises(services.RequestNotPaid):
        services.card_request_complete(actor=employer_actor, now=now, request=request)

    pay(request.invoice)
    request = services.card_request_complete(actor=employer_actor, now=now, request=request)

    card = request.card
    assert request.status == CardRequest.Status.COMPLETED
    assert card.status == LabourCard.Status.ACTIVE
    assert card.expiry_date == dt.date(2028, 11, 29)  # 24 months from the day in Muscat
    arrived.person.refresh_from_db()
    assert arrived.person.civil_number == "71234567"
    document = document_by_code(card.document_code)
    assert document.kind == "LABOUR_CARD" and card.number in document.payload
    assert "71234567" in document.payload  # the resident card number given with the request
    issued = OutboxEvent.objects.get(event_type="labourcard.issued")
    assert issued.subject == f"labourcard:{card.number}"
    assert issued.payload == {
        "card_number": card.number,
        "status": "ACTIVE",
        "kind": "COMMERCIAL",
        "expiry_date": "2028-11-29",
        "civil_number": "71234567",
        "cr_number": arrived.establishment.cr_number,
    }
    person_event = AuditEvent.objects.get(action="person.modified")
    assert person_event.changes == {"civil_number": [None, "71234567"]}


def test_completing_twice_issues_one_card(card, employer_actor, now):
    request = CardRequest.objects.get()
    again = services.card_request_complete(actor=employer_actor, now=now, request=request)
    assert again.card == card
    assert LabourCard.objects.count() == 1


def test_the_payment_flow_settles_by_invoice_number(fees, arrived, employer_actor, pay, now):
    request = services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="PRIVATE"
    )
    assert (
        services.card_request_settle_invoice(
            actor=employer_actor, now=now, invoice_number=request.invoice.number
        )
        is None
    )
    pay(request.invoice)
    settled = services.card_request_settle_invoice(
        actor=employer_actor, now=now, invoice_number=request.invoice.number
    )
    assert settled.card.kind == LabourCard.Kind.PRIVATE
    assert request.invoice.amount_baisa == 101_000


def test_daily_job_completes_paid_requests(fees, arrived, employer_actor, system_actor, pay, now):
    request = services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
    )
    pay(request.invoice)
    assert services.card_requests_settle_paid(actor=system_actor, now=now) == 1
    assert services.card_requests_settle_paid(actor=system_actor, now=now) == 0
    assert LabourCard.objects.get().employment == arrived


def test_second_issue_request_while_one_waits_is_refused(fees, arrived, employer_actor, now):
    services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
    )
    with pytest.raises(services.RequestPending) as error:
        services.card_issue_request(
            actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
        )
    assert "already waiting" in error.value.text("en")
    assert CardRequest.objects.count() == 1


def test_no_second_card_for_the_same_employment(card, arrived, employer_actor, now):
    with pytest.raises(services.CardAlreadyIssued):
        services.card_issue_request(
            actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
        )


def test_a_national_needs_no_card(fees, establishment, employer_actor, now):
    employment = EmploymentFactory(
        establishment=establishment, person=PersonFactory(is_national=True, nationality=oman())
    )
    with pytest.raises(services.NationalNeedsNoCard):
        services.card_issue_request(
            actor=employer_actor, now=now, employment=employment, kind="COMMERCIAL"
        )


@pytest.mark.parametrize("number", ["0123456", "12ab", "1234567890123"])
def test_bad_resident_card_number_is_refused(fees, arrived, employer_actor, now, number):
    with pytest.raises(services.InvalidIdentifier):
        services.card_issue_request(
            actor=employer_actor,
            now=now,
            employment=arrived,
            kind="COMMERCIAL",
            resident_card_number=number,
        )
    assert not CardRequest.objects.exists()


def test_resident_card_number_of_another_person_is_refused(fees, arrived, employer_actor, now):
    PersonFactory(civil_number="71234567")
    with pytest.raises(services.IdentifierTaken):
        services.card_issue_request(
            actor=employer_actor,
            now=now,
            employment=arrived,
            kind="COMMERCIAL",
            resident_card_number="71234567",
        )


# --- Renewal ----------------------------------------------------------------------------------


def at_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)


def test_renewal_is_refused_before_the_window(card, employer_actor, now):
    with pytest.raises(services.NotDueForRenewal) as error:
        services.card_renewal_request(actor=employer_actor, now=now, card=card)
    assert "30/10/2028" in error.value.text("en")


def test_renewal_within_the_window_extends_from_the_old_expiry(card, employer_actor, pay):
    when = at_day(card.expiry_date - dt.timedelta(days=10))
    request = services.card_renewal_request(actor=employer_actor, now=when, card=card)
    assert request.invoice.amount_baisa == 301_000
    assert request.late_invoice is None
    pay(request.invoice, at=when)
    services.card_request_complete(actor=employer_actor, now=when, request=request)

    card.refresh_from_db()
    assert card.expiry_date == dt.date(2030, 11, 29)
    assert card.renewed_at == when
    assert OutboxEvent.objects.filter(event_type="labourcard.renewed").count() == 1
    assert document_by_code(card.document_code).version == 2


def test_late_renewal_bills_ten_rials_a_month_late(card, employer_actor, system_actor, pay):
    when = at_day(dt.date(2029, 2, 1))  # expired 29/11/2028: 3 months (or part) late
    services.cards_expire(actor=system_actor, now=when)
    card.refresh_from_db()
    assert card.status == LabourCard.Status.EXPIRED

    request = services.card_renewal_request(actor=employer_actor, now=when, card=card)
    assert request.late_months == 3
    assert request.late_invoice.amount_baisa == 30_000
    pay(request.invoice, at=when)
    with pytest.raises(services.RequestNotPaid):
        services.card_request_complete(actor=employer_actor, now=when, request=request)
    pay(request.late_invoice, at=when)
    services.card_request_complete(actor=employer_actor, now=when, request=request)

    card.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE
    assert card.expiry_date == dt.date(2031, 2, 1)


def test_late_fee_is_capped_at_five_hundred_rials(card, employer_actor):
    when = at_day(dt.date(2034, 1, 1))
    request = services.card_renewal_request(actor=employer_actor, now=when, card=card)
    assert request.late_months == 62
    assert request.late_invoice.amount_baisa == 500_000


@pytest.mark.parametrize(
    ("renewed", "months", "billed_months", "amount"),
    [(dt.date(2029, 2, 1), 3, 3, 60_000), (dt.date(2034, 1, 1), 62, 25, 500_000)],
)
def test_late_fee_and_its_cap_follow_the_fee_row_staff_set(
    card, employer_actor, system_actor, renewed, months, billed_months, amount
):
    """Staff double the monthly late fee: 3 months late pay 3 x RO 20, and 62 months late still
    pay at most RO 500 (25 months of the new fee, not 50)."""
    fee_set(
        actor=system_actor,
        now=at_day(dt.date(2029, 1, 1)),
        service_code="CARD_LATE_RENEWAL",
        name_en="Late renewal",
        name_ar="رسم التأخر في التجديد",
        amount_baisa=20_000,
        effective_from_date=dt.date(2029, 1, 1),
    )
    request = services.card_renewal_request(actor=employer_actor, now=at_day(renewed), card=card)
    assert request.late_months == months
    assert request.late_invoice.amount_baisa == amount
    assert request.late_invoice.lines.get().quantity == billed_months


def test_late_fee_follows_the_settings(card, employer_actor, settings):
    settings.LABOURCARDS_LATE_FEE_CAP_BAISA = 20_000
    when = at_day(dt.date(2029, 6, 1))
    request = services.card_renewal_request(actor=employer_actor, now=when, card=card)
    assert request.late_invoice.amount_baisa == 20_000


def test_renewal_window_is_a_setting(card, employer_actor, settings):
    settings.LABOURCARDS_RENEWAL_WINDOW_DAYS = 90
    when = at_day(card.expiry_date - dt.timedelta(days=80))
    assert services.card_renewal_request(actor=employer_actor, now=when, card=card)


@pytest.mark.parametrize("status", [Establishment.Status.SUSPENDED, Establishment.Status.CLOSED])
def test_renewal_is_refused_when_the_employer_is_blocked(card, employer_actor, status):
    Establishment.objects.filter(pk=card.employment.establishment_id).update(status=status)
    card.refresh_from_db()
    card.employment.establishment.refresh_from_db()
    with pytest.raises(services.EmployerBlocked) as error:
        services.card_renewal_request(actor=employer_actor, now=at_day(card.expiry_date), card=card)
    assert error.value.status == 403
    assert str(Establishment.Status(status).label).lower() in error.value.text("en").lower()


def test_renewal_is_refused_when_the_employment_ended(card, employer_actor, now):
    from manpower.registry.services import employment_end

    employment_end(actor=employer_actor, employment=card.employment, end_date=now.date(), now=now)
    card.refresh_from_db()
    with pytest.raises(services.EmploymentNotActive) as error:
        services.card_renewal_request(actor=employer_actor, now=at_day(card.expiry_date), card=card)
    assert "ended" in error.value.text("en")


def test_renewal_through_a_sanad_centre_records_the_channel(card, employer_actor):
    from manpower.core.actor import Actor

    sanad = Actor(channel=Channel.SANAD, label="sanad-operator", user_id=employer_actor.user_id)
    request = services.card_renewal_request(actor=sanad, now=at_day(card.expiry_date), card=card)
    assert request.channel == Channel.SANAD
    assert AuditEvent.objects.filter(action="card_request.created", channel="SANAD").exists()


# --- Dates ----------------------------------------------------------------------------------


@given(st.dates(), st.dates())
def test_months_late_is_zero_only_while_valid(expiry, today):
    late = services.months_late(expiry_date=expiry, today=today)
    assert (late == 0) == (today <= expiry)
    if late:
        assert add_months(expiry, late - 1) < today <= add_months(expiry, late)


@given(st.dates(max_value=dt.date(9000, 1, 1)), st.integers(0, 240))
def test_add_months_keeps_the_day_or_the_month_end(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or later.day < day.day


def test_expiry_job_expires_only_past_cards(card, system_actor):
    assert services.cards_expire(actor=system_actor, now=at_day(card.expiry_date)) == 0
    after = at_day(card.expiry_date + dt.timedelta(days=1))
    assert services.cards_expire(actor=system_actor, now=after) == 1
    assert services.cards_expire(actor=system_actor, now=after) == 0
    assert AuditEvent.objects.filter(action="labourcard.expired").count() == 1


def test_a_request_whose_invoice_expired_gives_way_to_a_new_one(
    fees, arrived, employer_actor, system_actor, now
):
    from manpower.payments.services import invoices_expire

    first = services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
    )
    invoices_expire(actor=system_actor, now=now + dt.timedelta(days=15))
    later = now + dt.timedelta(days=16)
    second = services.card_issue_request(
        actor=employer_actor, now=later, employment=arrived, kind="COMMERCIAL"
    )
    first.refresh_from_db()
    assert first.status == CardRequest.Status.CANCELLED
    assert second.status == CardRequest.Status.AWAITING_PAYMENT
    with pytest.raises(services.RequestClosed):
        services.card_request_complete(actor=employer_actor, now=later, request=first)


def test_the_unpaid_invoice_is_named(card, employer_actor, pay):
    when = at_day(dt.date(2029, 2, 1))
    request = services.card_renewal_request(actor=employer_actor, now=when, card=card)
    pay(request.invoice, at=when)
    with pytest.raises(services.RequestNotPaid) as error:
        services.card_request_complete(actor=employer_actor, now=when, request=request)
    assert request.late_invoice.number in error.value.text("en")
