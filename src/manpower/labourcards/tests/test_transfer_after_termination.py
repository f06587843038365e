"""A transfer for dismissal goes ahead without the current employer's consent only when the
termination is recorded (contracts' end of service), not on the new employer's word."""

import datetime as dt

import pytest
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.contracts import services as contracts
from manpower.core.actor import Actor
from manpower.labourcards import services as labourcards
from manpower.licensing.services import LicenceNotFound
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_non_nationals_termination_lets_the_transfer_go_ahead_without_consent():
    now = timezone.now()
    establishment = EstablishmentFactory()
    representative = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=representative, establishment=establishment)
    employer_actor = Actor.for_user(representative).acting_for(
        "establishment", establishment.cr_number
    )
    employment = EmploymentFactory(person=PersonFactory(), establishment=establishment)
    other = EstablishmentFactory()
    new_actor = Actor.system("new-employer")

    def ask():
        return labourcards.transfer_request(
            actor=new_actor,
            now=now,
            employment=employment,
            to_establishment=other,
            licence_number="WP-NONE",
            occupation_code="7112",
            basic_wage_baisa=150_000,
            reason="DISMISSED",
        )

    with pytest.raises(labourcards.DismissalNotRecorded):
        ask()
    contracts.termination_submit(
        actor=employer_actor,
        now=now,
        employment=employment,
        ground="POOR_PERFORMANCE",
        last_day=timezone.localdate(now) + dt.timedelta(days=30),
    )
    with pytest.raises(LicenceNotFound):  # past the consent rule: the licence is checked next
        ask()
