"""What partner agencies may read, and which fields each scope may see (one place)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.registry.models import Employment, Establishment, Person
from manpower.registry.selectors import establishment_workforce

# The fields of a person's employment status that each scope may see. A key with several
# scopes sees the union. "employments.x" is field x of each active employment.
EMPLOYMENT_FIELDS_BY_SCOPE: dict[str, frozenset[str]] = {
    "registry": frozenset(
        {
            "civil_number",
            "name_ar",
            "name_en",
            "nationality",
            "is_national",
            "employed",
            "employments.establishment_cr",
            "employments.establishment_name_ar",
            "employments.establishment_name_en",
            "employments.occupation_code",
            "employments.start_date",
        }
    ),
    "social-insurance": frozenset(
        {
            "civil_number",
            "is_national",
            "employed",
            "employments.establishment_cr",
            "employments.start_date",
            "employments.basic_wage_baisa",
        }
    ),
}


class EstablishmentNotFound(NotFound):
    code = "establishment_not_found"


class PersonNotFound(NotFound):
    code = "person_not_found"


def establishment_by_cr(*, cr_number: str) -> dict:
    establishment = (
        Establishment.objects.select_related("activity", "governorate", "wilayat")
        .filter(cr_number=cr_number)
        .first()
    )
    if establishment is None:
        raise EstablishmentNotFound(
            _("No establishment with commercial registration %(cr)s."), cr=cr_number
        )
    workforce = establishment_workforce(establishment=establishment)
    return {
        "cr_number": establishment.cr_number,
        "name_ar": establishment.name_ar,
        "name_en": establishment.name_en,
        "status": establishment.status,
        "legal_form": establishment.legal_form,
        "size": establishment.size,
        "activity_code": establishment.activity_id,
        "governorate_code": establishment.governorate_id,
        "wilayat_code": establishment.wilayat_id,
        "chamber_number": establishment.chamber_number,
        "chamber_expiry_date": establishment.chamber_expiry_date,
        "registered_at": establishment.registered_at,
        "workforce": {
            "active": workforce.active,
            "nationals": workforce.nationals,
            "non_nationals": workforce.non_nationals,
        },
    }


def person_employment(*, civil_number: str, scopes: set[str]) -> dict:
    """A person's active employment, cut down to the fields the caller's scopes allow."""
    person = Person.objects.filter(civil_number=civil_number).first()
    if person is None:
        raise PersonNotFound(
            _("No person with civil or resident card number %(number)s."), number=civil_number
        )
    employments = (
        Employment.objects.filter(person=person, status=Employment.Status.ACTIVE)
        .select_related("establishment")
        .order_by("start_date", "id")
    )
    full = {
        "civil_number": person.civil_number,
        "name_ar": person.name_ar,
        "name_en": person.name_en,
        "nationality": person.nationality_id,
        "is_national": person.is_national,
        "employed": False,
        "employments": [
            {
                "establishment_cr": e.establishment.cr_number,
                "establishment_name_ar": e.establishment.name_ar,
                "establishment_name_en": e.establishment.name_en,
                "occupation_code": e.occupation_id,
                "start_date": e.start_date,
                "basic_wage_baisa": e.basic_wage_baisa,
            }
            for e in employments
        ],
    }
    full["employed"] = bool(full["employments"])
    allowed = frozenset().union(*(EMPLOYMENT_FIELDS_BY_SCOPE.get(s, frozenset()) for s in scopes))
    answer = {k: v for k, v in full.items() if k in allowed and k != "employments"}
    item_fields = {f.split(".", 1)[1] for f in allowed if f.startswith("employments.")}
    if item_fields:
        answer["employments"] = [
            {k: v for k, v in item.items() if k in item_fields} for item in full["employments"]
        ]
    return answer
