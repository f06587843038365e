"""Issuing, correcting and cancelling documents.

Every other app issues its paper through `document_issue`; nothing here updates a signed
column. The payload carries every printed field in both languages, so the PDF, the public
verification page and an offline check all read the same signed text.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.audit import record
from manpower.core.errors import Conflict, required_reason

from . import conf, pdf, signing
from .models import Document

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LENGTH = 10
PAYLOAD_FORMAT = 1

# The one table of allowed status changes.
TRANSITIONS: dict[str, frozenset[str]] = {
    Document.Status.VALID: frozenset({Document.Status.CANCELLED, Document.Status.SUPERSEDED}),
    Document.Status.CANCELLED: frozenset(),
    Document.Status.SUPERSEDED: frozenset(),
}


class DocumentAlreadyIssued(Conflict):
    code = "document_already_issued"


class DocumentNotValid(Conflict):
    code = "document_not_valid"


def _in_both(value, value_ar=None) -> tuple[str, str]:
    """A lazy translation (or plain string) rendered in English and in Arabic; the Arabic may
    be given apart (names)."""
    with translation.override("en"):
        en = str(value)
    with translation.override("ar"):
        ar = str(value if value_ar is None else value_ar)
    return en, ar


def _pair(en: str, ar: str) -> dict[str, str]:
    return {"en": en, "ar": ar}


@dataclass(frozen=True)
class DocumentField:
    """One printed line: a key, its label and value in English and Arabic."""

    key: str
    label_en: str
    label_ar: str
    value_en: str
    value_ar: str

    @classmethod
    def of(cls, key: str, label, value, value_ar=None) -> DocumentField:
        """A field from lazy translations: label and value are rendered once in each language
        (a plain string stays as it is), or the Arabic value is given apart (names)."""
        label_en, label_ar = _in_both(label)
        value_en, value_ar = _in_both(value, value_ar)
        return cls(key, label_en, label_ar, value_en, value_ar)

    def as_payload(self) -> dict:
        return {
            "key": self.key,
            "label": _pair(self.label_en, self.label_ar),
            "value": _pair(self.value_en, self.value_ar),
        }


@dataclass(frozen=True)
class DocumentTable:
    """A printed table (e.g. a licence's vacancies): a title, column headings and rows, each
    text in English and Arabic (a number is the same in both)."""

    key: str
    title: tuple[str, str]
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]

    @classmethod
    def of(cls, key: str, title, columns: Sequence, rows: Sequence[Sequence]) -> DocumentTable:
        """The title, each heading and each cell is a lazy translation, a plain string (the
        same in both languages, as a number is) or an (English, Arabic) pair."""

        def text(value) -> tuple[str, str]:
            return _in_both(*value) if isinstance(value, tuple) else _in_both(value)

        return cls(
            key,
            text(title),
            tuple(text(column) for column in columns),
            tuple(tuple(text(value) for value in row) for row in rows),
        )

    def as_payload(self) -> dict:
        return {
            "key": self.key,
            "title": _pair(*self.title),
            "columns": [_pair(*column) for column in self.columns],
            "rows": [[_pair(*value) for value in row] for row in self.rows],
        }


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(document: Document) -> str:
    """The address printed in the QR code: the public page plus the signature."""
    base = conf.VERIFY_BASE_URL.value.rstrip("/")
    path = reverse("documents:verify", kwargs={"code": document.code})
    return f"{base}{path}?{urlencode({'s': document.signature})}"


def _title(kind: str) -> dict[str, str]:
    label = Document.Kind(kind).label
    titles = {}
    for language in ("en", "ar"):
        with translation.override(language):
            titles[language] = str(label)
    return titles


def _issue(
    *,
    now: dt.datetime,
    kind: str,
    subject_ref: str,
    fields: Sequence[DocumentField],
    tables: Sequence[DocumentTable],
    supersedes: Document | None,
) -> Document:
    code = new_code()
    version = supersedes.version + 1 if supersedes else 1
    payload = {
        "format": PAYLOAD_FORMAT,
        "code": code,
        "kind": kind,
        "title": _title(kind),
        "subject_ref": subject_ref,
        "version": version,
        "supersedes": supersedes.code if supersedes else None,
        "issued_at": now.astimezone(dt.UTC).isoformat(),
        "fields": [field.as_payload() for field in fields],
    }
    if tables:
        payload["tables"] = [table.as_payload() for table in tables]
    text = signing.canonical(payload)
    document = Document(
        code=code,
        kind=kind,
        subject_ref=subject_ref,
        version=version,
        supersedes=supersedes,
        payload=text,
        signature=signing.sign(text),
        key_id=signing.key_id(),
        issued_at=now,
    )
    document.pdf = pdf.render(payload=payload, verify_url=verify_url(document))
    document.save()
    return document


def document_issue(
    *,
    actor: Actor,
    now: dt.datetime,
    kind: str,
    subject_ref: str,
    fields: Sequence[DocumentField],
    tables: Sequence[DocumentTable] = (),
) -> Document:
    """Sign and render a new document; one valid document per kind and subject."""
    with transaction.atomic():
        if Document.objects.filter(
            kind=kind, subject_ref=subject_ref, status=Document.Status.VALID
        ).exists():
            raise DocumentAlreadyIssued(
                _("A valid document has already been issued for %(ref)s."), ref=subject_ref
            )
        document = _issue(
            now=now,
            kind=kind,
            subject_ref=subject_ref,
            fields=fields,
            tables=tables,
            supersedes=None,
        )
        record(
            actor=actor,
            action="document.issued",
            obj=document,
            at=now,
            changes={"code": document.code, "kind": kind, "subject_ref": subject_ref},
        )
    return document


def _change_status(*, document: Document, to: str, now: dt.datetime, reason: str) -> None:
    """Move a document along TRANSITIONS with a conditional update, so that two concurrent
    changes cannot both succeed."""
    reason = required_reason(reason)
    if to not in TRANSITIONS[document.status]:
        raise DocumentNotValid(
            _("Document %(ref)s is no longer valid and cannot be changed."), ref=document.code
        )
    changed = Document.objects.filter(pk=document.pk, status=document.status).update(
        status=to, status_changed_at=now, status_reason=reason.strip()
    )
    if not changed:
        raise DocumentNotValid(
            _("Document %(ref)s is no longer valid and cannot be changed."), ref=document.code
        )
    document.refresh_from_db(fields=["status", "status_changed_at", "status_reason"])


def document_cancel(*, actor: Actor, now: dt.datetime, document: Document, reason: str) -> Document:
    with transaction.atomic():
        _change_status(document=document, to=Document.Status.CANCELLED, now=now, reason=reason)
        record(
            actor=actor,
            action="document.cancelled",
            obj=document,
            at=now,
            changes={"status": ["VALID", "CANCELLED"], "reason": reason},
        )
    return document


def document_correct(
    *,
    actor: Actor,
    now: dt.datetime,
    document: Document,
    fields: Sequence[DocumentField],
    reason: str,
    tables: Sequence[DocumentTable] = (),
) -> Document:
    """Issue the next version with corrected fields; the old one becomes SUPERSEDED."""
    with transaction.atomic():
        _change_status(document=document, to=Document.Status.SUPERSEDED, now=now, reason=reason)
        successor = _issue(
            now=now,
            kind=document.kind,
            subject_ref=document.subject_ref,
            fields=fields,
            tables=tables,
            supersedes=document,
        )
        record(
            actor=actor,
            action="document.corrected",
            obj=successor,
            at=now,
            changes={"supersedes": document.code, "code": successor.code, "reason": reason},
        )
    return successor
