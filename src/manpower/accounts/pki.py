"""Sign-in with a national PKI certificate (ID card or mobile PKI), by challenge and signature.

The server issues a random one-time challenge; the client signs its exact UTF-8 text with the
certificate's private key (RSA PKCS#1 v1.5 or PSS, or ECDSA, all with SHA-256) and sends the
certificate, any intermediate certificates and the signature. The sign-in succeeds only when
the signature is right, the certificate is within its dates, allowed to sign for
authentication, chains to a root in `settings.PKI_TRUST_ROOTS`, is not revoked according to a
current CRL from `settings.PKI_CRL_PATHS` signed by its issuer, and names (in its subject's
`serialNumber`) the civil number of an active account that is not ministry staff. See
docs/pki.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import re
import secrets
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.identifiers import validate_civil_number

from . import conf
from .models import PkiChallenge, User
from .services import needs_second_factor

logger = logging.getLogger(__name__)

CHALLENGE_PREFIX = "manpower-sign-in:"
# Serial numbers as national cards write them: the bare civil number, "OM12345678", or the
# ETSI EN 319 412-1 natural-person forms "IDCOM-12345678" (identity card) and "PNOOM-…".
_SUBJECT_SERIAL = re.compile(r"(?:(?:IDC|PNO)OM-|OM)?([0-9]+)")
_MIN_RSA_BITS = 2048
_EC_CURVES = (ec.SECP256R1, ec.SECP384R1)
_MAX_PEM_CHARS = 50_000
_MAX_INTERMEDIATES = 4


# --- Refusals: each has its own stable code -----------------------------------------------------


class PkiSignInRefused(DomainError):
    code = "pki_refused"
    status = 401


class ChallengeUnknown(PkiSignInRefused):
    code = "pki_challenge_unknown"
    status = 400


class ChallengeUsed(PkiSignInRefused):
    code = "pki_challenge_used"
    status = 409


class ChallengeExpired(PkiSignInRefused):
    code = "pki_challenge_expired"
    status = 400


class CertificateMalformed(PkiSignInRefused):
    code = "pki_certificate_malformed"
    status = 400


class SignatureMalformed(PkiSignInRefused):
    code = "pki_signature_malformed"
    status = 400


class KeyUnsupported(PkiSignInRefused):
    code = "pki_key_unsupported"


class SignatureInvalid(PkiSignInRefused):
    code = "pki_signature_invalid"


class CertificateExpired(PkiSignInRefused):
    code = "pki_certificate_expired"


class CertificateNotYetValid(PkiSignInRefused):
    code = "pki_certificate_not_yet_valid"


class KeyUsageNotAllowed(PkiSignInRefused):
    code = "pki_key_usage"


class CertificateUntrusted(PkiSignInRefused):
    code = "pki_certificate_untrusted"


class CertificateRevoked(PkiSignInRefused):
    code = "pki_certificate_revoked"


class RevocationUnknown(PkiSignInRefused):
    code = "pki_revocation_unknown"
    status = 503


class CivilNumberMissing(PkiSignInRefused):
    code = "pki_civil_number_missing"


class NoAccount(PkiSignInRefused):
    code = "pki_no_account"
    status = 403


class AccountUnusable(PkiSignInRefused):
    code = "pki_account_unusable"
    status = 403


class StaffRefused(PkiSignInRefused):
    code = "pki_staff_refused"
    status = 403


class NotConfigured(PkiSignInRefused):
    code = "pki_not_configured"
    status = 503


# --- Challenges --------------------------------------------------------------------------------


def challenge_lifetime() -> dt.timedelta:
    return dt.timedelta(seconds=conf.PKI_CHALLENGE_SECONDS.value)


@transaction.atomic
def pki_challenge_issue(*, now: dt.datetime) -> PkiChallenge:
    """A fresh challenge. Issuing one is not audited (anyone may ask, nothing changes for a
    person); its use is. Challenges expired for a day are purged here, so the table stays small."""
    PkiChallenge.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    return PkiChallenge.objects.create(
        value=CHALLENGE_PREFIX + secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + challenge_lifetime(),
    )


def _challenge(challenge_id: str | uuid.UUID) -> PkiChallenge:
    try:
        key = uuid.UUID(str(challenge_id))
    except ValueError:
        key = None
    challenge = key and PkiChallenge.objects.filter(pk=key).first()
    if not challenge:
        raise ChallengeUnknown(_("This sign-in challenge is unknown. Ask for a new one."))
    return challenge


def _consume(challenge: PkiChallenge, now: dt.datetime) -> None:
    """Mark the challenge used, whatever comes next: one attempt per challenge. The conditional
    update lets only one of two concurrent attempts through, on SQLite and PostgreSQL."""
    if challenge.expires_at <= now:
        raise ChallengeExpired(
            _("This sign-in challenge has expired. Sign the new challenge, and send it quickly.")
        )
    with transaction.atomic():
        taken = PkiChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(
            used_at=now
        )
    if not taken:
        raise ChallengeUsed(
            _("This sign-in challenge has already been used. Sign the new challenge.")
        )


# --- Parsing what the client sends ---------------------------------------------------------------


def parse_certificate(pem: str) -> x509.Certificate:
    try:
        certificates = x509.load_pem_x509_certificates(pem.strip().encode()[:_MAX_PEM_CHARS])
    except ValueError:
        certificates = []
    if len(certificates) != 1:
        raise CertificateMalformed(
            _(
                "The certificate could not be read. Send one certificate in PEM form, from "
                "“-----BEGIN CERTIFICATE-----” to “-----END CERTIFICATE-----”."
            )
        )
    return certificates[0]


def parse_intermediates(pem: str) -> list[x509.Certificate]:
    if not pem.strip():
        return []
    try:
        certificates = x509.load_pem_x509_certificates(pem.strip().encode()[:_MAX_PEM_CHARS])
    except ValueError:
        certificates = []
    if not 0 < len(certificates) <= _MAX_INTERMEDIATES:
        raise CertificateMalformed(
            _(
                "The intermediate certificates could not be read. Send up to %(count)d "
                "certificates in PEM form, or leave the field empty."
            ),
            count=_MAX_INTERMEDIATES,
        )
    return certificates


def decode_signature(text: str) -> bytes:
    """Base64, standard or URL-safe alphabet, with or without padding and line breaks."""
    compact = re.sub(r"\s", "", text).replace("-", "+").replace("_", "/")
    try:
        signature = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not 0 < len(signature) <= 1024:
        raise SignatureMalformed(
            _("The signature could not be read. Send it in base64, as “base64 -w0” prints it.")
        )
    return signature


# --- Checks ------------------------------------------------------------------------------------


def verify_signature(certificate: x509.Certificate, signature: bytes, data: bytes) -> None:
    """SHA-256 with RSA (PKCS#1 v1.5 as `openssl dgst -sign` makes it, or PSS) or with ECDSA
    (DER as OpenSSL makes it, or raw r‖s as Web Crypto makes it)."""
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and key.key_size >= _MIN_RSA_BITS:
            try:
                key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
                key.verify(signature, data, pss, hashes.SHA256())
            return
        if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, _EC_CURVES):
            size = (key.curve.key_size + 7) // 8
            if len(signature) == 2 * size:
                r, s = signature[:size], signature[size:]
                signature = encode_dss_signature(int.from_bytes(r), int.from_bytes(s))
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
            return
    except InvalidSignature:
        raise SignatureInvalid(
            _(
                "The signature does not match this challenge and certificate. Sign the exact "
                "challenge text shown, with the key of this certificate."
            )
        ) from None
    raise KeyUnsupported(
        _(
            "This certificate's key type is not accepted. Use an RSA key of at least 2048 bits "
            "or an elliptic-curve key on P-256 or P-384."
        )
    )


def check_dates(certificate: x509.Certificate, now: dt.datetime) -> None:
    if now < certificate.not_valid_before_utc:
        raise CertificateNotYetValid(
            _("This certificate is not valid yet: it is valid from %(date)s."),
            date=certificate.not_valid_before_utc.date().isoformat(),
        )
    if now > certificate.not_valid_after_utc:
        raise CertificateExpired(
            _("This certificate expired on %(date)s. Renew your card or mobile ID."),
            date=certificate.not_valid_after_utc.date().isoformat(),
        )


def check_key_usage(certificate: x509.Certificate) -> None:
    """An authentication certificate: key usage must allow digital signatures, and an extended
    key usage, when present, must include client authentication. (A card's qualified signing
    certificate, non-repudiation only, is for signing documents, not for signing in.)"""
    refused = KeyUsageNotAllowed(
        _(
            "This certificate is not meant for signing in. Use the authentication certificate "
            "of your card or mobile ID, not its signing certificate."
        )
    )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise refused from None
    if not usage.digital_signature:
        raise refused
    try:
        extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return
    if ExtendedKeyUsageOID.CLIENT_AUTH not in extended:
        raise refused


def _paths(setting: str) -> list[Path]:
    value = getattr(settings, setting, None) or []
    return [Path(p) for p in ([value] if isinstance(value, str | Path) else value)]


def trust_roots() -> list[x509.Certificate]:
    roots = []
    try:
        for path in _paths("PKI_TRUST_ROOTS"):
            roots.extend(x509.load_pem_x509_certificates(path.read_bytes()))
    except (OSError, ValueError):
        logger.exception("PKI_TRUST_ROOTS: a file could not be read as PEM certificates")
        roots = []
    if not roots:
        raise NotConfigured(
            _("Certificate sign-in is not available at the moment. Sign in with your password.")
        )
    return roots


def revocation_lists() -> list[x509.CertificateRevocationList]:
    """Every CRL file that can be read (PEM or DER); one that cannot is logged and skipped, so a
    certificate whose issuer then has no current CRL is refused rather than let through."""
    crls = []
    for path in _paths("PKI_CRL_PATHS"):
        try:
            data = path.read_bytes()
            crls.append(
                x509.load_pem_x509_crl(data)
                if b"-----BEGIN" in data
                else x509.load_der_x509_crl(data)
            )
        except (OSError, ValueError):
            logger.exception("PKI_CRL_PATHS: %s could not be read as a CRL", path)
    return crls


def verify_chain(
    certificate: x509.Certificate, intermediates: list[x509.Certificate], now: dt.datetime
) -> list[x509.Certificate]:
    """The verified chain, leaf first and trusted root last (RFC 5280 path validation by
    `cryptography`; the CA certificates follow its Web PKI profile, the leaf was checked above)."""
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(trust_roots()))
        .time(now)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
        .build_client_verifier()
    )
    try:
        return verifier.verify(certificate, intermediates).chain
    except verification.VerificationError:
        raise CertificateUntrusted(
            _(
                "This certificate was not issued by an authority we trust, or its chain is "
                "incomplete. Send the intermediate certificates of your card's issuer too."
            )
        ) from None


def check_revocation(
    chain: list[x509.Certificate],
    crls: list[x509.CertificateRevocationList],
    now: dt.datetime,
) -> None:
    """Each certificate below the root against its issuer's CRLs. Only a CRL that names the
    issuer and carries the issuer's signature counts; one of them must be current (issued, and
    its nextUpdate not passed), and none may list the certificate."""
    for certificate, issuer in zip(chain, chain[1:], strict=False):
        signed = [
            crl
            for crl in crls
            if crl.issuer == issuer.subject and crl.is_signature_valid(issuer.public_key())
        ]
        if any(
            crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
            for crl in signed
        ):
            raise CertificateRevoked(
                _("This certificate has been revoked. Renew your card or mobile ID.")
            )
        if not any(
            crl.last_update_utc <= now
            and crl.next_update_utc is not None
            and now < crl.next_update_utc
            for crl in signed
        ):
            logger.warning("No current CRL of %s", issuer.subject.rfc4514_string())
            raise RevocationUnknown(
                _(
                    "We cannot check now whether this certificate has been revoked. Try again "
                    "later, or sign in with your password."
                )
            )


def civil_number_of(certificate: x509.Certificate) -> str:
    serials = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    match = len(serials) == 1 and _SUBJECT_SERIAL.fullmatch(str(serials[0].value).upper())
    number = match.group(1) if match else ""
    try:
        validate_civil_number(number)
    except ValidationError:
        raise CivilNumberMissing(
            _("This certificate does not carry a civil or resident card number.")
        ) from None
    return number


def verify_sign_in(
    *,
    certificate: x509.Certificate,
    intermediates: list[x509.Certificate],
    signature: bytes,
    data: bytes,
    now: dt.datetime,
) -> str:
    """The civil number that the certificate proves, or a `PkiSignInRefused`."""
    verify_signature(certificate, signature, data)
    check_dates(certificate, now)
    check_key_usage(certificate)
    chain = verify_chain(certificate, intermediates, now)
    check_revocation(chain, revocation_lists(), now)
    return civil_number_of(certificate)


def _user_for(civil_number: str) -> User:
    users = list(User.objects.filter(civil_number=civil_number).order_by("id")[:2])
    if not users:
        raise NoAccount(
            _(
                "No account has the civil number %(number)s. Register first; signing in with a "
                "certificate does not create an account."
            ),
            number=civil_number,
        )
    user = users[0]
    if len(users) > 1 or not user.is_active:
        raise AccountUnusable(
            _(
                "The account with this civil number cannot be signed in with a certificate. "
                "Contact the ministry's help desk."
            )
        )
    if needs_second_factor(user):
        raise StaffRefused(
            _(
                "Ministry staff sign in with their password and authenticator code, not with a "
                "certificate."
            )
        )
    return user


def _facts(certificate: x509.Certificate | None) -> dict[str, str]:
    if certificate is None:
        return {}
    return {
        "certificate_serial": format(certificate.serial_number, "x"),
        "certificate_issuer": certificate.issuer.rfc4514_string()[:200],
    }


def pki_sign_in(
    *,
    actor: Actor,
    challenge_id: str | uuid.UUID,
    certificate_pem: str,
    intermediates_pem: str = "",
    signature_b64: str,
    now: dt.datetime,
) -> User:
    """The user whom the signed challenge proves, or a `PkiSignInRefused` with its own code.

    The challenge is used up first, in its own transaction, so that a refusal spends it too;
    every outcome for a known challenge is audited (a refusal against the challenge, a sign-in
    against the user).
    """
    challenge = _challenge(challenge_id)
    certificate = None
    try:
        _consume(challenge, now)
        certificate = parse_certificate(certificate_pem)
        civil_number = verify_sign_in(
            certificate=certificate,
            intermediates=parse_intermediates(intermediates_pem),
            signature=decode_signature(signature_b64),
            data=challenge.value.encode(),
            now=now,
        )
        user = _user_for(civil_number)
    except PkiSignInRefused as refusal:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="pki_sign_in.refused",
                obj=challenge,
                at=now,
                changes={"code": [None, refusal.code], **_facts(certificate)},
            )
        raise
    with transaction.atomic():
        audit.record(
            actor=Actor.for_user(user, channel=actor.channel, request_id=actor.request_id),
            action="user.signed_in_with_certificate",
            obj=user,
            at=now,
            changes={"challenge": str(challenge.pk), **_facts(certificate)},
        )
    return user
