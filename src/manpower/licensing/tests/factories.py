"""Licences for tests, in this app and in the apps that use licences (labour cards)."""

from __future__ import annotations

import datetime as dt

from manpower.licensing.models import Kind, Licence, LicenceApplication, LicenceVacancy
from manpower.registry.tests.factories import EstablishmentFactory, UserFactory, bricklayer, india


def make_licence(
    *,
    establishment=None,
    issued: int = 3,
    valid_until: dt.date = dt.date(2099, 12, 31),
    status: str = Licence.Status.ACTIVE,
    number: str = "WP-TEST00001",
) -> Licence:
    """An issued commercial licence with one vacancy line: bricklayers, Indian, male."""
    establishment = establishment or EstablishmentFactory()
    application = LicenceApplication.objects.create(
        number="LA-" + number[3:],
        kind=Kind.COMMERCIAL,
        establishment=establishment,
        applicant=UserFactory(),
        status=LicenceApplication.Status.ISSUED,
        omanisation_met=True,
        submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    licence = Licence.objects.create(
        number=number,
        application=application,
        kind=Kind.COMMERCIAL,
        establishment=establishment,
        status=status,
        valid_from=dt.date(2026, 1, 1),
        valid_until=valid_until,
        issued_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    LicenceVacancy.objects.create(
        licence=licence, occupation=bricklayer(), nationality=india(), gender="M", issued=issued
    )
    return licence
