"""Reads of the reference tables for other apps' forms, filters and validation.

Every list has an explicit order ending in its code, so pages and exports are stable.
"""

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import EconomicActivity, Governorate, Nationality, Occupation, Wilayat


class UnknownOccupation(DomainError):
    code = "unknown_occupation"
    status = 422


def nationalities() -> QuerySet[Nationality]:
    """All countries, by English name (the order of ISO lists)."""
    return Nationality.objects.order_by("name_en", "code")


def governorates() -> QuerySet[Governorate]:
    return Governorate.objects.order_by("code")


def wilayats(*, governorate_code: str | None = None) -> QuerySet[Wilayat]:
    """The wilayats of one governorate, or of all when no governorate is given."""
    rows = Wilayat.objects.select_related("governorate").order_by("code")
    if governorate_code is not None:
        rows = rows.filter(governorate_id=governorate_code)
    return rows


def occupations(*, level: int | None = None) -> QuerySet[Occupation]:
    """ISCO-08 groups in code order (a parent just before its children); one level if given."""
    rows = Occupation.objects.order_by("code")
    if level is not None:
        rows = rows.filter(level=level)
    return rows


def occupation_unit(code: str) -> Occupation:
    """The ISCO-08 unit group (four digits) a job is recorded under; any other code is refused."""
    occupation = occupations(level=Occupation.Level.UNIT).filter(code=code.strip()).first()
    if occupation is None:
        raise UnknownOccupation(
            _("%(occupation)s is not an ISCO-08 occupation unit code."), occupation=code
        )
    return occupation


def economic_activities(*, level: str | None = None) -> QuerySet[EconomicActivity]:
    """ISIC Rev.4, each section (a letter) followed by its divisions; one level if given."""
    rows = EconomicActivity.objects.order_by(
        Coalesce("parent", "code"), F("parent").asc(nulls_first=True), "code"
    )
    if level is not None:
        rows = rows.filter(level=level)
    return rows
