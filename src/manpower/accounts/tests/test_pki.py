"""Certificate sign-in: a test CA (root + intermediate) made here, and every way a certificate,
a signature or a challenge can be refused."""

from __future__ import annotations

import base64
import datetime as dt
import re
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manpower.accounts import pki, pki_certificates
from manpower.accounts.models import Department, PkiChallenge, Role
from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CIVIL = "12345678"
DAY = dt.timedelta(days=1)
PAGE = reverse("accounts:pki-sign-in")
SUBMIT = reverse("accounts:pki-sign-in-submit")
DASHBOARD = reverse("portal:dashboard")
ARABIC = re.compile(r"[\u0600-\u06FF]")


# --- A test PKI ----------------------------------------------------------------------------------


def _name(common_name: str, serial: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if serial is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attributes)


def _key_usage(**allowed) -> x509.KeyUsage:
    flags = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    return x509.KeyUsage(**(flags | allowed))


CA_KEY_USAGE = _key_usage(key_cert_sign=True, crl_sign=True)


class Authority:
    """A CA: its key and certificate, and what it has revoked."""

    def __init__(
        self,
        name: str,
        at: dt.datetime,
        parent: Authority | None = None,
        *,
        key=None,
        key_usage: x509.KeyUsage | None = CA_KEY_USAGE,
    ):
        self.key = key or ec.generate_private_key(ec.SECP256R1())
        self.name = _name(name)
        self.revoked: list[int] = []
        issuer = parent or self
        builder = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(issuer.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(at - 365 * DAY)
            .not_valid_after(at + 3650 * DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                critical=False,
            )
        )
        if key_usage is not None:  # `openssl req -x509` makes a root without one.
            builder = builder.add_extension(key_usage, critical=True)
        self.certificate = builder.sign(issuer.key, hashes.SHA256())

    def issue(
        self,
        at: dt.datetime,
        *,
        serial: str | None = CIVIL,
        key=None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        key_usage: x509.KeyUsage | None = None,
        extended: list | None = None,
    ):
        """A person's authentication certificate and its key."""
        key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name("Amal Al-Balushi", serial))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or at - 30 * DAY)
            .not_valid_after(not_after or at + 365 * DAY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage or _key_usage(digital_signature=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        if extended is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage(extended), critical=False)
        return builder.sign(self.key, hashes.SHA256()), key

    def crl(self, at: dt.datetime, *, next_update: dt.datetime | None = None, signer=None):
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.name)
            .last_update(at - DAY)
            .next_update(next_update or at + 7 * DAY)
        )
        for serial in self.revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(at - DAY)
                .build()
            )
        return builder.sign(signer or self.key, hashes.SHA256())


class FakeNationalPki:
    """Root → intermediate, configured in settings as the ministry would configure them."""

    def __init__(self, at, settings, tmp_path, *, root_key_usage=True, make_key=None):
        self.at = at
        self.settings = settings
        self.dir = tmp_path
        make_key = make_key or (lambda: None)
        root_options = {} if root_key_usage else {"key_usage": None}
        self.root = Authority("Test National Root CA", at, key=make_key(), **root_options)
        self.intermediate = Authority("Test ID Card CA", at, parent=self.root, key=make_key())
        (tmp_path / "roots.pem").write_bytes(self.root.certificate.public_bytes(PEM))
        settings.PKI_TRUST_ROOTS = [str(tmp_path / "roots.pem")]
        self.publish_crls()

    def publish_crls(self, **intermediate_crl):
        """The root's CRL as PEM, the intermediate's as DER (both forms are read)."""
        (self.dir / "root.crl").write_bytes(self.root.crl(self.at).public_bytes(PEM))
        (self.dir / "id.crl").write_bytes(
            self.intermediate.crl(self.at, **intermediate_crl).public_bytes(DER)
        )
        self.settings.PKI_CRL_PATHS = [str(self.dir / "root.crl"), str(self.dir / "id.crl")]

    def issue(self, **options):
        return self.intermediate.issue(self.at, **options)

    @property
    def chain_pem(self) -> str:
        return self.intermediate.certificate.public_bytes(PEM).decode()


PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER


