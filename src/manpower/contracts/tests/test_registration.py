"""Registering a contract: every refusal with its code and both languages, and the same
contract sent twice."""

import datetime as dt

import pytest
from django.core.management import call_command

from manpower.contracts import services
from manpower.contracts.models import Contract
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def refused(register, error, **changes):
    with pytest.raises(error) as caught:
        register(**changes)
    assert caught.value.bilingual()["ar"] != caught.value.bilingual()["en"]
    assert not Contract.objects.exists()
    return caught.value


def test_a_contract_is_registered_waiting_for_the_worker(register, national, establishment):
    contract = register()
    assert contract.status == "SUBMITTED" and contract.number.startswith("CT")
    assert contract.person == national and contract.establishment == establishment
    assert contract.full_time and contract.notice_days == 30 and contract.channel == "WEB"
    call_command("verify_audit")  # the registration is in the hash-chained audit log


def test_the_same_contract_sent_twice_is_the_first(register):
    first = register()
    assert register() == first
    assert Contract.objects.count() == 1


def test_other_terms_while_one_waits_are_refused(register):
    register()
    with pytest.raises(services.ContractPending):
        register(basic_wage_baisa=500_000)


def test_unknown_civil_number(register):
    error = refused(register, services.UnknownCivilNumber, civil_number="99999991")
    assert error.status == 422 and "99999991" in error.text("en")


def test_malformed_civil_number(register):
    refused(register, services.InvalidCivilNumber, civil_number="12ab\x00")


def test_not_a_national(register):
    foreigner = PersonFactory(is_national=False)
    error = refused(register, services.NotANational, civil_number=foreigner.civil_number)
    assert error.code == "not_a_national"


def test_establishment_not_active(register, establishment):
    Establishment.objects.filter(pk=establishment.pk).update(status="SUSPENDED")
    establishment.refresh_from_db()
    refused(register, services.EstablishmentNotActive)


def test_wage_under_the_national_minimum(register, settings):
    settings.NATIONAL_MINIMUM_WAGE_BAISA = 325_000
    error = refused(register, services.WageBelowMinimum, basic_wage_baisa=324_999)
    assert "OMR 325.000" in error.text("en")


def test_full_time_job_elsewhere(register, national):
    EmploymentFactory(person=national, establishment=EstablishmentFactory())
    refused(register, services.FullTimeContractElsewhere)


def test_part_time_contract_beside_a_full_time_job(register, national):
    EmploymentFactory(person=national, establishment=EstablishmentFactory())
    assert not register(weekly_hours=20).full_time


def test_start_date_too_far_in_the_past(register, settings):
    settings.CONTRACTS_START_DATE_MAX_DAYS_PAST = 10
    refused(register, services.StartDateTooOld, start_date=TODAY - dt.timedelta(days=11))
    assert register(start_date=TODAY - dt.timedelta(days=10))


def test_probation_over_the_legal_maximum(register):
    refused(register, services.ProbationTooLong, probation_months=7)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "FIXED"},
        {"kind": "FIXED", "end_date": TODAY},
        {"end_date": TODAY + dt.timedelta(days=400)},
        {"weekly_hours": 0},
        {"weekly_hours": 100},
        {"basic_wage_baisa": 10**15},
        {"wilayat_code": "XX-NONE"},
        {"kind": "SEASONAL"},
    ],
)
def test_invalid_terms(register, changes):
    refused(register, services.InvalidContractTerms, **changes)


def test_fixed_term(register):
    contract = register(kind="FIXED", end_date=TODAY + dt.timedelta(days=365))
    assert contract.end_date == TODAY + dt.timedelta(days=365)
