"""Reference data for API clients (public), and the pagination every API list uses.

Reference lists are short, bounded code lists (a few hundred rows at most) that clients cache
whole, so they are returned unpaginated in their explicit code order. With `q`, the occupations
and nationalities are searched instead (the portal's code boxes ask so as a person types): the
best SEARCH_LIMIT matches of a code's start or of words of the Arabic or English name.
"""

from typing import Literal

from django.conf import settings
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination

from . import selectors

MAX_PAGE_SIZE = 500
# Far beyond any list of ours, and within what SQLite and PostgreSQL take as an OFFSET (64 bits).
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`, at most MAX_PAGE_SIZE rows a page from at most MAX_OFFSET; the answer
    is {items, count}."""

    class Input(Schema):
        limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CodeName(Schema):
    """A reference row as other schemas embed it."""

    code: str
    name_ar: str
    name_en: str


class NationalityOut(CodeName):
    alpha2: str


class WilayatOut(CodeName):
    governorate: str

    @staticmethod
    def resolve_governorate(obj) -> str:
        return obj.governorate_id


class _Tree(CodeName):
    parent: str | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent_id


class OccupationOut(_Tree):
    level: int


class ActivityOut(_Tree):
    level: str


router = Router(tags=["reference"])


def _search_text():
    return Query(
        None,
        max_length=selectors.SEARCH_MAX_LENGTH,
        description=(
            "Search instead of listing: the start of a code, or words of the Arabic or English "
            f"name; at most {selectors.SEARCH_LIMIT} answers, best first."
        ),
    )


@router.get("/nationalities", response=list[NationalityOut], auth=None)
def nationalities(request, q: str | None = _search_text()):
    if q is not None:
        return selectors.nationalities_matching(q)
    return selectors.nationalities()


@router.get("/governorates", response=list[CodeName], auth=None)
def governorates(request):
    return selectors.governorates()


@router.get("/wilayats", response=list[WilayatOut], auth=None)
def wilayats(request, governorate: str | None = None):
    return selectors.wilayats(governorate_code=governorate or None)


@router.get("/occupations", response=list[OccupationOut], auth=None)
def occupations(
    request, level: int | None = Query(None, ge=1, le=4), q: str | None = _search_text()
):
    """A licence or a job is recorded under a unit group: ask `level=4` to search those."""
    if q is not None:
        return selectors.occupations_matching(q, level=level)
    return selectors.occupations(level=level)


@router.get("/activities", response=list[ActivityOut], auth=None)
def activities(request, level: Literal["SECTION", "DIVISION"] | None = None):
    """Each section followed by its divisions."""
    return selectors.economic_activities(level=level)
