"""Reads of the portal's own data: the service catalogue and the home page's headline figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.registry.selectors import registry_counts

from .models import AUDIENCE_FIELDS, CHANNEL_FIELDS, Audience, Channel, Service

HEADLINE_CACHE_SECONDS = 600


def services(
    *, audience: str | None = None, channel: str | None = None, text: str = ""
) -> QuerySet[Service]:
    """The catalogue, narrowed by audience, channel and a word in either language.

    Unknown audience or channel codes are ignored rather than rejected: they come from a URL.
    """
    found = Service.objects.all()
    if audience in Audience.values:
        found = found.filter(**{AUDIENCE_FIELDS[Audience(audience)]: True})
    if channel in Channel.values:
        found = found.filter(**{CHANNEL_FIELDS[Channel(channel)]: True})
    for word in text.split()[:5]:
        found = found.filter(
            Q(name_ar__icontains=word)
            | Q(name_en__icontains=word)
            | Q(description_ar__icontains=word)
            | Q(description_en__icontains=word)
            | Q(code__icontains=word)
        )
    return found


def featured_services(limit: int) -> list[Service]:
    """The first online service of each category, so the home page shows the breadth of the
    catalogue rather than its first few rows (the catalogue is small: one query, no paging)."""
    first_of_category: dict[str, Service] = {}
    for service in Service.objects.filter(is_online=True):
        first_of_category.setdefault(service.category, service)
    return list(first_of_category.values())[:limit]


class ServiceNotFound(NotFound):
    code = "service_not_found"


def service_by_code(code: str) -> Service:
    found = Service.objects.filter(code=code.upper()).first()
    if found is None:
        raise ServiceNotFound(
            _("No service with code %(service_code)s is in the catalogue."), service_code=code
        )
    return found


@dataclass(frozen=True)
class Headline:
    establishments: int
    workers: int
    services: int


def headline() -> Headline:
    """Figures for the public home page. Counting two million rows on every visit is wasteful
    and the figures move slowly, so they are cached for a few minutes."""

    def compute() -> Headline:
        counts = registry_counts()
        return Headline(
            establishments=counts.establishments,
            workers=counts.active_workers,
            services=Service.objects.filter(is_online=True).count(),
        )

    return cache.get_or_set("portal:headline", compute, HEADLINE_CACHE_SECONDS)
