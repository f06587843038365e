"""Check a document's signature without the web site.

Give either the signed data downloaded from the verification page (a file path or the JSON
itself), checked with the public key alone, or the address read from a QR code, checked
against this installation's database.
"""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.management.base import BaseCommand, CommandError

from manpower.documents import selectors, signing


class Command(BaseCommand):
    help = "Verify a document's signature from its signed JSON or its QR address."

    def add_arguments(self, parser):
        parser.add_argument("document", help="signed JSON (path or text) or a /verify/ address")
        parser.add_argument(
            "--public-key", help="PEM file of the ministry's public key (default: this site's)"
        )

    def handle(self, *args, document, public_key=None, **options):
        key = signing.load_public_key_pem(Path(public_key).read_bytes()) if public_key else None
        if "/verify/" in document:
            self._check_address(document)
        else:
            self._check_signed_json(document, key)

    def _check_signed_json(self, text: str, key) -> None:
        path = Path(text)
        if len(text) < 4096 and path.is_file():
            text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
            payload, signature = data["payload"], data["signature"]
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Not signed document data: {error}") from error
        if not signing.is_genuine(signing.canonical(payload), signature, key):
            raise CommandError("NOT GENUINE: the signature does not match the data.")
        self.stdout.write(
            f"GENUINE: {payload['kind']} {payload['code']} v{payload['version']} "
            f"for {payload['subject_ref']}, issued {payload['issued_at']}"
        )

    def _check_address(self, address: str) -> None:
        url = urlparse(address)
        code = url.path.rstrip("/").rsplit("/", 1)[-1]
        signature = (parse_qs(url.query).get("s") or [url.fragment or None])[0]
        try:
            result = selectors.document_verification(code=code, qr_signature=signature)
        except selectors.DocumentNotFound as error:
            raise CommandError(f"NOT GENUINE: {error.text('en')}") from error
        if not result.trustworthy:
            raise CommandError("NOT GENUINE: the signature does not match the document.")
        self.stdout.write(f"GENUINE: {result.document} — status {result.status}")
