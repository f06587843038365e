"""What partner agencies may read, and which fields each scope may see (one place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.registry.models import Employment, Establishment, Person

from . import files
from .models import Agency, FileExchange, OutboxEvent, PartnerCredential, Subscription

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


_ESTABLISHMENT_SQL = """
SELECT e.id, e.cr_number, e.name_ar, e.name_en, e.status, e.legal_form, e.size, e.activity_id,
       e.governorate_id, e.wilayat_id, e.chamber_number, e.chamber_expiry_date, e.registered_at,
       (SELECT COUNT(*) FROM {employment} m
         WHERE m.establishment_id = e.id AND m.status = %s) AS active,
       (SELECT COUNT(*) FROM {employment} m
         WHERE m.establishment_id = e.id AND m.status = %s AND m.person_is_national = %s)
         AS nationals
FROM {establishment} e
WHERE e.cr_number = %s
"""


def establishment_by_cr(*, cr_number: str) -> dict:
    """An establishment and its active workforce, in one query.

    The hottest partner read, hence one hand-written statement instead of two ORM queries (the
    ORM's compiling cost more than the database's work); the counts are those of
    `registry.selectors.establishment_workforce`, which a test holds them to.
    """
    sql = _ESTABLISHMENT_SQL.format(
        employment=Employment._meta.db_table, establishment=Establishment._meta.db_table
    )
    active = Employment.Status.ACTIVE
    found = list(Establishment.objects.raw(sql, [active, active, True, cr_number]))
    if not found:
        raise EstablishmentNotFound(
            _("No establishment with commercial registration %(cr)s."), cr=cr_number
        )
    establishment = found[0]
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
            "active": establishment.active,
            "nationals": establishment.nationals,
            "non_nationals": establishment.active - establishment.nationals,
        },
    }


def _employer_fields(establishment: Establishment | None) -> dict:
    """The employer of an employment; null for a domestic worker employed by a household (the
    household, a private person, is not disclosed to partners)."""
    return {
        "establishment_cr": establishment.cr_number if establishment else None,
        "establishment_name_ar": establishment.name_ar if establishment else None,
        "establishment_name_en": establishment.name_en if establishment else None,
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
                **_employer_fields(e.establishment),
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


class FileNotFound(NotFound):
    code = "file_not_found"


def agency_scopes(*, agency: Agency, now: dt.datetime) -> set[str]:
    """The scopes of the agency's live keys: what its exports may contain."""
    scopes: set[str] = set()
    for granted in PartnerCredential.objects.filter(
        agency=agency, revoked_at__isnull=True, expires_at__gt=now
    ).values_list("scopes", flat=True):
        scopes.update(granted)
    return scopes


def export_rows(*, agency: Agency, kind: str, since: dt.datetime | None) -> Iterator[dict]:
    """The records of an export of `kind` for `agency`, created or registered after `since`."""
    if kind == FileExchange.Kind.EVENTS:
        subscribed = [
            types
            for types in Subscription.objects.filter(agency=agency, is_active=True).values_list(
                "event_types", flat=True
            )
        ]
        wanted = set().union(*subscribed) if subscribed else set()
        events = OutboxEvent.objects.order_by("id")
        if since is not None:
            events = events.filter(created_at__gt=since)
        if "*" not in wanted:
            events = events.filter(event_type__in=wanted)
        for event in events.iterator(chunk_size=2000):
            yield {
                "id": event.pk,
                "created_at": event.created_at,
                "type": event.event_type,
                "subject": event.subject,
                "payload": event.payload,
            }
    elif kind == FileExchange.Kind.ESTABLISHMENTS:
        establishments = Establishment.objects.order_by("registered_at", "id")
        if since is not None:
            establishments = establishments.filter(registered_at__gt=since)
        for row in establishments.values(
            "cr_number", "name_ar", "name_en", "status", "legal_form", "size", "activity_id",
            "governorate_id", "wilayat_id", "chamber_number", "chamber_expiry_date",
            "registered_at",
        ).iterator(chunk_size=2000):  # fmt: skip
            row["activity_code"] = row.pop("activity_id")
            row["governorate_code"] = row.pop("governorate_id")
            row["wilayat_code"] = row.pop("wilayat_id")
            yield row
    else:
        raise ValueError(f"not an export kind: {kind}")


def last_export(*, agency: Agency, kind: str) -> FileExchange | None:
    return (
        FileExchange.objects.filter(
            agency=agency, direction=FileExchange.Direction.EXPORT, kind=kind
        )
        .order_by("-created_at", "-id")
        .first()
    )


def files_of_agency(*, agency: Agency, kinds: set[str]) -> QuerySet[FileExchange]:
    """The agency's files of the given kinds, newest first, without their content."""
    return (
        FileExchange.objects.filter(agency=agency, kind__in=kinds)
        .defer("content", "report")
        .order_by("-created_at", "-id")
    )


def file_of_agency(*, agency: Agency, file_id: int) -> FileExchange:
    """One of the agency's files; another agency's file is not found, not forbidden."""
    found = FileExchange.objects.filter(agency=agency, pk=file_id).first()
    if found is None:
        raise FileNotFound(_("Your agency has no file %(id)s."), id=file_id)
    return found


def file_body(exchanged: FileExchange) -> tuple[bytes | BinaryIO, str]:
    """A file's bytes and content type: those kept on its row, or for a streamed import
    (which keeps none) the copy kept by the app that took it (`files.STREAMED_CONTENT`), as a
    file open to stream."""
    if exchanged.direction == FileExchange.Direction.IMPORT and (
        streamed := files.STREAMED_CONTENT.get(exchanged.kind)
    ):
        opener, content_type = streamed
        return import_string(opener)(sha256=exchanged.sha256), content_type
    return bytes(exchanged.content), "text/csv; charset=utf-8"


def existing_crs(crs: set[str]) -> set[str]:
    """Which of these commercial registration numbers the registry has (one query)."""
    return set(Establishment.objects.filter(cr_number__in=crs).values_list("cr_number", flat=True))
