"""Every read the portal and the API make of the registry, scoped to what the user may see.

Ministry staff see every establishment; a representative sees only those it is authorised for;
anyone else sees none. An individual's household is the registry person under the account's
civil number, and the individual sees its workers only. A record outside the user's scope is
reported as not found, so its existence is not disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.core.errors import DomainError, NotFound
from manpower.core.identifiers import normalise_civil_number, validate_civil_number
from manpower.core.models import AuditEvent

from .models import Employment, Establishment, EstablishmentWorkforce, Person


class InvalidCivilNumber(DomainError):
    code = "invalid_civil_number"
    status = 422


def person_by_civil_number(value: str) -> Person | None:
    """The registry's person under a civil or resident card number as typed (spaces dropped),
    None when no one has it; a malformed number is refused with the validator's own message,
    so that the answer is bilingual."""
    number = normalise_civil_number(value or "")
    try:
        validate_civil_number(number)
    except ValidationError as error:
        first = error.error_list[0]
        raise InvalidCivilNumber(first.message, **(first.params or {})) from error
    return Person.objects.filter(civil_number=number).first()


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


@dataclass(frozen=True)
class Omanisation:
    """The stored Omanisation figures of an establishment (kept by
    `services.omanisation_recompute` as the ledger changes)."""

    nationals: int
    workforce: int
    share_permyriad: int

    @property
    def share(self) -> Fraction:
        """The exact share of nationals (0 with no workforce), for comparisons with a rule."""
        return Fraction(self.nationals, self.workforce) if self.workforce else Fraction(0)


def establishment_omanisation(*, establishment: Establishment) -> Omanisation:
    """The stored figures as they are in the database now; zeros before the first worker."""
    found = (
        EstablishmentWorkforce.objects.filter(establishment_id=establishment.pk)
        .values_list("nationals", "workforce", "share_permyriad")
        .first()
    )
    nationals, workforce, share = found or (0, 0, 0)
    return Omanisation(nationals=nationals, workforce=workforce, share_permyriad=share)


def with_omanisation(establishments: QuerySet[Establishment]) -> QuerySet[Establishment]:
    """The establishments annotated with their stored figures (`nationals_count`,
    `workforce_count`, `national_share`, a fraction of one) in the same query."""
    return establishments.annotate(
        nationals_count=Coalesce(F("workforce_figures__nationals"), 0),
        workforce_count=Coalesce(F("workforce_figures__workforce"), 0),
        national_share=Coalesce(F("workforce_figures__share_permyriad"), 0) / 10000.0,
    )


def establishment_by_cr(*, cr_number: str) -> Establishment:
    """Any establishment by its commercial registration, for a partner agency whose key's scope
    opens the registry (agencies see every establishment)."""
    establishment = (
        Establishment.objects.select_related("activity").filter(cr_number=cr_number).first()
    )
    if establishment is None:
        raise EstablishmentNotFound(
            _("No establishment with commercial registration %(cr)s."), cr=cr_number
        )
    return establishment


def establishment_workers(*, establishment: Establishment) -> QuerySet[Employment]:
    """Active employments of one establishment, newest first, with what a list shows."""
    return (
        Employment.objects.filter(establishment=establishment, status=Employment.Status.ACTIVE)
        .select_related("person", "person__nationality", "occupation")
        .order_by("-id")
    )


def household_for_user(*, user) -> Person | None:
    """The household an individual employs domestic workers as: the registry person with the
    account's civil number (the holder of a private licence), or None."""
    if not user.is_authenticated or not user.civil_number:
        return None
    return Person.objects.filter(civil_number=user.civil_number).first()


def household_workers(*, household: Person) -> QuerySet[Employment]:
    """Active employments of one household, newest first, with what a list shows."""
    return (
        Employment.objects.filter(household=household, status=Employment.Status.ACTIVE)
        .select_related("person", "person__nationality", "occupation")
        .order_by("-id")
    )


