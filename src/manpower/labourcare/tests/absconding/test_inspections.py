"""Inspections: opened by the reports thresholds (5 in 30 days, 10 in 365) or by an officer,
assigned, completed; non-compliant on the reports rule stops the establishment's services for
a year, restored by the daily run after it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from manpower.accounts.models import Role
from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.core.actor import Actor, Channel
from manpower.labourcare import services
from manpower.labourcare.models import AbscondingReport, Inspection
from manpower.labourcare.selectors import inspections as selectors
from manpower.registry import services as registry
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import UserFactory

from .conftest import PDF, make_worker

pytestmark = pytest.mark.django_db


def report(actor, establishment, at):
    return services.absconding_report_file(
        actor=actor,
        now=at,
        employment=make_worker(establishment),
        last_working_date=at.date() - dt.timedelta(days=10),
        return_ticket_undertaken=True,
        salary_proof=[PDF],
    )


def test_the_fifth_report_in_a_month_opens_an_inspection(
    employer_actor, establishment, now, proof_dir
):
    for day in range(4):
        report(employer_actor, establishment, now + dt.timedelta(days=day))
    assert not Inspection.objects.exists()
    report(employer_actor, establishment, now + dt.timedelta(days=4))
    inspection = Inspection.objects.get()
    assert inspection.reason == Inspection.Reason.ABSCONDING_REPORTS
    assert inspection.status == Inspection.Status.OPEN
    assert inspection.establishment == establishment
    # A sixth report while it is open opens no second one.
    report(employer_actor, establishment, now + dt.timedelta(days=5))
    assert Inspection.objects.count() == 1


def test_reports_spread_over_more_than_a_month_need_ten_in_a_year(
    employer_actor, establishment, now, proof_dir
):
    for month in range(9):
        report(employer_actor, establishment, now + dt.timedelta(days=31 * month))
    assert not Inspection.objects.exists()
    report(employer_actor, establishment, now + dt.timedelta(days=31 * 9))
    assert Inspection.objects.get().reason == Inspection.Reason.ABSCONDING_REPORTS


def test_reports_older_than_a_year_do_not_count(employer_actor, establishment, now, proof_dir):
    for month in range(9):
        report(employer_actor, establishment, now + dt.timedelta(days=31 * month))
    report(employer_actor, establishment, now + dt.timedelta(days=400))
    assert not Inspection.objects.exists()


def test_the_thresholds_are_settings(employer_actor, establishment, now, proof_dir, settings):
    settings.INSPECTION_REPORTS_IN_MONTH = 2
    report(employer_actor, establishment, now)
    report(employer_actor, establishment, now)
    assert Inspection.objects.count() == 1


def test_another_establishments_reports_do_not_count(
    employer_actor, establishment, now, proof_dir, settings
):
    from manpower.registry.tests.factories import EstablishmentFactory

    settings.INSPECTION_REPORTS_IN_MONTH = 2
    report(employer_actor, establishment, now)
    report(employer_actor, EstablishmentFactory(), now)
    assert not Inspection.objects.exists()


def test_an_officer_opens_an_inspection_with_a_reason(
    officer_actor, employer_actor, establishment, now
):
    with pytest.raises(StaffActionNotPermitted):
        services.inspection_open(
            actor=employer_actor, now=now, establishment=establishment, note="x"
        )
    with pytest.raises(Exception, match="reason"):
        services.inspection_open(
            actor=officer_actor, now=now, establishment=establishment, note=" "
        )
    inspection = services.inspection_open(
        actor=officer_actor, now=now, establishment=establishment, note="Workers' petition"
    )
    assert inspection.reason == Inspection.Reason.OFFICER


@pytest.fixture
def assigned(officer_actor, inspector, establishment, now):
    return reports_inspection(officer_actor, inspector, establishment, now)


def reports_inspection(officer_actor, inspector, establishment, now):
    """An inspection opened for the reports, assigned to `inspector`."""
    inspection = services.inspection_open(
        actor=officer_actor, now=now, establishment=establishment, note="Reports"
    )
    Inspection.objects.filter(pk=inspection.pk).update(reason=Inspection.Reason.ABSCONDING_REPORTS)
    inspection.refresh_from_db()
    return services.inspection_assign(
        actor=officer_actor,
        now=now,
        inspection=inspection,
        inspector=inspector,
        visit_date=now.date() + dt.timedelta(days=3),
    )


def test_only_an_inspector_is_assigned_and_not_in_the_past(
    officer_actor, officer, inspector, establishment, now
):
    inspection = services.inspection_open(
        actor=officer_actor, now=now, establishment=establishment, note="Reports"
    )
    with pytest.raises(services.NotAnInspector):
        services.inspection_assign(
            actor=officer_actor,
            now=now,
            inspection=inspection,
            inspector=officer,
            visit_date=now.date(),
        )
    with pytest.raises(services.InvalidInspection):
        services.inspection_assign(
            actor=officer_actor,
            now=now,
            inspection=inspection,
            inspector=inspector,
            visit_date=now.date() - dt.timedelta(days=1),
        )
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.OPEN


def test_the_inspector_sees_the_visit_in_the_queue(assigned, inspector, officer):
    assert list(selectors.inspector_queue(user=inspector)) == [assigned]
    assert selectors.inspection_for_staff(user=inspector, number=assigned.number) == assigned
    from manpower.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.inspector_queue(user=officer)


def test_another_inspector_cannot_record_the_result(assigned, now):

    other = Actor.for_user(UserFactory(role=Role.INSPECTOR))
    with pytest.raises(services.NotYourInspection):
        services.inspection_complete(
            actor=other, now=now, inspection=assigned, result="COMPLIANT", findings="ok"
        )


def test_compliant_leaves_the_establishment_active(assigned, inspector_actor, now):
    inspection = services.inspection_complete(
        actor=inspector_actor,
        now=now,
        inspection=assigned,
        result="COMPLIANT",
        findings="Wages paid, records kept",
    )
    assert inspection.status == Inspection.Status.COMPLETED
    assert inspection.services_stopped_until is None
    assert inspection.establishment.status == Establishment.Status.ACTIVE


def test_non_compliant_stops_services_for_a_year_and_the_daily_run_restores_them(
    assigned, inspector_actor, now
):
    inspection = services.inspection_complete(
        actor=inspector_actor,
        now=now,
        inspection=assigned,
        result="NON_COMPLIANT",
        findings="False reports",
    )
    assert inspection.services_stopped_until == now.date() + dt.timedelta(days=365)
    establishment = Establishment.objects.get(pk=inspection.establishment_id)
    assert establishment.status == Establishment.Status.SUSPENDED
    from manpower.labourcare.tasks import run_daily

    assert run_daily(now=now + dt.timedelta(days=364)) == {"sanctions_lifted": 0}
    establishment.refresh_from_db()
    assert establishment.status == Establishment.Status.SUSPENDED
    assert run_daily(now=now + dt.timedelta(days=365)) == {"sanctions_lifted": 1}
    establishment.refresh_from_db()
    assert establishment.status == Establishment.Status.ACTIVE
    assert run_daily(now=now + dt.timedelta(days=366)) == {"sanctions_lifted": 0}


def non_compliant(inspector_actor, inspection, now):
    return services.inspection_complete(
        actor=inspector_actor,
        now=now,
        inspection=inspection,
        result="NON_COMPLIANT",
        findings="False reports",
    )


def status_of(establishment):
    return Establishment.objects.get(pk=establishment.pk).status


@pytest.fixture
def administrator(db):
    return Actor.for_user(UserFactory(role=Role.ADMINISTRATOR), channel=Channel.STAFF)


def test_an_establishment_suspended_by_hand_before_the_sanction_stays_suspended_after_it(
    assigned, inspector_actor, administrator, establishment, now
):
    registry.establishment_suspend(
        actor=administrator, establishment=establishment, reason="Court order", now=now
    )
    inspection = non_compliant(inspector_actor, assigned, now)
    assert inspection.suspension_held is False
    assert inspection.services_stopped_until == now.date() + dt.timedelta(days=365)
    assert status_of(establishment) == Establishment.Status.SUSPENDED
    assert services.sanctions_lift_due(actor=administrator, now=now + dt.timedelta(days=365)) == 0
    assert status_of(establishment) == Establishment.Status.SUSPENDED
    inspection.refresh_from_db()
    assert inspection.services_restored_at == now + dt.timedelta(days=365)


def test_an_establishment_suspended_by_hand_during_the_sanction_stays_suspended_after_it(
    assigned, inspector_actor, administrator, establishment, now
):
    inspection = non_compliant(inspector_actor, assigned, now)
    assert inspection.suspension_held is True
    later = now + dt.timedelta(days=100)
    registry.establishment_reactivate(
        actor=administrator, establishment=establishment, reason="Appeal allowed", now=later
    )
    registry.establishment_suspend(
        actor=administrator, establishment=establishment, reason="Court order", now=later
    )
    assert services.sanctions_lift_due(actor=administrator, now=now + dt.timedelta(days=365)) == 0
    assert status_of(establishment) == Establishment.Status.SUSPENDED


def test_an_establishment_reactivated_by_hand_during_the_sanction_stays_active(
    assigned, inspector_actor, administrator, establishment, now
):
    non_compliant(inspector_actor, assigned, now)
    registry.establishment_reactivate(
        actor=administrator, establishment=establishment, reason="Appeal allowed", now=now
    )
    assert services.sanctions_lift_due(actor=administrator, now=now + dt.timedelta(days=365)) == 0
    assert status_of(establishment) == Establishment.Status.ACTIVE


def test_a_second_sanction_during_the_first_keeps_the_suspension_until_its_own_end(
    assigned, officer_actor, inspector, inspector_actor, administrator, establishment, now
):
    first = non_compliant(inspector_actor, assigned, now)
    later = now + dt.timedelta(days=100)
    second = non_compliant(
        inspector_actor, reports_inspection(officer_actor, inspector, establishment, later), later
    )
    first.refresh_from_db()
    assert (first.suspension_held, second.suspension_held) == (False, True)
    assert services.sanctions_lift_due(actor=administrator, now=now + dt.timedelta(days=365)) == 0
    assert status_of(establishment) == Establishment.Status.SUSPENDED
    assert services.sanctions_lift_due(actor=administrator, now=later + dt.timedelta(days=365)) == 1
    assert status_of(establishment) == Establishment.Status.ACTIVE


def test_the_daily_command_runs(capsys, db):
    call_command("labourcare_daily")
    assert "sanctions_lifted" in capsys.readouterr().out


def test_a_completed_inspection_cannot_be_completed_again(assigned, inspector_actor, now):
    services.inspection_complete(
        actor=inspector_actor, now=now, inspection=assigned, result="COMPLIANT", findings="ok"
    )
    with pytest.raises(services.InspectionClosed):
        services.inspection_complete(
            actor=inspector_actor,
            now=now,
            inspection=assigned,
            result="NON_COMPLIANT",
            findings="changed",
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_crossing_the_threshold_open_one_inspection(
    employer_actor, establishment, now, proof_dir, settings
):
    settings.INSPECTION_REPORTS_IN_MONTH = 3
    report(employer_actor, establishment, now)
    workers = [make_worker(establishment) for _ in range(4)]
    barrier, errors = threading.Barrier(len(workers)), []

    def run(employment):
        try:
            barrier.wait()
            services.absconding_report_file(
                actor=employer_actor,
                now=now,
                employment=employment,
                last_working_date=now.date() - dt.timedelta(days=10),
                return_ticket_undertaken=True,
                salary_proof=[PDF],
            )
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(e,)) for e in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AbscondingReport.objects.count() == 5
    assert Inspection.objects.count() == 1
