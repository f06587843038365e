"""Segregation of duties (accounts.permissions): a licensing officer decides licence applications
and cancels licences; an inspector, an administrator and an officer of another department are
refused with a bilingual message, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from manpower.accounts.models import Department, Role, User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.models import AuditEvent
from manpower.licensing import services
from manpower.licensing.models import ApplicationLine, Licence, LicenceApplication
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    UserFactory,
    bricklayer,
    india,
)

from .factories import make_licence

pytestmark = pytest.mark.django_db
A = LicenceApplication.Status

LICENSING_OFFICER = {"role": Role.OFFICER, "department": Department.LICENSING}
NOT_DECIDERS = {
    "inspector": {"role": Role.INSPECTOR, "department": Department.INSPECTION},
    "administrator": {"role": Role.ADMINISTRATOR, "department": Department.INFORMATION_TECHNOLOGY},
    "officer of employment": {"role": Role.OFFICER, "department": Department.EMPLOYMENT},
}


def in_review() -> LicenceApplication:
    """A commercial application for three bricklayers waiting for a decision."""
    application = LicenceApplication.objects.create(
        number="LA-REVIEW0001",
        kind="COMMERCIAL",
        establishment=EstablishmentFactory(),
        applicant=UserFactory(),
        status=A.IN_REVIEW,
        omanisation_met=True,
        submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    ApplicationLine.objects.create(
        application=application,
        occupation=bricklayer(),
        nationality=india(),
        gender="M",
        requested=3,
        granted=3,
    )
    return application


def approve(actor, application, now):
    line = application.lines.get()
    return services.application_approve(
        actor=actor, application=application, reason="Two.", granted={line.pk: 2}, now=now
    )


def reject(actor, application, now):
    return services.application_reject(
        actor=actor, application=application, reason="No site.", now=now
    )


def assert_refused_bilingually(call) -> None:
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.code == "staff_action_not_permitted"
    assert error.value.status == 403
    assert error.value.text("ar") != error.value.text("en")


@pytest.mark.parametrize("decide", [approve, reject])
def test_a_licensing_officer_decides_an_application(decide, now):
    application = in_review()
    officer = UserFactory(**LICENSING_OFFICER)

    decide(Actor.for_user(officer), application, now)

    application.refresh_from_db()
    assert application.status in (A.AWAITING_PAYMENT, A.REJECTED)
    assert application.decided_by_user_id == officer.pk


@pytest.mark.parametrize("decide", [approve, reject])
@pytest.mark.parametrize("staff", NOT_DECIDERS.values(), ids=NOT_DECIDERS.keys())
def test_other_staff_cannot_decide_an_application_and_nothing_changes(decide, staff, now):
    application = in_review()

    assert_refused_bilingually(
        lambda: decide(Actor.for_user(UserFactory(**staff)), application, now)
    )

    application.refresh_from_db()
    assert (application.status, application.invoice_number, application.decided_by_user_id) == (
        A.IN_REVIEW,
        "",
        None,
    )
    assert application.lines.get().granted == 3
    assert not AuditEvent.objects.filter(action__startswith="licence_application.").exists()


@pytest.mark.parametrize("staff", NOT_DECIDERS.values(), ids=NOT_DECIDERS.keys())
def test_only_a_licensing_officer_cancels_a_licence_for_the_ministry(staff, now):
    licence = make_licence()

    assert_refused_bilingually(
        lambda: services.licence_cancel_by_ministry(
            actor=Actor.for_user(UserFactory(**staff)), licence=licence, reason="x", now=now
        )
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="licence.cancelled").exists()

    services.licence_cancel_by_ministry(
        actor=Actor.for_user(UserFactory(**LICENSING_OFFICER)),
        licence=licence,
        reason="Forged documents.",
        now=now,
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED


def test_the_queue_shows_to_a_licensing_officer(client):
    application = in_review()
    client.force_login(UserFactory(**LICENSING_OFFICER))

    page = client.get(reverse("licensing:queue"))

    assert page.status_code == 200 and application.number in page.content.decode()


@pytest.mark.parametrize("staff", NOT_DECIDERS.values(), ids=NOT_DECIDERS.keys())
def test_other_staff_are_told_in_both_languages_they_may_not_decide(client, staff):
    application = in_review()
    user = UserFactory(**staff)
    client.force_login(user)
    with pytest.raises(DomainError) as refusal:
        require_staff_action(
            actor=Actor.for_user(user), action=StaffAction.DECIDE_LICENCE_APPLICATION
        )

    for language in ("ar", "en"):
        User.objects.filter(pk=user.pk).update(language=language)  # the page's language
        queue = client.get(reverse("licensing:queue"))
        assert queue.status_code == 403
        assert escape(refusal.value.text(language)) in queue.content.decode()
        assert application.number not in queue.content.decode()
    line = application.lines.get()
    posted = client.post(
        reverse("licensing:decide", args=[application.number]),
        {"decision": "approve", "reason": "Two.", f"granted_{line.pk}": "2"},
    )

    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.status == A.IN_REVIEW and application.lines.get().granted == 3


def test_one_cancellation_serves_the_ministry_and_the_holder(now):
    outright = make_licence(number="WP-MINISTRY01")
    given_up = make_licence(number="WP-HOLDER0001")
    holder = Actor.for_user(UserFactory())

    services.licence_cancel(
        actor=Actor.for_user(UserFactory(**LICENSING_OFFICER)),
        licence=outright,
        reason="Forged documents.",
        now=now,
    )
    services.licence_cancel(actor=holder, licence=given_up, reason="Not needed.", now=now)

    cancelled = AuditEvent.objects.filter(action="licence.cancelled")
    by_ministry = cancelled.get(object_id=str(outright.pk))
    by_holder = cancelled.get(object_id=str(given_up.pk))
    assert by_ministry.changes["by"] == "ministry" and "by" not in by_holder.changes
    assert_refused_bilingually(
        lambda: services.licence_cancel(
            actor=Actor.for_user(UserFactory(**NOT_DECIDERS["inspector"])),
            licence=make_licence(number="WP-INSPECT001"),
            reason="x",
            now=now,
        )
    )