def household_account(*, household: Person) -> User | None:
    """The active account signed in under the household's civil number (the first, should
    there be several): it is billed the household's fees."""
    if not household.civil_number:
        return None
    return (
        User.objects.filter(civil_number=household.civil_number, is_active=True)
        .order_by("id")
        .first()
    )


def workforce_by_establishment(*, establishment_ids) -> dict[int, Workforce]:
    """Workforce counts of many establishments in one grouped aggregate (no query per row)."""
    rows = (
        Employment.objects.filter(
            establishment_id__in=list(establishment_ids), status=Employment.Status.ACTIVE
        )
        .order_by()
        .values("establishment_id")
        .annotate(active=Count("id"), nationals=Count("id", filter=Q(person_is_national=True)))
    )
    counts = {
        row["establishment_id"]: Workforce(
            active=row["active"],
            nationals=row["nationals"],
            non_nationals=row["active"] - row["nationals"],
        )
        for row in rows
    }
    empty = Workforce(active=0, nationals=0, non_nationals=0)
    return {pk: counts.get(pk, empty) for pk in establishment_ids}


@dataclass(frozen=True)
class RegistryCounts:
    establishments: int
    active_workers: int


def registry_counts() -> RegistryCounts:
    """Headline figures of the public home page (not personal: whole-registry totals)."""
    return RegistryCounts(
        establishments=Establishment.objects.exclude(status=Establishment.Status.CLOSED).count(),
        active_workers=Employment.objects.filter(status=Employment.Status.ACTIVE).count(),
    )


def chamber_membership_queue(*, user, today: date, within_days: int) -> QuerySet[Establishment]:
    """Open establishments whose chamber membership has expired or expires within the window;
    without a valid membership they cannot recruit, so staff follow them up."""
    return (
        establishments_visible_to(user)
        .exclude(status=Establishment.Status.CLOSED)
        .filter(chamber_expiry_date__lte=today + timedelta(days=within_days))
        .order_by("chamber_expiry_date", "cr_number")
    )


def suspended_establishments(*, user) -> QuerySet[Establishment]:
    return (
        establishments_visible_to(user)
        .filter(status=Establishment.Status.SUSPENDED)
        .order_by("cr_number")
    )


def employments_of_person(*, civil_number: str) -> QuerySet[Employment]:
    """A person's own employment records, current first; empty when no number is known."""
    if not civil_number:
        return Employment.objects.none()
    return (
        Employment.objects.filter(person__civil_number=civil_number)
        .select_related("establishment", "household", "occupation")
        .order_by("status", "-start_date", "-id")
    )


def representatives_of(*, establishment: Establishment) -> QuerySet[User]:
    """The active users who act for an establishment: they receive its notices."""
    return User.objects.filter(
        representations__establishment=establishment, is_active=True
    ).order_by("id")


def employment_periods_of(*, civil_numbers) -> list[tuple[str, date, date | None]]:
    """`(civil number, start date, end date or None)` of every employment in the ledger of the
    persons with `civil_numbers` (a list, or a query of civil numbers run as a subquery), in
    one query: the technical colleges' reports count their graduates in work from it."""
    return list(
        Employment.objects.filter(person__civil_number__in=civil_numbers)
        .order_by("person__civil_number", "start_date", "id")
        .values_list("person__civil_number", "start_date", "end_date")
    )


# The audit actions of an establishment's status changes (services._establishment_move).
STATUS_ACTIONS = (
    "establishment.suspended",
    "establishment.reactivated",
    "establishment.closed",
    "establishment.sanction_suspended",
    "establishment.sanction_lifted",
)


def suspended_by_sanction(*, establishment: Establishment) -> bool:
    """The establishment is suspended, and by a sanction (its latest status change in the audit
    trail is a sanction's suspension): not suspended by hand, which a sanction's end leaves."""
    if establishment.status != Establishment.Status.SUSPENDED:
        return False
    latest = (
        AuditEvent.objects.filter(
            object_type=Establishment._meta.label_lower,
            object_id=str(establishment.pk),
            action__in=STATUS_ACTIONS,
        )
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    return latest == "establishment.sanction_suspended"