def sign(key, text: str, scheme: str = "pkcs1") -> str:
    data = text.encode()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
        if scheme == "raw":
            r, s = decode_dss_signature(signature)
            signature = r.to_bytes(32) + s.to_bytes(32)
    elif scheme == "pss":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH)
        signature = key.sign(data, pss, hashes.SHA256())
    else:
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def pem(certificate) -> str:
    return certificate.public_bytes(PEM).decode()


@pytest.fixture
def at():
    """The real clock: the portal pages read it, so the test PKI is built around it."""
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def ca(at, settings, tmp_path):
    return FakeNationalPki(at, settings, tmp_path)


@pytest.fixture
def make_user(django_user_model):
    def make(username="amal", role=Role.INDIVIDUAL, civil_number=CIVIL, **fields):
        if role == Role.OFFICER:
            fields.setdefault("department", Department.LICENSING)
        return django_user_model.objects.create_user(
            username=username, civil_number=civil_number, role=role, **fields
        )

    return make


@pytest.fixture
def actor():
    return Actor(channel=Channel.WEB, label="certificate sign-in")


def attempt(ca, certificate, key, *, actor, at=None, challenge=None, signed_text=None, **extra):
    """One sign-in through the service, with a fresh challenge unless one is given."""
    at = at or ca.at
    challenge = challenge or pki.pki_challenge_issue(now=at)
    return pki.pki_sign_in(
        actor=actor,
        challenge_id=challenge.pk,
        certificate_pem=pem(certificate),
        intermediates_pem=extra.pop("intermediates", ca.chain_pem),
        signature_b64=sign(key, signed_text or challenge.value, **extra),
        now=at,
    )


def refusal(call, *args, **kwargs) -> pki.PkiSignInRefused:
    with pytest.raises(pki.PkiSignInRefused) as caught:
        call(*args, **kwargs)
    return caught.value


def assert_bilingual(error: pki.PkiSignInRefused):
    texts = error.bilingual()
    assert texts["en"] and not ARABIC.search(texts["en"])
    assert ARABIC.search(texts["ar"]), texts["ar"]


def refused_events():
    return list(AuditEvent.objects.filter(action="pki_sign_in.refused").order_by("seq"))


# --- Success ----------------------------------------------------------------------------------


def test_the_page_shows_a_fresh_challenge_with_the_openssl_recipe(client):
    html = client.get(PAGE).content.decode()
    challenge = PkiChallenge.objects.get()
    assert challenge.value.startswith("manpower-sign-in:")
    assert challenge.value in html
    assert f'name="challenge_id" value="{challenge.pk}"' in html
    assert "openssl dgst -sha256 -sign key.pem" in html
    assert "تسجيل الدخول بشهادتك" in html  # Arabic is the default.
    assert challenge.expires_at - challenge.created_at == dt.timedelta(minutes=2)
    client.get(PAGE)
    assert PkiChallenge.objects.count() == 2  # Never the same challenge twice.


