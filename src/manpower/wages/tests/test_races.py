"""Two daily runs of the escalation ladder at once (PostgreSQL, real concurrent transactions):
each establishment's month judged once, each step of the ladder taken once."""

import datetime as dt
import importlib
import threading

import pytest
from django.apps import apps
from django.db import close_old_connections, connection

from manpower.integration.models import OutboxEvent
from manpower.notifications.models import Notification
from manpower.payments.models import Invoice
from manpower.wages import services
from manpower.wages.models import MonthlyCompliance, Sanction

from .test_compliance import DAILY, OCTOBER_DUE, at, defaulter  # noqa: F401 (a fixture)

# Real transactions, so the tables are flushed after each test; not `serialized_rollback`, whose
# restore collides with the content types an earlier transactional test's flush re-created.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fees_and_banks(transactional_db):
    """What the migrations seed and these runs need, again after the last test's flush: the fee
    schedule with the WPS fine, and the banks that send the files."""
    for migration, function in (
        ("payments.migrations.0002_seed_fee_schedule", "seed"),
        ("wages.migrations.0002_seed_banks", "load"),
        ("wages.migrations.0006_seed_fine_fee", "seed"),
    ):
        getattr(importlib.import_module(f"manpower.{migration}"), function)(apps, None)


def at_once(call, times: int = 2) -> list:
    """`call` run by `times` threads released together; what each returned or raised."""
    barrier, outcomes = threading.Barrier(times), []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as error:  # noqa: BLE001 (the test asserts there is none)
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return outcomes


@pytest.mark.postgres
@pytest.mark.parametrize("judged_before", [False, True])
def test_two_daily_runs_at_once_judge_each_month_once_and_take_each_step_once(
    defaulter,  # noqa: F811
    judged_before,
):
    if judged_before:  # the month's rows exist: both runs replace them at once
        services.wps_daily(actor=DAILY, now=at(OCTOBER_DUE))
    outcomes = at_once(
        lambda: services.wps_daily(actor=DAILY, now=at(OCTOBER_DUE + dt.timedelta(days=30)))
    )
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert sum(o["sanctions"] for o in outcomes) == 3
    october = MonthlyCompliance.objects.filter(
        establishment=defaulter, salary_year=2026, salary_month=10
    )
    assert october.count() == 1 and not october.get().compliant
    assert sorted(
        Sanction.objects.filter(establishment=defaulter).values_list("action", flat=True)
    ) == ["FINE", "SUSPENSION", "WARNING"]
    assert Invoice.objects.filter(payer_cr_number=defaulter.cr_number).count() == 1
    assert OutboxEvent.objects.filter(event_type__startswith="wps_").count() == 3
    assert Notification.objects.filter(recipient=defaulter.representative).count() == 3
