"""Reads of issued documents: the public verification and the PDF for whoever may have it.

Who may download a document's PDF is the issuing app's rule (a receipt belongs to the payer),
so `document_pdf` is called by that app after its own check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound

from . import signing
from .models import Document


class DocumentNotFound(NotFound):
    code = "document_not_found"


@dataclass(frozen=True)
class Verification:
    document: Document
    payload: dict
    genuine: bool
    qr_signature_matches: bool | None  # None when the address carried no signature

    @property
    def trustworthy(self) -> bool:
        """Our signature holds and the scanned address, if any, carries that same signature."""
        return self.genuine and self.qr_signature_matches is not False

    @property
    def status(self) -> str:
        return self.document.status


def document_by_code(code: str) -> Document:
    document = Document.objects.filter(code=code.strip().upper()).first()
    if document is None:
        raise DocumentNotFound(_("No document with code %(ref)s was issued."), ref=code)
    return document


def document_verification(*, code: str, qr_signature: str | None = None) -> Verification:
    """Whether the stored document still carries a valid signature of ours, and whether the
    signature in the scanned address is that same signature."""
    document = document_by_code(code)
    genuine = signing.is_genuine(document.payload, document.signature)
    return Verification(
        document=document,
        payload=json.loads(document.payload),
        genuine=genuine,
        qr_signature_matches=None if qr_signature is None else qr_signature == document.signature,
    )


def signed_payload(document: Document) -> dict:
    """What an offline verifier needs: the payload, its signature and the key id."""
    return {
        "payload": json.loads(document.payload),
        "signature": document.signature,
        "key_id": document.key_id,
    }


def latest_document(*, kind: str, subject_ref: str) -> Document | None:
    return (
        Document.objects.filter(kind=kind, subject_ref=subject_ref)
        .order_by("-version", "-id")
        .first()
    )


def document_pdf(*, code: str) -> bytes:
    return bytes(document_by_code(code).pdf)
