"""Omanisation: the rule that every establishment employs at least one national, and the
compliance certificate (issue, refusal with the figures, expiry, its QR verification page, the
representative's page and the partner agencies' check)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.documents.services import document_cancel, verify_url
from manpower.integration import services as integration
from manpower.licensing import selectors, services
from manpower.licensing.models import LicenceApplication, OmanisationCertificate
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EstablishmentFactory, RepresentationFactory

from .test_applications import commercial, employer, line, refused, submit

pytestmark = pytest.mark.django_db

OutboxEvent = apps.get_model("integration", "OutboxEvent")


# --- At least one national ---------------------------------------------------------------------


@commercial
def test_an_establishment_without_a_national_is_refused_even_where_no_share_is_required(
    simulator, now, settings
):
    settings.LICENSING_OMANISATION_SHARES = {"default": 0}
    establishment, user = employer(nationals=0, non_nationals=3)

    error = refused("no_national_employed", lambda: submit(establishment, user, now))

    assert "0 of 3" in error.text("en")
    assert not LicenceApplication.objects.exists()


@commercial
def test_the_minimum_of_nationals_is_a_setting_apart_from_the_share(simulator, now, settings):
    settings.LICENSING_MINIMUM_NATIONALS = 2
    # 1 national of 2 workers is 50%, far above construction's 10%, but fewer than 2 nationals.
    establishment, user = employer(nationals=1, non_nationals=1)

    error = refused("no_national_employed", lambda: submit(establishment, user, now))

    assert "2" in error.text("en") and "2" in error.text("ar")


@commercial
def test_sizes_exempt_from_the_minimum_are_a_setting(simulator, now, settings):
    settings.LICENSING_OMANISATION_SHARES = {"default": 0}
    settings.LICENSING_MINIMUM_NATIONALS_EXEMPT_SIZES = ["MICRO"]
    establishment, user = employer(nationals=0, non_nationals=3, size="MICRO")

    application = submit(establishment, user, now, line(count=1))

    assert application.granted_total == 1


@commercial
def test_the_share_is_read_from_the_figures_the_ledger_keeps(simulator, now):
    establishment, user = employer(nationals=2, non_nationals=8)
    # 2 / 0.1 - 10 = 10 more workers; the stored figures, not a count, say so.
    assert services.omanisation_standing(establishment).workforce == 10

    application = submit(establishment, user, now, line(count=12))

    assert application.granted_total == 10 and application.omanisation_met


# --- The certificate ---------------------------------------------------------------------------


def compliant(**fields):
    """2 nationals of 10 workers in construction (10% required)."""
    return employer(nationals=2, non_nationals=8, **fields)


def issue(establishment, user, now):
    return services.omanisation_certificate_issue(
        actor=Actor.for_user(user), establishment=establishment, now=now
    )


def test_an_establishment_that_meets_its_share_is_certified_for_the_set_period(now, settings):
    settings.LICENSING_OMANISATION_CERTIFICATE_VALID_DAYS = 30
    establishment, user = compliant()

    answer = issue(establishment, user, now)

    certificate = answer.certificate
    assert answer.created
    assert (certificate.nationals, certificate.workforce) == (2, 10)
    assert certificate.required_share_permyriad == 1000
    assert certificate.valid_from == dt.date(2026, 11, 29)
    assert certificate.valid_until == dt.date(2026, 12, 28)  # 30 days, the first included
    document = document_by_code(certificate.document_code)
    assert document.kind == "OMANISATION_CERTIFICATE" and bytes(document.pdf)[:5] == b"%PDF-"
    printed = {field["key"]: field["value"] for field in json.loads(document.payload)["fields"]}
    assert printed["share"] == {"en": "20%", "ar": "20%"}
    assert printed["cr_number"]["en"] == establishment.cr_number
    assert AuditEvent.objects.filter(action="omanisation_certificate.issued").count() == 1
    event = OutboxEvent.objects.get(event_type="omanisation_certificate.issued")
    assert event.payload["certificate_number"] == certificate.number


def test_asking_again_while_valid_returns_the_same_certificate(now):
    establishment, user = compliant()
    first = issue(establishment, user, now).certificate

    again = issue(establishment, user, now + dt.timedelta(days=10))

    assert not again.created and again.certificate == first
    assert OmanisationCertificate.objects.count() == 1


def test_below_the_share_the_certificate_is_refused_with_the_figures(now):
    establishment, user = employer(nationals=1, non_nationals=19)  # 5% of the 10% required

    error = refused("omanisation_share_not_met", lambda: issue(establishment, user, now))

    assert "1 nationals of 20 workers (5%)" in error.text("en")
    assert "10%" in error.text("ar")
    assert not OmanisationCertificate.objects.exists()


def test_without_a_national_the_certificate_is_refused_even_with_no_share_required(now, settings):
    settings.LICENSING_OMANISATION_SHARES = {"default": 0}
    establishment, user = employer(nationals=0, non_nationals=2)

    refused("no_national_employed", lambda: issue(establishment, user, now))


def test_a_suspended_establishment_is_not_certified(now):
    establishment, user = compliant(status=Establishment.Status.SUSPENDED)

    refused("omanisation_certificate_refused", lambda: issue(establishment, user, now))


def test_the_certificate_expires_after_its_period_and_a_new_one_can_be_issued(now, settings):
    settings.LICENSING_OMANISATION_CERTIFICATE_VALID_DAYS = 90
    establishment, user = compliant()
    first = issue(establishment, user, now).certificate
    last_day = now + dt.timedelta(days=89)
    after = now + dt.timedelta(days=90)

    assert selectors.omanisation_certificate_check(
        cr_number=establishment.cr_number, now=last_day
    ).valid
    expired = selectors.omanisation_certificate_check(cr_number=establishment.cr_number, now=after)
    assert not expired.valid and expired.certificate is None

    renewed = issue(establishment, user, after)
    assert renewed.created and renewed.certificate != first
    assert renewed.certificate.valid_from == first.valid_until + dt.timedelta(days=1)


def test_a_cancelled_certificate_document_is_no_longer_valid(now, system_actor):
    establishment, user = compliant()
    certificate = issue(establishment, user, now).certificate
    document_cancel(
        actor=system_actor,
        now=now,
        document=document_by_code(certificate.document_code),
        reason="Issued on wrong figures",
    )

    check = selectors.omanisation_certificate_check(cr_number=establishment.cr_number, now=now)

    assert not check.valid


def test_the_qr_code_leads_to_the_verification_page_with_the_figures(client, now):
    establishment, user = compliant()
    certificate = issue(establishment, user, now).certificate
    document = document_by_code(certificate.document_code)

    page = client.get(verify_url(document), headers={"accept-language": "en"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "Genuine" in body and "Not genuine" not in body
    assert certificate.number in body and "Omanisation compliance certificate" in body
    assert "شهادة الالتزام بالتعمين" in body  # the title in both languages
    assert establishment.cr_number in body and "20%" in body


# --- The representative's page -------------------------------------------------------------------


def test_the_representative_requests_and_downloads_the_certificate(client):
    establishment, user = compliant()
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    url = reverse("licensing:omanisation", args=[establishment.cr_number])

    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Meets the requirement" in page and "Request the certificate" in page

    response = client.post(url, headers={"accept-language": "en"}, follow=True)

    certificate = OmanisationCertificate.objects.get(establishment=establishment)
    body = response.content.decode()
    assert "The certificate was issued." in body and certificate.number in body
    pdf = client.get(
        reverse("licensing:omanisation-pdf", args=[establishment.cr_number, certificate.number])
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_the_page_tells_a_refusal_with_the_figures_in_the_error_summary(client):
    establishment, user = employer(nationals=0, non_nationals=4)
    client.force_login(user)

    response = client.post(
        reverse("licensing:omanisation", args=[establishment.cr_number]),
        headers={"accept-language": "ar"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body and "10%" in body
    assert not OmanisationCertificate.objects.exists()


def test_another_establishments_certificate_page_is_not_found(client, now):
    establishment, user = compliant()
    other, other_user = compliant()
    certificate = issue(other, other_user, now).certificate
    client.force_login(user)

    assert client.get(reverse("licensing:omanisation", args=[other.cr_number])).status_code == 404
    pdf = reverse("licensing:omanisation-pdf", args=[other.cr_number, certificate.number])
    assert client.get(pdf).status_code == 404
    mine = reverse("licensing:omanisation-pdf", args=[establishment.cr_number, certificate.number])
    assert client.get(mine).status_code == 404


def test_the_list_shows_each_establishment_with_its_stored_share(client):
    establishment, user = compliant()
    RepresentationFactory(user=user, establishment=EstablishmentFactory())
    client.force_login(user)

    body = client.get(reverse("licensing:omanisation-list")).content.decode()

    assert establishment.cr_number in body and "20.0%" in body and "0.0%" in body


# --- Other agencies: the partner API -------------------------------------------------------------

PARTNER = "/api/partners/v1/establishments/{cr}/omanisation-certificate"


@pytest.fixture
def registry_key(system_actor, now):
    def issue_key(scopes=("registry",)):
        _credential, key = integration.partner_key_create(
            actor=system_actor, agency=integration.agency_by_code("rop"), scopes=scopes, now=now
        )
        return key

    return issue_key


def ask(client, cr, key):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(PARTNER.format(cr=cr), **headers)


def problem(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail_ar"] != body["detail_en"]
    return body


def test_an_agency_is_told_the_certificate_is_valid_with_the_figures(client, registry_key):
    establishment, user = compliant()
    certificate = issue(establishment, user, timezone.now()).certificate

    response = ask(client, establishment.cr_number, registry_key())

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["share_met"] is True
    assert (body["nationals"], body["workforce"]) == (2, 10)
    assert (body["share_percent"], body["required_share_percent"]) == (20.0, 10.0)
    assert body["minimum_nationals"] == 1
    assert body["certificate"]["number"] == certificate.number
    assert body["certificate"]["valid_until"] == certificate.valid_until.isoformat()
    assert f"/verify/{certificate.document_code}/" in body["certificate"]["verification_url"]


def test_an_agency_is_told_not_valid_when_there_is_no_certificate(client, registry_key):
    establishment, _user = employer(nationals=1, non_nationals=19)

    body = ask(client, establishment.cr_number, registry_key()).json()

    assert body["valid"] is False and body["certificate"] is None
    assert body["share_met"] is False and body["share_percent"] == 5.0


def test_an_unknown_cr_is_a_404_problem(client, registry_key):
    body = problem(ask(client, "9999999", registry_key()), 404, "establishment_not_found")
    assert "9999999" in body["detail_en"]


@pytest.mark.parametrize("cr", ["12AB567", "１２３４５６７", "123%00456", "9" * 400])
def test_a_malformed_cr_is_a_4xx_problem_never_a_500(client, registry_key, cr):
    response = ask(client, cr, registry_key())
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_a_key_without_the_registry_scope_is_403(client, registry_key):
    establishment, _user = compliant()
    problem(ask(client, establishment.cr_number, registry_key(["police"])), 403, "scope_missing")


def test_no_key_is_401(client):
    establishment, _user = compliant()
    problem(ask(client, establishment.cr_number, None), 401, "invalid_credential")