def test_a_valid_certificate_signs_the_individual_in_on_the_portal(client, ca, make_user):
    user = make_user()
    certificate, key = ca.issue(extended=[ExtendedKeyUsageOID.CLIENT_AUTH])
    client.get(PAGE)
    challenge = PkiChallenge.objects.get()
    response = client.post(
        SUBMIT,
        {
            "challenge_id": str(challenge.pk),
            "certificate": pem(certificate),
            "intermediates": ca.chain_pem,
            "signature": sign(key, challenge.value),
            "next": "/services/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/services/"
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="user.signed_in_with_certificate")
    assert event.object_id == str(user.pk)
    assert event.actor_user_id == user.pk
    assert event.changes["challenge"] == str(challenge.pk)
    assert event.changes["certificate_serial"] == format(certificate.serial_number, "x")


def test_an_establishment_representative_signs_in_with_an_ecdsa_p256_certificate(
    ca, make_user, actor
):
    user = make_user("rep", role=Role.ESTABLISHMENT_REP)
    certificate, key = ca.issue(key=ec.generate_private_key(ec.SECP256R1()))
    assert attempt(ca, certificate, key, actor=actor) == user


@pytest.mark.parametrize("scheme", ["pss", "raw"])
def test_rsa_pss_and_raw_ecdsa_signatures_are_accepted(ca, make_user, actor, scheme):
    user = make_user()
    key = ec.generate_private_key(ec.SECP256R1()) if scheme == "raw" else None
    certificate, key = ca.issue(key=key)
    assert attempt(ca, certificate, key, actor=actor, scheme=scheme) == user


@pytest.mark.parametrize("serial", ["OM12345678", "IDCOM-12345678", "PNOOM-12345678"])
def test_a_civil_number_with_a_country_prefix_finds_the_account(ca, make_user, actor, serial):
    user = make_user()
    certificate, key = ca.issue(serial=serial)
    assert attempt(ca, certificate, key, actor=actor) == user


def test_the_intermediate_may_come_with_the_trusted_roots_instead(ca, make_user, actor, settings):
    """A ministry may configure the card CA too; the client then sends the leaf alone."""
    user = make_user()
    (ca.dir / "cards.pem").write_text(ca.chain_pem)
    settings.PKI_TRUST_ROOTS = [*settings.PKI_TRUST_ROOTS, str(ca.dir / "cards.pem")]
    certificate, key = ca.issue()
    assert attempt(ca, certificate, key, actor=actor, intermediates="") == user


# --- Refused certificates ---------------------------------------------------------------------


def _expired(ca):
    return ca.issue(not_before=ca.at - 400 * DAY, not_after=ca.at - DAY)


def _not_yet_valid(ca):
    return ca.issue(not_before=ca.at + DAY, not_after=ca.at + 400 * DAY)


def _revoked(ca):
    certificate, key = ca.issue()
    ca.intermediate.revoked.append(certificate.serial_number)
    ca.publish_crls()
    return certificate, key


def _untrusted(ca):
    stranger = Authority("Test ID Card CA", ca.at)  # Same name, another key, not trusted.
    return stranger.issue(ca.at)


def _encipherment_only(ca):
    return ca.issue(key_usage=_key_usage(key_encipherment=True))


def _signing_certificate(ca):
    return ca.issue(key_usage=_key_usage(content_commitment=True))


def _server_only(ca):
    return ca.issue(extended=[ExtendedKeyUsageOID.SERVER_AUTH])


def _no_civil_number(ca):
    return ca.issue(serial=None)


def _letters_for_civil_number(ca):
    return ca.issue(serial="PASSPORT-X123")


def _small_rsa_key(ca):
    return ca.issue(key=rsa.generate_private_key(public_exponent=65537, key_size=1024))


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (_expired, "pki_certificate_expired"),
        (_not_yet_valid, "pki_certificate_not_yet_valid"),
        (_revoked, "pki_certificate_revoked"),
        (_untrusted, "pki_certificate_untrusted"),
        (_encipherment_only, "pki_key_usage"),
        (_signing_certificate, "pki_key_usage"),
        (_server_only, "pki_key_usage"),
        (_no_civil_number, "pki_civil_number_missing"),
        (_letters_for_civil_number, "pki_civil_number_missing"),
        (_small_rsa_key, "pki_key_unsupported"),
    ],
)
def test_only_a_good_certificate_signs_in(ca, make_user, actor, make, code):
    make_user()
    certificate, key = make(ca)
    error = refusal(attempt, ca, certificate, key, actor=actor)
    assert error.code == code
    assert_bilingual(error)
    [event] = refused_events()
    assert event.changes["code"] == [None, code]
    assert event.changes["certificate_serial"] == format(certificate.serial_number, "x")
    assert not AuditEvent.objects.filter(action="user.signed_in_with_certificate").exists()


def test_a_certificate_revoked_higher_up_the_chain_is_refused(ca, make_user, actor):
    """The root revokes the card CA: every card it issued stops signing in."""
    make_user()
    certificate, key = ca.issue()
    ca.root.revoked.append(ca.intermediate.certificate.serial_number)
    ca.publish_crls()
    assert refusal(attempt, ca, certificate, key, actor=actor).code == "pki_certificate_revoked"


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ec_key():
    return ec.generate_private_key(ec.SECP384R1())


