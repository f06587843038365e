import datetime as dt
import json
import shutil
import subprocess

import pytest
from django.db import DatabaseError, transaction

from manpower.core.errors import ReasonRequired
from manpower.core.models import AuditEvent
from manpower.documents import signing
from manpower.documents.models import Document
from manpower.documents.services import (
    DocumentAlreadyIssued,
    DocumentField,
    DocumentNotValid,
    document_cancel,
    document_correct,
    document_issue,
    verify_url,
)

pytestmark = pytest.mark.django_db


def test_issue_signs_the_payload_with_every_printed_field(receipt, now):
    payload = json.loads(receipt.payload)
    assert payload["code"] == receipt.code
    assert payload["title"] == {"en": "Payment receipt", "ar": "إيصال دفع"}
    assert payload["issued_at"] == now.isoformat()
    assert [f["key"] for f in payload["fields"]] == ["invoice", "payer", "amount"]
    assert payload["fields"][1]["value"]["ar"] == "شركة النور للتجارة ش.م.م"
    assert signing.is_genuine(receipt.payload, receipt.signature)
    assert receipt.status == Document.Status.VALID
    assert bytes(receipt.pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="document.issued", object_id=str(receipt.pk)).exists()


def test_code_is_short_and_unambiguous(receipt):
    assert len(receipt.code) == 10
    assert not set(receipt.code) & set("ILOU")


def test_one_changed_byte_of_the_payload_fails_verification(receipt):
    assert signing.is_genuine(receipt.payload, receipt.signature)
    tampered = receipt.payload.replace("201.000", "201.001")
    assert len(tampered) == len(receipt.payload)
    assert not signing.is_genuine(tampered, receipt.signature)
    for position in (0, len(receipt.payload) // 2, len(receipt.payload) - 1):
        flipped = bytearray(receipt.payload.encode())
        flipped[position] ^= 0x01
        assert not signing.is_genuine(flipped.decode(errors="replace"), receipt.signature)


def test_a_signature_of_another_key_is_not_genuine(receipt):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate()
    forged = signing.b64url(other.sign(receipt.payload.encode()))
    assert not signing.is_genuine(receipt.payload, forged)
    assert not signing.is_genuine(receipt.payload, "not-base64!")


def test_database_refuses_to_change_a_signed_column(receipt):
    for change in ({"payload": receipt.payload + " "}, {"signature": "A" * 86}, {"pdf": b"x"}):
        with pytest.raises(DatabaseError), transaction.atomic():
            Document.objects.filter(pk=receipt.pk).update(**change)
    receipt.refresh_from_db()
    assert signing.is_genuine(receipt.payload, receipt.signature)


def test_a_second_valid_document_for_the_same_subject_is_refused(receipt, system_actor, now):
    with pytest.raises(DocumentAlreadyIssued):
        document_issue(
            actor=system_actor,
            now=now,
            kind=Document.Kind.RECEIPT,
            subject_ref=receipt.subject_ref,
            fields=[],
        )
    assert Document.objects.count() == 1


def test_correction_issues_a_new_version_that_supersedes_the_old(
    receipt, system_actor, now, receipt_fields
):
    later = now + dt.timedelta(hours=1)
    fields = [
        *receipt_fields[:2],
        DocumentField("amount", "Amount", "المبلغ", "OMR 1.000", "OMR 1.000"),
    ]
    successor = document_correct(
        actor=system_actor, now=later, document=receipt, fields=fields, reason="wrong amount"
    )
    receipt.refresh_from_db()
    assert receipt.status == Document.Status.SUPERSEDED
    assert receipt.status_reason == "wrong amount"
    assert (successor.version, successor.supersedes, successor.status) == (2, receipt, "VALID")
    assert json.loads(successor.payload)["supersedes"] == receipt.code
    assert signing.is_genuine(successor.payload, successor.signature)
    assert signing.is_genuine(receipt.payload, receipt.signature)  # the old one is untouched


def test_only_a_valid_document_can_be_corrected_or_cancelled(receipt, system_actor, now):
    document_cancel(actor=system_actor, now=now, document=receipt, reason="issued in error")
    assert receipt.status == Document.Status.CANCELLED
    with pytest.raises(DocumentNotValid):
        document_cancel(actor=system_actor, now=now, document=receipt, reason="again")
    with pytest.raises(DocumentNotValid):
        document_correct(actor=system_actor, now=now, document=receipt, fields=[], reason="x")
    assert Document.objects.count() == 1


def test_a_stale_copy_cannot_cancel_a_document_already_superseded(receipt, system_actor, now):
    stale = Document.objects.get(pk=receipt.pk)
    document_correct(actor=system_actor, now=now, document=receipt, fields=[], reason="fix")
    with pytest.raises(DocumentNotValid):
        document_cancel(actor=system_actor, now=now, document=stale, reason="cancel")
    assert Document.objects.get(pk=receipt.pk).status == Document.Status.SUPERSEDED


def test_cancelling_needs_a_reason(receipt, system_actor, now):
    with pytest.raises(ReasonRequired):
        document_cancel(actor=system_actor, now=now, document=receipt, reason="  ")
    receipt.refresh_from_db()
    assert receipt.status == Document.Status.VALID


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils and zbar-tools",
)
def test_the_qr_code_in_the_rendered_pdf_reads_as_the_verification_address(receipt, tmp_path):
    (tmp_path / "doc.pdf").write_bytes(bytes(receipt.pdf))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "doc.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "page.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == verify_url(receipt)
    assert decoded.endswith(f"/verify/{receipt.code}/?s={receipt.signature}")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_prints_the_heading_and_fields_in_both_languages(receipt, tmp_path):
    (tmp_path / "doc.pdf").write_bytes(bytes(receipt.pdf))
    text = subprocess.run(
        ["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Ministry of Manpower", "Payment receipt", "Al Noor Trading LLC", "201.000"):
        assert expected in text
    assert receipt.code in text
