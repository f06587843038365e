"""Transfers without the old employer's consent on labour care's facts: an open complaint
about wages against that employer (WAGE_COMPLAINT), or a labour judgment for the worker that
ordered a transfer or dues (LABOUR_JUDGMENT). Neither is the new employer's word."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.labourcards import services
from manpower.labourcards.models import Transfer
from manpower.labourcare import services as labourcare
from manpower.labourcare.models import OfficerPosting
from manpower.registry.tests.factories import UserFactory, bricklayer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    importlib.import_module("manpower.labourcare.migrations.0002_complaint_categories").load(
        django_apps, None
    )


def ask(card, new_employer, actor, now, reason):
    return services.transfer_request(
        actor=actor,
        now=now,
        employment=card.employment,
        to_establishment=new_employer,
        licence_number="WP-LIC000001",
        occupation_code=bricklayer().code,
        basic_wage_baisa=200_000,
        reason=reason,
    )


@pytest.fixture
def new_actor(new_employer):
    from manpower.registry.tests.factories import RepresentationFactory

    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=new_employer)
    return Actor.for_user(user).acting_for("establishment", new_employer.cr_number)


@pytest.fixture
def complain(card, now):
    """The worker's complaint about unpaid wages against the current employer."""
    person = card.employment.person
    worker = UserFactory(civil_number=person.civil_number)

    def complain(category="WAGES_UNPAID"):
        return labourcare.complaint_file(
            actor=Actor.for_user(worker),
            now=now,
            filed_by="WORKER",
            establishment=card.employment.establishment,
            person=person,
            category_code=category,
            description="Not paid since September.",
            claimed_amount_baisa=450_000,
            arose_date=dt.date(2026, 9, 30),
        )

    return complain


@pytest.fixture
def officer(card):
    user = UserFactory(role=Role.OFFICER, department=Department.LABOUR_CARE)
    OfficerPosting.objects.create(user=user, governorate=card.employment.establishment.governorate)
    return Actor.for_user(user)


def test_without_an_open_wage_complaint_the_reason_is_refused(
    card, new_employer, new_actor, complain, now
):
    complain(category="DOCS_PASSPORT_HELD")
    with pytest.raises(services.ComplaintNotOpen):
        ask(card, new_employer, new_actor, now, "WAGE_COMPLAINT")
    assert not Transfer.objects.exists()


def test_an_open_wage_complaint_lets_the_worker_move_without_consent(
    card, new_employer, new_actor, complain, now
):
    complain()
    transfer = ask(card, new_employer, new_actor, now, "WAGE_COMPLAINT")
    assert transfer.status == Transfer.Status.AWAITING_PAYMENT


def test_a_labour_judgment_for_the_worker_lets_the_worker_move(
    card, new_employer, new_actor, complain, officer, system_actor, now
):
    with pytest.raises(services.JudgmentNotRecorded):
        ask(card, new_employer, new_actor, now, "LABOUR_JUDGMENT")
    complaint = complain()
    labourcare.complaint_assign(actor=officer, now=now, complaint=complaint)
    case = labourcare.complaint_refer(actor=officer, now=now, complaint=complaint, reason="x")
    labourcare.case_judgment_record(
        actor=system_actor,
        now=now,
        case=case,
        judgment_date=dt.date(2026, 11, 28),
        judgment_for="WORKER",
        orders_transfer=True,
        dues_baisa=0,
        summary="The worker may move.",
    )
    transfer = ask(card, new_employer, new_actor, now, "LABOUR_JUDGMENT")
    assert transfer.status == Transfer.Status.AWAITING_PAYMENT