@pytest.mark.parametrize("root_key_usage", [True, False], ids=["root-key-usage", "openssl-root"])
@pytest.mark.parametrize("make_key", [_rsa_key, _ec_key], ids=["rsa", "ec"])
def test_a_root_is_trusted_with_or_without_key_usage(
    at, settings, tmp_path, make_user, actor, root_key_usage, make_key
):
    """RFC 5280 §6.1: a trust anchor is input to path validation, not a CA certificate held to
    the profile; `openssl req -x509` makes a root without keyUsage. Revocation still counts."""
    user = make_user()
    ca = FakeNationalPki(at, settings, tmp_path, root_key_usage=root_key_usage, make_key=make_key)
    certificate, key = ca.issue(key=make_key())
    assert attempt(ca, certificate, key, actor=actor) == user
    revoked, revoked_key = _revoked(ca)
    error = refusal(attempt, ca, revoked, revoked_key, actor=actor)
    assert error.code == "pki_certificate_revoked"


def test_a_root_without_key_usage_may_issue_the_certificate_itself(
    at, settings, tmp_path, make_user, actor
):
    user = make_user()
    ca = FakeNationalPki(at, settings, tmp_path, root_key_usage=False)
    certificate, key = ca.root.issue(at)
    assert attempt(ca, certificate, key, actor=actor, intermediates="") == user
    ca.root.revoked.append(certificate.serial_number)
    ca.publish_crls()
    error = refusal(attempt, ca, certificate, key, actor=actor, intermediates="")
    assert error.code == "pki_certificate_revoked"


@pytest.mark.parametrize(
    "options",
    [
        {"key_usage": None},
        {"key_usage": _key_usage(digital_signature=True, crl_sign=True)},
    ],
    ids=["no-key-usage", "no-key-cert-sign"],
)
def test_an_intermediate_is_held_to_the_ca_profile(ca, make_user, actor, options):
    """Only the trust anchor is exempt: an intermediate's keyUsage must be there and allow
    certificate signing."""
    make_user()
    loose = Authority("Test Loose CA", ca.at, parent=ca.root, **options)
    certificate, key = loose.issue(ca.at)
    error = refusal(
        attempt, ca, certificate, key, actor=actor, intermediates=pem(loose.certificate)
    )
    assert error.code == "pki_certificate_untrusted"


def test_a_missing_chain_is_untrusted(ca, make_user, actor):
    make_user()
    certificate, key = ca.issue()
    error = refusal(attempt, ca, certificate, key, actor=actor, intermediates="")
    assert error.code == "pki_certificate_untrusted"


@pytest.mark.parametrize("crl_problem", ["stale", "forged", "missing"])
def test_without_a_current_crl_signed_by_the_issuer_nobody_signs_in(
    ca, make_user, actor, settings, crl_problem
):
    """Fail closed: a CRL past its nextUpdate, one not signed by the issuing CA, or none."""
    make_user()
    certificate, key = ca.issue()
    if crl_problem == "stale":
        ca.publish_crls(next_update=ca.at - dt.timedelta(minutes=1))
    elif crl_problem == "forged":
        ca.publish_crls(signer=ec.generate_private_key(ec.SECP256R1()))
    else:
        settings.PKI_CRL_PATHS = [str(ca.dir / "root.crl"), str(ca.dir / "nowhere.crl")]
    error = refusal(attempt, ca, certificate, key, actor=actor)
    assert error.code == "pki_revocation_unknown"
    assert_bilingual(error)


def test_a_forged_crl_cannot_revoke_either_but_a_stale_one_still_does(ca, make_user, actor):
    """Only the issuer's signature makes a CRL count; a revocation once signed stays true."""
    make_user()
    certificate, key = ca.issue()
    ca.intermediate.revoked.append(certificate.serial_number)
    ca.publish_crls(next_update=ca.at - dt.timedelta(minutes=1))
    assert refusal(attempt, ca, certificate, key, actor=actor).code == "pki_certificate_revoked"
    ca.publish_crls(signer=ec.generate_private_key(ec.SECP256R1()))
    assert refusal(attempt, ca, certificate, key, actor=actor).code == "pki_revocation_unknown"


def test_without_trust_roots_certificate_sign_in_is_unavailable(ca, make_user, actor, settings):
    make_user()
    certificate, key = ca.issue()
    settings.PKI_TRUST_ROOTS = []
    error = refusal(attempt, ca, certificate, key, actor=actor)
    assert (error.code, error.status) == ("pki_not_configured", 503)


# --- Refused signatures and challenges ----------------------------------------------------------


