"""The holder is told of each decision on its application and licence, in both languages."""

import pytest
from django.core import mail

from manpower.core.actor import Actor
from manpower.licensing import services
from manpower.notifications.selectors import notifications_of
from manpower.registry.tests.factories import RepresentationFactory, UserFactory

from .conftest import pay
from .factories import make_licence
from .test_applications import household_user, line, officer, submit_private

pytestmark = pytest.mark.django_db


def only_notice(user):
    (notice,) = notifications_of(user=user)
    return notice


def test_an_automatic_approval_tells_the_household(now, django_capture_on_commit_callbacks):
    user = household_user()
    user.email, user.language = "salim@example.om", "en"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_private(user, now)

    notice = only_notice(user)
    assert notice.subject_en == f"Licence application {application.number} approved"
    assert notice.body_en == (
        f"Your licence application {application.number} was approved. Workers granted: 2.\n"
        f"Pay invoice {application.invoice_number} to receive the licence."
    )
    assert notice.subject_ar == f"الموافقة على طلب الترخيص \u2068{application.number}\u2069"
    assert application.invoice_number in notice.body_ar
    assert notice.link == f"/licences/applications/{application.number}/"
    assert [email.to for email in mail.outbox] == [["salim@example.om"]]
    assert mail.outbox[0].subject == notice.subject_en


def test_an_application_cut_by_a_rule_gives_the_reason(now, settings):
    settings.LICENSING_PRIVATE_MAX_PER_HOUSEHOLD = 1
    user = household_user()

    application = submit_private(user, now)

    notice = only_notice(user)
    assert notice.subject_en == (
        f"Licence application {application.number} approved for fewer workers"
    )
    assert "approved for fewer workers than asked: 1 of 2." in notice.body_en
    assert application.notes[0]["en"] in notice.body_en
    assert application.notes[0]["ar"] in notice.body_ar


def test_an_application_for_an_officer_tells_nothing_until_decided(now, settings):
    settings.LICENSING_AUTO_APPROVE_MAX_WORKERS = 1
    user = household_user()
    application = submit_private(user, now)
    assert not notifications_of(user=user).exists()

    services.application_approve(
        actor=officer(),
        application=application,
        reason="Room for one worker only.",
        granted={application.lines.get().pk: 1},
        now=now,
    )

    notice = only_notice(user)
    assert "approved for fewer workers than asked: 1 of 2." in notice.body_en
    assert "Reason: Room for one worker only." in notice.body_en
    assert "Room for one worker only." in notice.body_ar
    assert notice.subject_ar != notice.subject_en


def test_a_rejection_gives_the_officers_reason(now, settings):
    settings.LICENSING_AUTO_APPROVE_MAX_WORKERS = 1
    user = household_user()
    application = submit_private(user, now)

    services.application_reject(
        actor=officer(), application=application, reason="Incomplete file.", now=now
    )

    notice = only_notice(user)
    assert notice.subject_en == f"Licence application {application.number} rejected"
    assert notice.body_en == (
        f"Your licence application {application.number} was rejected.\nReason: Incomplete file."
    )
    assert "Incomplete file." in notice.body_ar and notice.body_ar != notice.body_en


def test_the_issued_licence_is_announced(now):
    user = household_user()
    application = submit_private(user, now, line("9111", 1, gender="F"))
    pay(application, now)

    licence = services.application_payment_confirm(
        actor=Actor.system(), application=application, now=now
    )

    issued = notifications_of(user=user).first()
    assert issued.subject_en == f"Licence {licence.number} issued"
    assert issued.body_en == (
        f"Licence {licence.number} was issued, valid from 29/11/2026 until 28/11/2028. "
        "Workers allowed: 1. Its PDF is on the licence's page."
    )
    assert "28/11/2028" in issued.body_ar and issued.link == f"/licences/{licence.number}/"


def test_a_cancellation_by_the_ministry_tells_every_representative(now):
    licence = make_licence()
    representatives = [
        RepresentationFactory(establishment=licence.establishment).user for _ in range(2)
    ]
    stranger = UserFactory()

    services.licence_cancel_by_ministry(
        actor=officer(), licence=licence, reason="Forged documents.", now=now
    )

    for user in representatives:
        notice = only_notice(user)
        assert notice.subject_en == f"Licence {licence.number} cancelled by the ministry"
        assert notice.body_en.endswith("Reason: Forged documents.")
        assert "Forged documents." in notice.body_ar
    assert not notifications_of(user=stranger).exists()


def test_the_holder_who_cancels_is_not_told(now):
    licence = make_licence()
    user = RepresentationFactory(establishment=licence.establishment).user

    services.licence_cancel_by_holder(
        actor=Actor.for_user(user), licence=licence, reason="Done.", now=now
    )

    assert not notifications_of(user=user).exists()
