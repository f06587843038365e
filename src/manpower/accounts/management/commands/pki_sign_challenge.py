"""Sign a certificate sign-in challenge as a card reader or mobile ID app would, for testing.

    manage.py pki_sign_challenge --key key.pem --challenge 'manpower-sign-in:…'

prints the base64 signature to paste into the sign-in page or send to the API. It does what
`openssl dgst -sha256 -sign key.pem challenge.txt | base64 -w0` does (docs/pki.md).
"""

import base64
import getpass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Sign a certificate sign-in challenge with a private key (PEM); print it in base64."

    def add_arguments(self, parser):
        parser.add_argument("--key", required=True, type=Path, help="private key, PEM")
        parser.add_argument("--challenge", required=True, help="the challenge text, exactly")
        parser.add_argument("--pss", action="store_true", help="RSA-PSS instead of PKCS#1 v1.5")
        parser.add_argument(
            "--ask-password", action="store_true", help="the key is encrypted: ask its password"
        )

    def handle(self, *args, key: Path, challenge: str, pss: bool, ask_password: bool, **options):
        password = getpass.getpass("Key password: ").encode() if ask_password else None
        try:
            private_key = serialization.load_pem_private_key(key.read_bytes(), password)
        except (OSError, ValueError, TypeError) as exc:
            raise CommandError(f"Cannot read the private key {key}: {exc}") from exc
        data = challenge.encode()
        if isinstance(private_key, rsa.RSAPrivateKey):
            scheme = (
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
                if pss
                else padding.PKCS1v15()
            )
            signature = private_key.sign(data, scheme, hashes.SHA256())
        elif isinstance(private_key, ec.EllipticCurvePrivateKey):
            signature = private_key.sign(data, ec.ECDSA(hashes.SHA256()))
        else:
            raise CommandError("Only RSA and elliptic-curve keys sign in.")
        self.stdout.write(base64.b64encode(signature).decode())