def test_a_signature_over_another_challenge_is_refused(ca, make_user, actor):
    make_user()
    certificate, key = ca.issue()
    other = pki.pki_challenge_issue(now=ca.at)
    error = refusal(attempt, ca, certificate, key, actor=actor, signed_text=other.value)
    assert error.code == "pki_signature_invalid"
    assert_bilingual(error)


def test_a_signature_by_another_key_is_refused(ca, make_user, actor):
    make_user()
    certificate, _ = ca.issue()
    thief_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    error = refusal(attempt, ca, certificate, thief_key, actor=actor)
    assert error.code == "pki_signature_invalid"


def test_a_challenge_is_used_once_even_after_a_success(ca, make_user, actor):
    make_user()
    certificate, key = ca.issue()
    challenge = pki.pki_challenge_issue(now=ca.at)
    attempt(ca, certificate, key, actor=actor, challenge=challenge)
    error = refusal(attempt, ca, certificate, key, actor=actor, challenge=challenge)
    assert error.code == "pki_challenge_used"
    assert_bilingual(error)
    assert refused_events()[0].object_id == str(challenge.pk)


def test_a_refused_attempt_uses_up_its_challenge(ca, make_user, actor):
    make_user()
    certificate, key = ca.issue()
    challenge = pki.pki_challenge_issue(now=ca.at)
    with pytest.raises(pki_certificates.SignatureInvalid):
        attempt(ca, certificate, key, actor=actor, challenge=challenge, signed_text="other")
    error = refusal(attempt, ca, certificate, key, actor=actor, challenge=challenge)
    assert error.code == "pki_challenge_used"


def test_an_expired_challenge_is_refused(ca, make_user, actor):
    make_user()
    certificate, key = ca.issue()
    challenge = pki.pki_challenge_issue(now=ca.at - dt.timedelta(seconds=121))
    error = refusal(attempt, ca, certificate, key, actor=actor, challenge=challenge)
    assert error.code == "pki_challenge_expired"
    assert_bilingual(error)


@pytest.mark.parametrize("challenge_id", ["not-a-uuid", "8a0b1c2d-0000-4000-8000-000000000000"])
def test_an_unknown_challenge_is_refused(ca, actor, challenge_id):
    error = refusal(
        pki.pki_sign_in,
        actor=actor,
        challenge_id=challenge_id,
        certificate_pem="",
        signature_b64="",
        now=ca.at,
    )
    assert error.code == "pki_challenge_unknown"


@pytest.mark.parametrize(
    ("certificate_pem", "signature", "code"),
    [
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", None, "malformed"),
        ("hello", None, "pki_certificate_malformed"),
        (None, "***not base64***", "pki_signature_malformed"),
        (None, "", "pki_signature_malformed"),
    ],
)
def test_unreadable_input_is_refused(ca, make_user, actor, certificate_pem, signature, code):
    make_user()
    certificate, key = ca.issue()
    challenge = pki.pki_challenge_issue(now=ca.at)
    error = refusal(
        pki.pki_sign_in,
        actor=actor,
        challenge_id=str(challenge.pk),
        certificate_pem=certificate_pem or pem(certificate),
        signature_b64=sign(key, challenge.value) if signature is None else signature,
        now=ca.at,
    )
    assert error.code == ("pki_certificate_malformed" if code == "malformed" else code)
    assert error.status == 400


# --- Refused accounts -------------------------------------------------------------------------


def test_an_unknown_civil_number_is_refused_and_no_account_is_made(ca, actor, django_user_model):
    certificate, key = ca.issue()
    error = refusal(attempt, ca, certificate, key, actor=actor)
    assert error.code == "pki_no_account"
    assert CIVIL in error.text("en") and CIVIL in error.text("ar")
    assert_bilingual(error)
    assert not django_user_model.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"role": Role.OFFICER},
        {"role": Role.INSPECTOR},
        {"role": Role.COLLEGE_REGISTRAR, "college_code": "HCT"},
        {"is_staff": True},
    ],
    ids=["officer", "inspector", "registrar", "admin-site"],
)
def test_staff_keep_password_and_code(ca, make_user, actor, fields):
    make_user("staff", **fields)
    certificate, key = ca.issue()
    error = refusal(attempt, ca, certificate, key, actor=actor)
    assert (error.code, error.status) == ("pki_staff_refused", 403)
    assert_bilingual(error)


