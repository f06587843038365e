"""Sending notices: both languages stored, e-mails only after commit and in the recipient's
language, one keyed notice per recipient, and each user reading only their own."""

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.notifications import services
from manpower.notifications.models import Notification
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    oman,
)

pytestmark = pytest.mark.django_db


def send(user, now, **kwargs):
    """A notice whose subject names a holder in both languages and whose text is a message of
    this app's catalogue ("Notifications")."""
    return services.notify_user(
        user=user,
        subject=services.message(
            "Licence %(number)s of %(holder)s",
            number="WP-1",
            holder=services.localised("النور للتجارة", "Al Noor Trading"),
        ),
        body=apps.get_app_config("notifications").verbose_name,
        link="/licences/WP-1/",
        now=now,
        **kwargs,
    )


def test_a_notice_is_stored_in_both_languages(now):
    user = UserFactory()
    notice = send(user, now)

    notice.refresh_from_db()
    assert notice.subject_en == "Licence WP-1 of Al Noor Trading"
    # In Arabic each value is isolated, so that Latin text keeps its order in the sentence.
    assert notice.subject_ar == "Licence \u2068WP-1\u2069 of \u2068النور للتجارة\u2069"
    assert (notice.body_en, notice.body_ar) == ("Notifications", "الإشعارات")
    assert notice.recipient == user and notice.created_at == now and notice.read_at is None


def test_the_email_leaves_only_after_commit(now, django_capture_on_commit_callbacks):
    user = UserFactory(email="salim@example.om", language="en")
    with django_capture_on_commit_callbacks() as callbacks:
        notice = send(user, now)
        assert mail.outbox == []
    assert len(callbacks) == 1 and mail.outbox == []

    callbacks[0]()

    (email,) = mail.outbox
    assert email.to == ["salim@example.om"]
    assert email.subject == "Licence WP-1 of Al Noor Trading"
    assert "http://127.0.0.1:8000/licences/WP-1/" in email.body
    notice.refresh_from_db()
    assert notice.emailed_at == now


def test_the_email_is_in_the_recipients_language(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(UserFactory(email="amal@example.om", language="ar"), now)
    assert mail.outbox[0].subject == "Licence \u2068WP-1\u2069 of \u2068النور للتجارة\u2069"
    assert "الإشعارات" in mail.outbox[0].body and "كل إشعاراتك" in mail.outbox[0].body


def test_a_rolled_back_change_sends_no_notice(now, django_capture_on_commit_callbacks):
    user = UserFactory(email="salim@example.om")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(user, now)
        raise RuntimeError("the change failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_a_user_without_an_address_gets_the_notice_but_no_email(
    now, django_capture_on_commit_callbacks
):
    user = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notice = send(user, now)
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.emailed_at is None


def test_a_refused_address_does_not_stop_the_others(
    now, django_capture_on_commit_callbacks, monkeypatch
):
    establishment = EstablishmentFactory()
    bad = RepresentationFactory(establishment=establishment, user__email="bad@example.om").user
    good = RepresentationFactory(establishment=establishment, user__email="good@example.om").user
    real_send = services.send_mail

    def refuse_bad(subject, text, sender, to, **kwargs):
        if to == ["bad@example.om"]:
            raise OSError("mailbox unavailable")
        return real_send(subject, text, sender, to, **kwargs)

    monkeypatch.setattr(services, "send_mail", refuse_bad)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_establishment(establishment=establishment, subject="s", body="b", now=now)

    assert [email.to for email in mail.outbox] == [["good@example.om"]]
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed == {bad.pk: None, good.pk: now}


def test_every_active_representative_of_the_establishment_is_told(now):
    establishment = EstablishmentFactory()
    first = RepresentationFactory(establishment=establishment).user
    second = RepresentationFactory(establishment=establishment).user
    RepresentationFactory(establishment=establishment, user__is_active=False)
    RepresentationFactory()  # another establishment's representative

    sent = services.notify_establishment(
        establishment=establishment, subject="s", body="b", now=now
    )

    assert {notice.recipient for notice in sent} == {first, second}
    assert Notification.objects.count() == 2


def test_the_users_of_a_household_are_told(now):
    household = PersonFactory(is_national=True, nationality=oman(), civil_number="71234567")
    user = UserFactory(civil_number="71234567")
    UserFactory(civil_number="71234568")

    sent = services.notify_household(household=household, subject="s", body="b", now=now)

    assert [notice.recipient for notice in sent] == [user]


def test_a_keyed_notice_reaches_each_recipient_once(now, django_capture_on_commit_callbacks):
    establishment = EstablishmentFactory()
    RepresentationFactory(establishment=establishment, user__email="rep@example.om")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify_establishment(
            establishment=establishment, subject="s", body="b", now=now, key="reminder:1"
        )
        again = services.notify_establishment(
            establishment=establishment, subject="s", body="b", now=now, key="reminder:1"
        )
    assert (len(first), again) == (1, [])
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_notice_links_only_to_this_site(now):
    for link in ("https://example.com/", "//example.com/", "licences/"):
        with pytest.raises(ValueError):
            services.notify_user(user=UserFactory(), subject="s", body="b", link=link, now=now)
    assert not Notification.objects.exists()


def test_users_mark_their_own_notices_read(now):
    user, other = UserFactory(), UserFactory(role=Role.ESTABLISHMENT_REP)
    mine = [send(user, now) for _ in range(3)]
    theirs = send(other, now)
    actor = Actor.for_user(user)

    services.notification_mark_read(actor=actor, notification_id=mine[0].pk, now=now)
    services.notification_mark_read(actor=actor, notification_id=mine[0].pk, now=now)  # again
    with pytest.raises(services.NotificationNotFound):
        services.notification_mark_read(actor=actor, notification_id=theirs.pk, now=now)

    assert services.notifications_mark_all_read(actor=actor, now=now) == 2
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
