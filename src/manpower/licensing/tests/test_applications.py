"""Licence applications: eligibility, Omanisation cut, fees, decisions, issue and cancellation."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.request

import pytest
from django.db import close_old_connections, connection, transaction

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.models import AuditEvent, Nationality
from manpower.documents.selectors import document_pdf
from manpower.licensing import services
from manpower.licensing.models import Licence, LicenceApplication, LicenceVacancy
from manpower.payments import selectors as payments_selectors
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    india,
    oman,
    reference,
)

from .conftest import domestic_cleaner, pay, receptionist
from .factories import make_licence

A = LicenceApplication.Status
commercial = pytest.mark.django_db(transaction=True)  # the simulators read committed data


def line(code="7112", count=1, nationality="IND", gender="M"):
    return services.LineRequest(code, nationality, gender, count)


def employer(*, nationals=2, non_nationals=8, **fields):
    """An establishment in construction (10% nationals required) and its representative."""
    establishment = EstablishmentFactory(**fields)
    for _ in range(nationals):
        EmploymentFactory(
            establishment=establishment, person__is_national=True, person__nationality=oman()
        )
    for _ in range(non_nationals):
        EmploymentFactory(establishment=establishment)
    return establishment, RepresentationFactory(establishment=establishment).user


def submit(establishment, user, now, *lines):
    bricklayer()
    return services.application_submit(
        actor=Actor.for_user(user),
        applicant=user,
        kind="COMMERCIAL",
        establishment=establishment,
        lines=list(lines) or [line(count=2)],
        now=now,
    )


def invoice(application):
    return payments_selectors.invoice_for_payer(
        user=application.applicant, number=application.invoice_number
    )


def refused(code, call):
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.code == code
    assert error.value.text("ar") != error.value.text("en")
    return error.value


def control(simulator, **switches):
    request = urllib.request.Request(
        f"http://127.0.0.1:{simulator.server_port}/_control",
        data=json.dumps(switches).encode(),
        method="POST",
    )
    urllib.request.urlopen(request, timeout=5).close()


def officer():
    return Actor.for_user(UserFactory(role=Role.OFFICER, department="LICENSING"))


@commercial
def test_a_small_eligible_request_is_billed_and_issued_when_paid(simulator, now):
    establishment, user = employer()
    application = submit(establishment, user, now, line(count=2))

    assert application.status == A.AWAITING_PAYMENT
    bill = invoice(application)
    # 30% off the RO 201 per bricklayer (third category): the establishment meets its share.
    assert bill.amount_baisa == 2 * 140_700
    assert bill.payer_cr_number == establishment.cr_number
    assert (
        services.application_payment_confirm(actor=Actor.system(), application=application, now=now)
        is None
    )  # not paid yet

    with transaction.atomic():  # the applicant's button, before the payment's invoice_paid
        pay(application, now)
        licence = services.application_payment_confirm(
            actor=Actor.system(), application=application, now=now
        )

    application.refresh_from_db()
    assert application.status == A.ISSUED
    assert Licence.objects.get() == licence  # invoice_paid, after the commit, found it issued
    assert licence.status == Licence.Status.ACTIVE and licence.establishment == establishment
    assert (licence.valid_from, licence.valid_until) == (
        dt.date(2026, 11, 29),
        dt.date(2028, 11, 28),
    )
    vacancy = LicenceVacancy.objects.get(licence=licence)
    assert (vacancy.occupation_id, vacancy.nationality_id, vacancy.gender) == ("7112", "IND", "M")
    assert (vacancy.issued, vacancy.reserved, vacancy.used) == (2, 0, 0)
    assert document_pdf(code=licence.document_code).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="licence.issued", object_id=str(licence.pk)).exists()


@commercial
def test_the_same_request_while_the_first_is_open_is_a_double_submission(simulator, now):
    establishment, user = employer()
    first = submit(establishment, user, now, line(count=2))

    error = refused("application_pending", lambda: submit(establishment, user, now, line(count=2)))

    assert first.number in error.text("en") and first.number in error.text("ar")
    assert LicenceApplication.objects.filter(establishment=establishment).count() == 1
    # Other workers are another need, not a repeat.
    assert submit(establishment, user, now, line(count=1)).number != first.number


@commercial
def test_the_request_is_cut_to_keep_the_national_share(simulator, now):
    # 2 nationals of 10; 10% required: at most 2 / 0.10 - 10 = 10 more workers.
    establishment, user = employer(nationals=2, non_nationals=8)

    reference(Nationality, "PAK", alpha2="PK", name_en="Pakistan", name_ar="باكستان")

    application = submit(establishment, user, now, line(count=8), line("7112", 6, "PAK"))

    assert [(ln.requested, ln.granted) for ln in application.lines.all()] == [(8, 8), (6, 2)]
    assert application.notes[0]["code"] == "cut_by_omanisation"
    assert "10" in application.notes[0]["en"] and application.notes[0]["ar"]
    assert invoice(application).amount_baisa == 10 * 140_700


@commercial
def test_the_required_share_is_a_setting(simulator, now, settings):
    settings.LICENSING_OMANISATION_SHARES = {"F": 0.25, "default": 0.15}
    # 2 / 0.25 - 7 = 1
    establishment, user = employer(nationals=2, non_nationals=5)

    application = submit(establishment, user, now, line(count=3))

    assert application.granted_total == 1


@commercial
def test_without_room_for_one_more_worker_the_request_is_refused(simulator, now):
    establishment, user = employer(nationals=0, non_nationals=3)
    error = refused("omanisation_share_not_met", lambda: submit(establishment, user, now))
    assert "10%" in error.text("en")
    assert not LicenceApplication.objects.exists()


@commercial
def test_an_occupation_reserved_for_nationals_is_refused(simulator, now):
    establishment, user = employer()
    receptionist()
    refused("occupation_reserved", lambda: submit(establishment, user, now, line("4226")))


@commercial
@pytest.mark.parametrize("state", [Establishment.Status.SUSPENDED, Establishment.Status.CLOSED])
def test_a_blocked_establishment_cannot_apply(simulator, now, state):
    establishment, user = employer(status=state)
    refused("establishment_blocked", lambda: submit(establishment, user, now))


@commercial
def test_an_establishment_suspended_by_the_wage_protection_system_cannot_apply(simulator, now):
    establishment, user = employer(wps_suspended=True)
    error = refused("wps_non_compliant", lambda: submit(establishment, user, now))
    assert establishment.cr_number in error.text("ar")
    assert not LicenceApplication.objects.exists()


@commercial
def test_an_expired_chamber_membership_is_refused(simulator, now):
    establishment, user = employer(chamber_expiry_date=dt.date(2026, 1, 31))
    refused("chamber_membership_not_valid", lambda: submit(establishment, user, now))


@commercial
def test_the_ministry_of_commerce_down_stops_the_request_with_its_name(simulator, now):
    establishment, user = employer()
    control(simulator, agency="commerce", down=True)
    error = refused("agency_unavailable", lambda: submit(establishment, user, now))
    assert "Commerce" in error.text("en")


@commercial
def test_a_chamber_that_does_not_answer_sends_the_request_to_an_officer(simulator, now):
    establishment, user = employer()
    control(simulator, agency="chamber", down=True)

    application = submit(establishment, user, now)

    assert application.status == A.IN_REVIEW and not application.invoice_number
    assert application.notes[0]["code"] == "chamber_check_pending"


@commercial
def test_a_large_request_waits_for_an_officer_who_may_reduce_it(simulator, now):
    establishment, user = employer(nationals=5, non_nationals=5)  # room for 40
    application = submit(establishment, user, now, line(count=11))
    assert application.status == A.IN_REVIEW and not application.invoice_number

    refused(
        "staff_action_not_permitted",
        lambda: services.application_approve(
            actor=Actor.for_user(user), application=application, reason="ok", now=now
        ),
    )
    only = application.lines.get()
    refused(
        "invalid_grant",
        lambda: services.application_approve(
            actor=officer(), application=application, reason="x", granted={only.pk: 12}, now=now
        ),
    )
    refused(
        "reason_required",
        lambda: services.application_approve(
            actor=officer(), application=application, reason=" ", now=now
        ),
    )
    services.application_approve(
        actor=officer(),
        application=application,
        reason="Site has room for six.",
        granted={only.pk: 6},
        now=now,
    )

    application.refresh_from_db()
    assert application.status == A.AWAITING_PAYMENT
    assert application.decision_reason == "Site has room for six."
    assert invoice(application).amount_baisa == 6 * 140_700
    refused(
        "status_conflict",
        lambda: services.application_reject(
            actor=officer(), application=application, reason="late", now=now
        ),
    )


@commercial
def test_an_officer_rejects_with_a_reason(simulator, now):
    establishment, user = employer(nationals=5, non_nationals=5)
    application = submit(establishment, user, now, line(count=11))

    services.application_reject(
        actor=officer(), application=application, reason="Activity stopped by decree.", now=now
    )

    application.refresh_from_db()
    assert application.status == A.REJECTED
    assert AuditEvent.objects.filter(action="licence_application.rejected").exists()


# --- Private (household) licences --------------------------------------------------------------


def household_user(civil_number="71234567"):
    PersonFactory(is_national=True, nationality=oman(), civil_number=civil_number)
    return UserFactory(civil_number=civil_number, full_name_en="Salim Al Harthy")


def submit_private(user, now, *lines):
    domestic_cleaner()
    india()
    return services.application_submit(
        actor=Actor.for_user(user),
        applicant=user,
        kind="PRIVATE",
        lines=list(lines) or [line("9111", 2, gender="F")],
        now=now,
    )


@pytest.mark.django_db
def test_a_household_recruits_domestic_workers_at_the_full_fee(now):
    user = household_user()

    application = submit_private(user, now)

    assert application.status == A.AWAITING_PAYMENT
    assert application.household.civil_number == "71234567"
    bill = invoice(application)
    assert bill.amount_baisa == 2 * 141_000 and bill.payer_user == user
    pay(application, now)
    licence = services.application_payment_confirm(
        actor=Actor.system(), application=application, now=now
    )
    assert licence.household == application.household and licence.establishment is None


@pytest.mark.django_db
def test_a_household_cannot_recruit_other_occupations(now):
    user = household_user()
    bricklayer()
    refused("occupation_not_domestic", lambda: submit_private(user, now, line("7112")))


@pytest.mark.django_db
def test_a_household_is_limited_in_workers(now, settings):
    settings.LICENSING_PRIVATE_MAX_PER_HOUSEHOLD = 3
    user = household_user()
    submit_private(user, now, line("9111", 2, gender="F"))

    cut = submit_private(user, now, line("9111", 3, gender="F"))

    assert cut.granted_total == 1 and cut.notes[0]["code"] == "cut_by_household_limit"
    refused("household_limit_reached", lambda: submit_private(user, now))


@pytest.mark.django_db
def test_an_individual_unknown_to_the_registry_cannot_apply(now):
    user = UserFactory(civil_number="")
    refused("household_not_found", lambda: submit_private(user, now))


@pytest.mark.django_db
def test_bad_lines_are_refused(now):
    user = household_user()
    domestic_cleaner()
    refused("unknown_occupation", lambda: submit_private(user, now, line("9999")))
    refused(
        "unknown_nationality", lambda: submit_private(user, now, line("9111", nationality="OMN"))
    )
    refused(
        "duplicate_line",
        lambda: submit_private(user, now, line("9111", 1, gender="F"), line("9111", 1, gender="F")),
    )
    refused(
        "no_workers_requested",
        lambda: services.application_submit(
            actor=Actor.for_user(user), applicant=user, kind="PRIVATE", lines=[], now=now
        ),
    )


# --- Licences ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_holder_gives_up_unused_vacancies_and_the_licence_ends_when_none_is_used(now):
    licence = make_licence(issued=3)
    LicenceVacancy.objects.filter(licence=licence).update(reserved=1)

    services.licence_cancel_by_holder(
        actor=Actor.system(), licence=licence, reason="Project finished early.", now=now
    )

    vacancy = LicenceVacancy.objects.get(licence=licence)
    assert (vacancy.issued, vacancy.reserved) == (1, 1)
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE

    LicenceVacancy.objects.filter(licence=licence).update(reserved=0, issued=0)
    services.licence_cancel_by_holder(
        actor=Actor.system(), licence=licence, reason="Nothing left.", now=now
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED


@pytest.mark.django_db
def test_only_the_ministry_cancels_a_licence_outright(now):
    licence = make_licence()
    refused(
        "staff_action_not_permitted",
        lambda: services.licence_cancel_by_ministry(
            actor=Actor.system(), licence=licence, reason="x", now=now
        ),
    )

    services.licence_cancel_by_ministry(
        actor=officer(), licence=licence, reason="Forged documents.", now=now
    )

    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED and licence.cancel_reason
    refused(
        "licence_cancelled",
        lambda: services.visa_reserve(
            actor=Actor.system(),
            visa_number="V1",
            licence_number=licence.number,
            occupation_code="7112",
            nationality="IND",
            gender="M",
            now=now,
        ),
    )


@pytest.mark.django_db
def test_licences_past_their_last_day_expire(now):
    old = make_licence(valid_until=dt.date(2026, 11, 28), number="WP-OLD")
    current = make_licence(valid_until=dt.date(2026, 11, 29), number="WP-CURRENT")

    assert services.licences_expire(actor=Actor.system(), now=now) == 1

    old.refresh_from_db()
    current.refresh_from_db()
    assert (old.status, current.status) == (Licence.Status.EXPIRED, Licence.Status.ACTIVE)


@pytest.mark.django_db
def test_paid_applications_are_issued_in_the_background(now):
    paid = submit_private(household_user("71234567"), now, line("9111", 1, gender="F"))
    unpaid = submit_private(household_user("71234568"), now, line("9111", 1, gender="F"))
    pay(paid, now)

    assert services.applications_issue_paid(actor=Actor.system(), now=now) == 1

    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert (paid.status, unpaid.status) == (A.ISSUED, A.AWAITING_PAYMENT)
    assert services.applications_issue_paid(actor=Actor.system(), now=now) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_sent_at_once_give_one_application(now):
    user = household_user()
    domestic_cleaner()
    india()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply() -> None:
        try:
            barrier.wait()
            outcomes.append(submit_private(user, now).status)
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert sorted(outcomes) == sorted([A.AWAITING_PAYMENT, "application_pending"])
    assert LicenceApplication.objects.filter(household__civil_number="71234567").count() == 1
