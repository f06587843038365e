"""Sign-in with a national PKI certificate (ID card or mobile PKI), by challenge and signature.

The server issues a random one-time challenge; the client signs its exact UTF-8 text with the
certificate's private key (RSA PKCS#1 v1.5 or PSS, or ECDSA, all with SHA-256) and sends the
certificate, any intermediate certificates and the signature. The sign-in succeeds only when
the signature is right, the certificate is within its dates, allowed to sign for
authentication, chains to a root in `settings.PKI_TRUST_ROOTS`, is not revoked according to a
current CRL from `settings.PKI_CRL_PATHS` signed by its issuer, and names (in its subject's
`serialNumber`) the civil number of an active account that is not ministry staff. The
certificate checks, which need no database, are in `pki_certificates`; the challenge and the
account are here. See docs/pki.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from cryptography import x509
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor

from . import conf
from .models import PkiChallenge, User
from .pki_certificates import (
    PkiSignInRefused,
    decode_signature,
    parse_certificate,
    parse_intermediates,
    verify_sign_in,
)
from .services import needs_second_factor

CHALLENGE_PREFIX = "manpower-sign-in:"


# --- Refusals of the challenge and the account (the certificate's are in pki_certificates) ----


class ChallengeUnknown(PkiSignInRefused):
    code = "pki_challenge_unknown"
    status = 400


class ChallengeUsed(PkiSignInRefused):
    code = "pki_challenge_used"
    status = 409


class ChallengeExpired(PkiSignInRefused):
    code = "pki_challenge_expired"
    status = 400


class NoAccount(PkiSignInRefused):
    code = "pki_no_account"
    status = 403


class AccountUnusable(PkiSignInRefused):
    code = "pki_account_unusable"
    status = 403


class StaffRefused(PkiSignInRefused):
    code = "pki_staff_refused"
    status = 403


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
                "Ministry staff and college registrars sign in with their password and "
                "authenticator code, not with a certificate."
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