def test_an_inactive_account_is_refused(ca, make_user, actor):
    make_user(is_active=False)
    certificate, key = ca.issue()
    assert refusal(attempt, ca, certificate, key, actor=actor).code == "pki_account_unusable"


# --- The portal page on refusal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "expired on"), ("ar", "انتهت صلاحية هذه الشهادة")],
)
def test_the_portal_shows_the_refusal_and_a_new_challenge(client, ca, make_user, language, message):
    make_user()
    certificate, key = _expired(ca)
    client.get(PAGE)
    challenge = PkiChallenge.objects.get()
    response = client.post(
        SUBMIT,
        {
            "challenge_id": str(challenge.pk),
            "certificate": pem(certificate),
            "intermediates": ca.chain_pem,
            "signature": sign(key, challenge.value),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 401
    html = response.content.decode()
    assert message in html
    fresh = PkiChallenge.objects.get(used_at__isnull=True)
    assert f'name="challenge_id" value="{fresh.pk}"' in html
    assert "_auth_user_id" not in client.session


def test_the_portal_form_asks_for_the_missing_fields(client):
    response = client.post(SUBMIT, {"challenge_id": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Your certificate (PEM)" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- The API ----------------------------------------------------------------------------------


def test_the_api_signs_in_with_a_certificate_and_returns_a_token(client, ca, make_user):
    user = make_user()
    certificate, key = ca.issue()
    answer = client.post("/api/v1/pki/challenges", content_type="application/json")
    assert answer.status_code == 201
    challenge = answer.json()
    response = client.post(
        "/api/v1/pki/sign-in",
        {
            "challenge_id": challenge["id"],
            "certificate": pem(certificate),
            "intermediates": ca.chain_pem,
            "signature": sign(key, challenge["challenge"]),
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["token"]["name"] == "Certificate sign-in"
    tokens = client.get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {body['token']['key']}")
    assert tokens.status_code == 200
    assert "_auth_user_id" not in client.session  # A token, not a browser session.
    event = AuditEvent.objects.get(action="user.signed_in_with_certificate")
    assert event.channel == Channel.MOBILE


def test_the_api_refuses_with_a_bilingual_problem(client, ca, make_user):
    make_user("staff", role=Role.OFFICER)
    certificate, key = ca.issue()
    challenge = client.post("/api/v1/pki/challenges").json()
    payload = {
        "challenge_id": challenge["id"],
        "certificate": pem(certificate),
        "intermediates": ca.chain_pem,
        "signature": sign(key, challenge["challenge"]),
    }
    response = client.post("/api/v1/pki/sign-in", payload, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "pki_staff_refused"
    assert "password" in problem["detail_en"] and ARABIC.search(problem["detail_ar"])
    again = client.post("/api/v1/pki/sign-in", payload, content_type="application/json")
    assert again.json()["code"] == "pki_challenge_used"


# --- The command-line helper -----------------------------------------------------------------


@pytest.mark.parametrize("options", [[], ["--pss"]])
def test_the_helper_command_signs_a_challenge_that_signs_in(ca, make_user, actor, capsys, options):
    user = make_user()
    certificate, key = ca.issue()
    key_file = ca.dir / "key.pem"
    key_file.write_bytes(
        key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    challenge = pki.pki_challenge_issue(now=ca.at)
    call_command(
        "pki_sign_challenge", "--key", str(key_file), "--challenge", challenge.value, *options
    )
    signature = capsys.readouterr().out.strip()
    signed_in = pki.pki_sign_in(
        actor=actor,
        challenge_id=challenge.pk,
        certificate_pem=pem(certificate),
        intermediates_pem=ca.chain_pem,
        signature_b64=signature,
        now=ca.at,
    )
    assert signed_in == user


# --- The verification module ---------------------------------------------------------------


def test_certificate_verification_needs_no_database():
    """`pki_certificates` imports neither a model nor django.db: it can verify anywhere."""
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, manpower.accounts.pki_certificates; "
            "print(sorted(m for m in sys.modules if m.startswith(('django.db', 'manpower'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "django.db" not in imported and "models" not in imported, imported
    assert "manpower.accounts.pki_certificates" in imported
