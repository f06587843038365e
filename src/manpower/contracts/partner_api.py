"""Social insurance's side of contracts on the partner API (scope `social-insurance`): a
person's contracts, and the authority's own answer to a contract waiting for its registration
(an alternative to the ministry asking through the `insurance_registration` adapter).

Listed where the partner API is assembled (integration/urls.py); every exchange lands in the
message log. An answer is idempotent on the contract number: the same answer again returns the
contract as it is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema

from manpower.core.actor import Actor
from manpower.integration.api import POLICE_ERRORS, SOCIAL_INSURANCE_KEY

from . import selectors, services

# The scope is checked with the key, before the body is read; the answers besides success are
# the police operations' (the same problem details).
router = Router(tags=["social insurance"], auth=SOCIAL_INSURANCE_KEY)
PARTNER_ERRORS = POLICE_ERRORS


class ContractOut(Schema):
    contract_number: str
    status: str
    kind: str
    civil_number: str = Field(alias="person.civil_number")
    cr_number: str = Field(alias="establishment.cr_number")
    occupation_code: str
    start_date: dt.date
    end_date: dt.date | None
    basic_wage_baisa: int
    allowances_baisa: int
    weekly_hours: int

    @staticmethod
    def resolve_contract_number(obj) -> str:
        return obj.number

    @staticmethod
    def resolve_occupation_code(obj) -> str:
        return obj.occupation_id


class RegistrationIn(Schema):
    registered: bool = Field(description="True: the worker is registered; false: refused.")
    reason: str = Field("", max_length=500)


@router.get(
    "/persons/{civil_number}/contracts",
    response={200: list[ContractOut], **PARTNER_ERRORS},
    summary="A person's employment contracts, newest first (scope: social-insurance)",
    operation_id="social_insurance_person_contracts",
    url_name="social-insurance-contracts",
)
def person_contracts(request, civil_number: str):
    return list(selectors.contracts_of_person(civil_number=civil_number[:12])[:200])


@router.post(
    "/contracts/{number}/insurance-registration",
    response={200: ContractOut, **PARTNER_ERRORS},
    summary="Social insurance confirms or refuses a contract's registration (scope: "
    "social-insurance; the same answer again returns the contract as it is)",
    operation_id="social_insurance_registration_record",
    url_name="social-insurance-registration",
)
def insurance_registration(request, number: str, payload: RegistrationIn):
    return services.contract_insurance_record(
        actor=Actor.for_partner(request),
        now=timezone.now(),
        contract_number=number[:16],
        registered=payload.registered,
        reason=payload.reason,
    )
