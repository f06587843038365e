"""Omanisation: where an establishment stands against its required share of nationals and the
minimum of nationals every establishment employs (DOMAIN-RULES), and the compliance certificate
issued to one that meets both.

The figures are the registry's, kept from the employment ledger as employments start and end
(`registry.services.omanisation_recompute`); this module only reads them and applies the rules.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.documents.services import DocumentField, document_issue
from manpower.registry.models import Establishment

from .. import conf, events
from ..models import OmanisationCertificate
from ..selectors import Standing, current_certificate, omanisation_standing

CERTIFICATE_KIND = "OMANISATION_CERTIFICATE"


class NoNationalEmployed(DomainError):
    """The rule that every establishment employs at least one national (or the set minimum)."""

    code = "no_national_employed"
    status = 422


class OmanisationShareNotMet(DomainError):
    code = "omanisation_share_not_met"
    status = 422


class CertificateRefused(DomainError):
    code = "omanisation_certificate_refused"
    status = 422


def require_minimum_nationals(standing: Standing) -> None:
    """Refuse an establishment that employs fewer nationals than every establishment must, a
    rule of its own: it holds even where the activity's required share is nil."""
    if not standing.meets_minimum:
        raise NoNationalEmployed(
            _(
                "Every establishment must employ at least %(minimum)s national(s); this one "
                "employs %(nationals)s of %(workforce)s workers."
            ),
            minimum=standing.minimum_nationals,
            nationals=standing.nationals,
            workforce=standing.workforce,
        )


# --- The compliance certificate ----------------------------------------------------------------


@dataclass(frozen=True)
class CertificateAnswer:
    certificate: OmanisationCertificate
    created: bool  # False: the establishment's current certificate, returned again


def _certificate_fields(
    certificate: OmanisationCertificate, standing: Standing
) -> list[DocumentField]:
    establishment = certificate.establishment
    return [
        DocumentField.of("number", _("Certificate number"), certificate.number),
        DocumentField.of(
            "holder", _("Establishment"), establishment.name_en, establishment.name_ar
        ),
        DocumentField.of("cr_number", _("Commercial registration"), establishment.cr_number),
        DocumentField.of("nationals", _("Nationals employed"), str(certificate.nationals)),
        DocumentField.of("workforce", _("Workers employed"), str(certificate.workforce)),
        DocumentField.of("share", _("Share of nationals"), standing.share_percent),
        DocumentField.of("required", _("Required share"), standing.required_percent),
        DocumentField.of(
            "valid_from", _("Valid from"), certificate.valid_from.strftime("%d/%m/%Y")
        ),
        DocumentField.of(
            "valid_until", _("Valid until"), certificate.valid_until.strftime("%d/%m/%Y")
        ),
    ]


def _refuse_if_not_compliant(establishment: Establishment, standing: Standing) -> None:
    if establishment.status != Establishment.Status.ACTIVE:
        raise CertificateRefused(
            _("The establishment is %(state)s: no certificate can be issued."),
            state=lazy(establishment.get_status_display, str)(),
        )
    if not standing.meets_share:
        raise OmanisationShareNotMet(
            _(
                "The establishment does not meet its Omanisation share: it employs %(nationals)s "
                "nationals of %(workforce)s workers (%(share)s); its activity requires "
                "%(required)s."
            ),
            nationals=standing.nationals,
            workforce=standing.workforce,
            share=standing.share_percent,
            required=standing.required_percent,
        )
    require_minimum_nationals(standing)


def omanisation_certificate_issue(
    *, actor: Actor, establishment: Establishment, now: dt.datetime
) -> CertificateAnswer:
    """Certify an establishment that meets its share and the minimum of nationals, for the
    days the setting gives; while a certificate is valid, asking again returns it."""
    today = timezone.localdate(now)
    with transaction.atomic():
        # One request at a time per establishment: two cannot both issue.
        establishment = (
            Establishment.objects.select_for_update()
            .select_related("activity")
            .get(pk=establishment.pk)
        )
        current = current_certificate(establishment=establishment, today=today)
        if current is not None:
            return CertificateAnswer(current, created=False)
        standing = omanisation_standing(establishment)
        _refuse_if_not_compliant(establishment, standing)
        days = conf.OMANISATION_CERTIFICATE_VALID_DAYS.value
        certificate = OmanisationCertificate(
            number="OC-" + secrets.token_hex(5).upper(),
            establishment=establishment,
            nationals=standing.nationals,
            workforce=standing.workforce,
            required_share_permyriad=int(standing.required * 10000),
            valid_from=today,
            valid_until=today + dt.timedelta(days=days - 1),
            issued_at=now,
        )
        document = document_issue(
            actor=actor,
            now=now,
            kind=CERTIFICATE_KIND,
            subject_ref=certificate.number,
            fields=_certificate_fields(certificate, standing),
        )
        certificate.document_code = document.code
        certificate.save()
        audit.record(
            actor=actor,
            action="omanisation_certificate.issued",
            obj=certificate,
            at=now,
            changes={
                "establishment": [None, establishment.cr_number],
                "nationals": [None, standing.nationals],
                "workforce": [None, standing.workforce],
                "valid_until": [None, certificate.valid_until],
            },
        )
        events.omanisation_certificate_issued(certificate=certificate, now=now)
    return CertificateAnswer(certificate, created=True)
