"""A keyed notice sent concurrently (the daily run started twice) reaches each user once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from manpower.notifications import services
from manpower.notifications.models import Notification
from manpower.registry.tests.factories import EstablishmentFactory, RepresentationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_keyed_notice_sent_concurrently_is_stored_and_emailed_once(now):
    establishment = EstablishmentFactory()
    for _ in range(2):
        RepresentationFactory(establishment=establishment)
    results, barrier = [], threading.Barrier(4)

    def run():
        try:
            barrier.wait()
            sent = services.notify_establishment(
                establishment=establishment, subject="s", body="b", now=now, key="reminder:1"
            )
            results.append(len(sent))
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 2, results
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
