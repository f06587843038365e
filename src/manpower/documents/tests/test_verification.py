import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from manpower.documents import signing
from manpower.documents.services import document_cancel, document_correct, verify_url

pytestmark = pytest.mark.django_db


def page(client, address, language="en"):
    return client.get(address, headers={"accept-language": language})


def test_verification_page_shows_a_valid_document_in_both_languages(client, receipt):
    response = page(client, verify_url(receipt))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Genuine" in body and "Valid" in body
    assert "Al Noor Trading LLC" in body and "شركة النور للتجارة ش.م.م" in body
    assert "Payment receipt" in body and "إيصال دفع" in body


def test_verification_page_in_arabic(client, receipt):
    body = page(client, verify_url(receipt), "ar").content.decode()
    assert 'dir="rtl"' in body
    assert "التحقق من وثيقة" in body and "صحيحة" in body and "سارية" in body


def test_unknown_code_is_not_genuine(client, db):
    response = page(client, reverse("documents:verify", kwargs={"code": "ZZZZZZZZZZ"}))
    assert response.status_code == 404
    assert "Not genuine" in response.content.decode()


def test_a_qr_with_another_signature_is_not_genuine_and_shows_no_fields(client, receipt):
    address = reverse("documents:verify", kwargs={"code": receipt.code}) + "?s=" + "A" * 86
    body = page(client, address).content.decode()
    assert "Not genuine" in body
    assert "Al Noor Trading LLC" not in body


def test_cancelled_and_superseded_documents_say_so(client, receipt, system_actor, now):
    successor = document_correct(
        actor=system_actor, now=now, document=receipt, fields=[], reason="typo"
    )
    body = page(client, verify_url(receipt)).content.decode()
    assert "Superseded by a newer version" in body
    assert reverse("documents:verify", kwargs={"code": successor.code}) in body
    document_cancel(actor=system_actor, now=now, document=successor, reason="void")
    body = page(client, verify_url(successor)).content.decode()
    assert "Genuine" in body and "has been cancelled" in body


def test_public_key_is_published_and_checks_the_signature(client, receipt):
    response = client.get(reverse("documents:public-key"))
    assert response.status_code == 200
    key = signing.load_public_key_pem(response.content)
    assert signing.is_genuine(receipt.payload, receipt.signature, key)


def offline_file(client, receipt, tmp_path):
    response = client.get(reverse("documents:signed-payload", kwargs={"code": receipt.code}))
    path = tmp_path / "signed.json"
    path.write_bytes(response.content)
    key = tmp_path / "key.pem"
    key.write_bytes(client.get(reverse("documents:public-key")).content)
    return path, key


def test_offline_command_accepts_the_signed_data_with_the_public_key(
    client, receipt, tmp_path, capsys
):
    path, key = offline_file(client, receipt, tmp_path)
    call_command("verify_document", str(path), public_key=str(key))
    assert f"GENUINE: RECEIPT {receipt.code}" in capsys.readouterr().out


def test_offline_command_rejects_one_changed_byte(client, receipt, tmp_path):
    path, key = offline_file(client, receipt, tmp_path)
    data = json.loads(path.read_text())
    data["payload"]["fields"][2]["value"]["en"] = "OMR 201.001"
    path.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_document", str(path), public_key=str(key))


def test_offline_command_rejects_another_key(client, receipt, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path, key = offline_file(client, receipt, tmp_path)
    key.write_text(signing.public_key_pem(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_document", str(path), public_key=str(key))


def test_command_checks_a_scanned_address(receipt, capsys):
    call_command("verify_document", verify_url(receipt))
    assert "GENUINE" in capsys.readouterr().out
    forged = verify_url(receipt).replace(receipt.signature, "B" * 86)
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_document", forged)
    with pytest.raises(CommandError, match="NOT GENUINE"):
        call_command("verify_document", "https://x.example/verify/ZZZZZZZZZZ/?s=abc")
