"""Every read the portal and the API make of the registry, scoped to what the user may see.

Ministry staff see every establishment; a representative sees only those it is authorised for;
anyone else sees none. A record outside the user's scope is reported as not found, so its
existence is not disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound

from .models import Employment, Establishment


class EstablishmentNotFound(NotFound):
    code = "establishment_not_found"


def establishments_visible_to(user) -> QuerySet[Establishment]:
    if not user.is_authenticated:
        return Establishment.objects.none()
    if user.is_ministry_staff:
        return Establishment.objects.all()
    return Establishment.objects.filter(representatives__user=user)


def establishment_for_user(*, user, cr_number: str) -> Establishment:
    establishment = (
        establishments_visible_to(user)
        .select_related("activity", "governorate", "wilayat")
        .filter(cr_number=cr_number)
        .first()
    )
    if establishment is None:
        raise EstablishmentNotFound(
            _("No establishment with commercial registration %(cr)s was found in your account."),
            cr=cr_number,
        )
    return establishment


@dataclass(frozen=True)
class Workforce:
    active: int
    nationals: int
    non_nationals: int

    @property
    def national_share(self) -> float:
        return self.nationals / self.active if self.active else 0.0


def establishment_workforce(*, establishment: Establishment) -> Workforce:
    """Counts of the active workforce in one indexed aggregate."""
    counts = Employment.objects.filter(
        establishment=establishment, status=Employment.Status.ACTIVE
    ).aggregate(
        active=Count("id"),
        nationals=Count("id", filter=Q(person_is_national=True)),
    )
    return Workforce(
        active=counts["active"],
        nationals=counts["nationals"],
        non_nationals=counts["active"] - counts["nationals"],
    )


def establishment_workers(*, establishment: Establishment) -> QuerySet[Employment]:
    """Active employments of one establishment, newest first, with what a list shows."""
    return (
        Employment.objects.filter(establishment=establishment, status=Employment.Status.ACTIVE)
        .select_related("person", "person__nationality", "occupation")
        .order_by("-id")
    )
