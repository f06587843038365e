"""Work-abandonment reports (MD 270/2018): filing, refusals, approval, the worker's objection and
its outcomes; each rule and time limit with `now` passed in."""

from __future__ import annotations

import datetime as dt

import pytest

from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.labourcards import selectors as labourcards_selectors
from manpower.labourcare import services
from manpower.labourcare.models import AbscondingReport, DisputeRecord
from manpower.registry.models import Employment
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory
from manpower.wages.models import Exemption, SalaryFile

from .conftest import LAST_DAY, PDF, make_worker, wps_paid

pytestmark = pytest.mark.django_db


def file(actor, employment, now, *, last_day=LAST_DAY, proof=PDF, ticket=True):
    return services.absconding_report_file(
        actor=actor,
        now=now,
        employment=employment,
        last_working_date=last_day,
        return_ticket_undertaken=ticket,
        salary_proof=[proof] if proof is not None else None,
    )


@pytest.fixture
def approved(employer_actor, officer_actor, employment, now, proof_dir):
    report = file(employer_actor, employment, now)
    return services.absconding_report_approve(actor=officer_actor, now=now, report=report)


def card_of(employment):
    return labourcards_selectors.open_card_of(employment_id=employment.pk)


# --- Filing ------------------------------------------------------------------------------------


def test_a_report_is_filed_with_the_proof_kept_on_disk_under_its_digest(
    employer_actor, employment, now, proof_dir
):
    report = file(employer_actor, employment, now)
    assert report.status == AbscondingReport.Status.SUBMITTED
    assert report.number.startswith("AB-")
    assert report.salary_proof_source == AbscondingReport.ProofSource.UPLOAD
    assert report.salary_proof_months == []
    assert services.proof_path(report).read_bytes() == PDF


def test_a_report_is_filed_from_the_seventh_day_after_the_last_working_day(
    employer_actor, employment, now, proof_dir
):
    today = now.date()
    with pytest.raises(services.TooEarly) as error:
        file(employer_actor, employment, now, last_day=today - dt.timedelta(days=6))
    assert "days after the last working day" in error.value.text("en")
    assert error.value.text("ar") != error.value.text("en")
    assert not AbscondingReport.objects.exists()
    report = file(employer_actor, employment, now, last_day=today - dt.timedelta(days=7))
    assert report.status == AbscondingReport.Status.SUBMITTED


def test_a_last_working_day_in_the_future_is_refused(employer_actor, employment, now, proof_dir):
    with pytest.raises(services.TooEarly):
        file(employer_actor, employment, now, last_day=now.date() + dt.timedelta(days=1))


def test_the_min_days_is_a_setting(employer_actor, employment, now, proof_dir, settings):
    settings.ABSCONDING_MIN_DAYS_ABSENT = 20
    with pytest.raises(services.TooEarly):
        file(employer_actor, employment, now)


def test_the_pdf_is_required_for_the_months_missing_from_the_wps(
    employer_actor, employment, now, proof_dir
):
    wps_paid(employment, (2026, 8), (2026, 10))
    with pytest.raises(services.ProofRequired) as error:
        file(employer_actor, employment, now, proof=None)
    assert "for 09/2026: attach proof of the last 3 months" in error.value.text("en")
    assert "09/2026" in error.value.text("ar")
    assert not AbscondingReport.objects.exists()
    report = file(employer_actor, employment, now)
    assert report.salary_proof_source == AbscondingReport.ProofSource.UPLOAD
    assert report.salary_proof_months == ["2026-08", "2026-10"]


def test_the_proof_is_waived_for_a_worker_in_the_country_under_a_month(
    employer_actor, establishment, now
):
    newcomer = make_worker(establishment, start_date=now.date() - dt.timedelta(days=20))
    report = file(
        employer_actor, newcomer, now, last_day=now.date() - dt.timedelta(days=8), proof=None
    )
    assert report.salary_proof_source == AbscondingReport.ProofSource.WAIVED
    assert report.salary_proof_sha256 == ""


# --- The Wage Protection System's files as the proof ---------------------------------------------


def test_every_month_paid_in_the_wps_files_the_report_without_an_upload(
    employer_actor, employment, now, proof_dir
):
    wps_paid(employment)
    report = file(employer_actor, employment, now, proof=PDF)
    assert report.salary_proof_source == AbscondingReport.ProofSource.WPS
    assert report.salary_proof_months == ["2026-08", "2026-09", "2026-10"]
    assert report.salary_proof_sha256 == ""  # the upload was not needed, so not kept
    assert not proof_dir.exists() or not list(proof_dir.iterdir())


def test_with_the_wps_no_upload_is_asked_by_default(employer_actor, employment, now):
    wps_paid(employment)
    report = file(employer_actor, employment, now, proof=None)
    assert report.salary_proof_source == AbscondingReport.ProofSource.WPS
    assert report.salary_proof_month_labels == ["08/2026", "09/2026", "10/2026"]


@pytest.mark.parametrize("proof", [None, PDF])
def test_a_month_missing_from_the_wps_refuses_the_report_naming_it(
    employer_actor, employment, now, proof
):
    wps_paid(employment, (2026, 8), (2026, 10))
    with pytest.raises(services.ProofRequired) as error:
        file(employer_actor, employment, now, proof=proof)
    assert error.value.status == 422
    assert "no salary paid to the worker by this employer for 09/2026" in error.value.text("en")
    assert "09/2026" in error.value.text("ar")
    assert "Wage Protection" not in error.value.text("ar")
    assert not AbscondingReport.objects.exists()


def test_a_line_in_another_establishments_file_does_not_count(employer_actor, employment, now):
    other = EstablishmentFactory()
    wps_paid(employment, (2026, 8), (2026, 9))
    wps_paid(employment, (2026, 10), establishment=other)
    with pytest.raises(services.ProofRequired) as error:
        file(employer_actor, employment, now, proof=None)
    assert "for 10/2026:" in error.value.text("en")
    assert not AbscondingReport.objects.exists()


def test_a_rejected_file_does_not_count(employer_actor, employment, now):
    wps_paid(employment, (2026, 8), (2026, 10))
    wps_paid(employment, (2026, 9), status=SalaryFile.Status.REJECTED)
    with pytest.raises(services.ProofRequired) as error:
        file(employer_actor, employment, now, proof=None)
    assert "for 09/2026:" in error.value.text("en")


def test_a_month_not_due_yet_is_not_asked(employer_actor, employment, now, settings):
    """With wages due 10 days after the month, October's are not due on 8 November."""
    settings.WAGES_PAYMENT_DEADLINE_DAYS = 10
    wps_paid(employment, (2026, 8), (2026, 9))
    at = now.replace(day=8)
    report = file(employer_actor, employment, at, last_day=dt.date(2026, 11, 1), proof=None)
    assert report.salary_proof_months == ["2026-08", "2026-09"]


def test_a_last_working_day_at_a_months_end_counts_that_month(employer_actor, employment, now):
    wps_paid(employment, (2026, 9), (2026, 10), (2026, 11))
    later = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
    report = file(employer_actor, employment, later, last_day=dt.date(2026, 11, 30), proof=None)
    assert report.salary_proof_months == ["2026-09", "2026-10", "2026-11"]


def test_months_the_wps_exempts_the_worker_from_are_not_asked(
    employer_actor, establishment, now, officer
):
    """A worker hired by this employer on 10 September after years with another: August is
    before the employment, September a new hire's month, and an officer exempted October."""
    hired = make_worker(establishment, start_date=dt.date(2026, 9, 10))
    EmploymentFactory(
        person=hired.person,
        establishment=EstablishmentFactory(),
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2026, 9, 9),
        status=Employment.Status.ENDED,
    )
    Exemption.objects.create(
        employment=hired,
        reason=Exemption.Reason.UNPAID_LEAVE,
        note="leave",
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2026, 10, 31),
        recorded_by=officer,
        recorded_at=now,
    )
    report = file(employer_actor, hired, now, proof=None)
    assert report.salary_proof_source == AbscondingReport.ProofSource.WPS
    assert report.salary_proof_months == []


def test_a_renamed_executable_is_not_a_pdf(employer_actor, employment, now, proof_dir):
    with pytest.raises(services.ProofInvalid) as error:
        file(employer_actor, employment, now, proof=b"MZ\x90\x00\x03" + b"\x00" * 100)
    assert error.value.status == 422
    assert not AbscondingReport.objects.exists()
    assert not [p for p in proof_dir.iterdir()]


def test_an_oversized_proof_is_refused_and_nothing_kept(
    employer_actor, employment, now, proof_dir, settings
):
    settings.ABSCONDING_PROOF_MAX_BYTES = 1024
    with pytest.raises(services.ProofTooLarge) as error:
        file(employer_actor, employment, now, proof=PDF + b"0" * 2000)
    assert error.value.status == 413
    assert not AbscondingReport.objects.exists()
    assert not [p for p in proof_dir.iterdir()]


def test_the_return_ticket_undertaking_is_required(employer_actor, employment, now, proof_dir):
    with pytest.raises(services.UndertakingRequired):
        file(employer_actor, employment, now, ticket=False)


def test_a_second_report_while_one_is_open_is_refused(employer_actor, employment, now, proof_dir):
    file(employer_actor, employment, now)
    with pytest.raises(services.ReportPending):
        file(employer_actor, employment, now)
    assert AbscondingReport.objects.count() == 1


# --- Refusals -----------------------------------------------------------------------------------


def test_refused_when_a_criminal_or_debt_dispute_began_before_the_absence(
    employer_actor, officer_actor, employment, now, proof_dir
):
    services.dispute_record(
        actor=officer_actor,
        now=now,
        employment=employment,
        kind=DisputeRecord.Kind.DEBT,
        started_date=LAST_DAY - dt.timedelta(days=1),
        reference="COURT/2026/118",
        description="Loan of RO 300 not repaid",
    )
    with pytest.raises(services.ReportRefused) as error:
        file(employer_actor, employment, now)
    assert "criminal case or debt claim" in error.value.text("en")


def test_a_dispute_that_began_after_the_absence_does_not_bar_the_report(
    employer_actor, officer_actor, employment, now, proof_dir
):
    services.dispute_record(
        actor=officer_actor,
        now=now,
        employment=employment,
        kind=DisputeRecord.Kind.CRIMINAL,
        started_date=LAST_DAY + dt.timedelta(days=2),
        reference="ROP/2026/77",
        description="Theft complaint after he left",
    )
    assert file(employer_actor, employment, now).status == AbscondingReport.Status.SUBMITTED


def test_only_a_labour_care_officer_records_a_dispute(employer_actor, employment, now):
    with pytest.raises(StaffActionNotPermitted):
        services.dispute_record(
            actor=employer_actor,
            now=now,
            employment=employment,
            kind="DEBT",
            started_date=LAST_DAY,
            reference="R-1",
            description="x",
        )


def test_refused_when_the_worker_is_on_legal_leave(employer_actor, establishment, now, proof_dir):
    on_leave = make_worker(establishment, worker_status="LEGAL_LEAVE")
    with pytest.raises(services.ReportRefused) as error:
        file(employer_actor, on_leave, now)
    assert "legal leave" in error.value.text("en")


def test_refused_when_the_resignation_was_accepted(
    employer_actor, employment, worker_actor, now, proof_dir
):
    from manpower.contracts import services as contracts

    contracts.resignation_submit(
        actor=worker_actor, now=now - dt.timedelta(days=40), employment=employment
    )
    with pytest.raises(services.ReportRefused) as error:
        file(employer_actor, employment, now)
    assert "resignation" in error.value.text("en")


def test_refused_when_a_transfer_was_already_agreed(employer_actor, employment, now, proof_dir):
    from manpower.labourcards import services as labourcards
    from manpower.licensing.tests.factories import make_licence

    other = EstablishmentFactory()
    make_licence(establishment=other, issued=1, number="WP-LIC000009")
    labourcards.transfer_request(
        actor=employer_actor,
        now=now,
        employment=employment,
        to_establishment=other,
        licence_number="WP-LIC000009",
        occupation_code=employment.occupation_id,
        basic_wage_baisa=150_000,
        reason="UNPAID_WAGES",
    )
    with pytest.raises(services.ReportRefused) as error:
        file(employer_actor, employment, now)
    assert "transfer" in error.value.text("en")


def test_refused_for_a_worker_without_a_labour_card(employer_actor, establishment, now, proof_dir):

    with pytest.raises(services.ReportRefused):
        file(employer_actor, EmploymentFactory(establishment=establishment), now)


# --- Decision ------------------------------------------------------------------------------------


def test_approval_marks_the_worker_left_the_workplace_and_tells_the_police(
    published, approved, now
):
    assert approved.status == AbscondingReport.Status.APPROVED
    assert approved.objection_deadline_date == now.date() + dt.timedelta(days=60)
    assert card_of(approved.employment).worker_status == "LEFT_WORKPLACE"
    [(event_type, payload)] = published
    assert event_type == "absconding_report.approved"
    assert payload["report_number"] == approved.number
    assert payload["civil_number"] == approved.employment.person.civil_number


def test_only_a_labour_care_officer_decides(
    employer_actor, inspector_actor, employment, now, proof_dir
):
    report = file(employer_actor, employment, now)
    for actor in (employer_actor, inspector_actor):
        with pytest.raises(StaffActionNotPermitted):
            services.absconding_report_approve(actor=actor, now=now, report=report)
    report.refresh_from_db()
    assert report.status == AbscondingReport.Status.SUBMITTED


def test_a_rejection_needs_a_reason_and_leaves_the_worker_working(
    employer_actor, officer_actor, employment, now, proof_dir
):
    report = file(employer_actor, employment, now)
    with pytest.raises(Exception, match="reason"):
        services.absconding_report_reject(actor=officer_actor, now=now, report=report, reason=" ")
    report = services.absconding_report_reject(
        actor=officer_actor, now=now, report=report, reason="The worker came back"
    )
    assert report.status == AbscondingReport.Status.REJECTED
    assert card_of(employment).worker_status == "WORKING"
    with pytest.raises(services.ReportClosed):
        services.absconding_report_approve(actor=officer_actor, now=now, report=report)


def test_an_approved_report_bars_the_transfer(approved, now, system_actor):
    from manpower.labourcards import services as labourcards

    with pytest.raises(labourcards.WorkerLeftWorkplace) as error:
        labourcards.transfer_request(
            actor=system_actor,
            now=now,
            employment=approved.employment,
            to_establishment=EstablishmentFactory(),
            licence_number="WP-X",
            occupation_code=approved.employment.occupation_id,
            basic_wage_baisa=100_000,
        )
    assert "left the workplace" in error.value.text("en")


# --- Objection -----------------------------------------------------------------------------------


def object_(approved, worker_user, worker_actor, now, grounds="I was in hospital"):
    return services.absconding_objection_file(
        actor=worker_actor, now=now, report=approved, user=worker_user, grounds=grounds
    )


def test_the_worker_objects_within_60_days_of_approval(approved, worker_user, worker_actor, now):
    last = now + dt.timedelta(days=60)
    objection = object_(approved, worker_user, worker_actor, last)
    assert objection.status == "SUBMITTED"


def test_an_objection_after_60_days_is_refused(approved, worker_user, worker_actor, now):
    with pytest.raises(services.ObjectionLate) as error:
        object_(approved, worker_user, worker_actor, now + dt.timedelta(days=61))
    assert error.value.status == 409
    assert not hasattr(approved, "objection") or approved.objection is None


def test_the_objection_period_is_a_setting(
    employer_actor, officer_actor, employment, worker_user, worker_actor, now, proof_dir, settings
):
    settings.ABSCONDING_OBJECTION_DAYS = 10
    report = services.absconding_report_approve(
        actor=officer_actor, now=now, report=file(employer_actor, employment, now)
    )
    with pytest.raises(services.ObjectionLate):
        object_(report, worker_user, worker_actor, now + dt.timedelta(days=11))


def test_one_objection_per_report(approved, worker_user, worker_actor, now):
    object_(approved, worker_user, worker_actor, now)
    with pytest.raises(services.ObjectionExists):
        object_(approved, worker_user, worker_actor, now)


def test_empty_or_nul_grounds_are_refused(approved, worker_user, worker_actor, now):
    for grounds in ("  ", "bad\x00"):
        with pytest.raises(services.ObjectionClosed):
            object_(approved, worker_user, worker_actor, now, grounds=grounds)


def test_an_upheld_objection_revokes_the_report_and_frees_the_worker(
    published, approved, worker_user, worker_actor, officer_actor, now
):
    objection = object_(approved, worker_user, worker_actor, now)
    services.absconding_objection_uphold(
        actor=officer_actor, now=now, objection=objection, reason="Hospital record"
    )
    approved.refresh_from_db()
    assert approved.status == AbscondingReport.Status.REVOKED
    card = card_of(approved.employment)
    assert card.worker_status == "WORKING"
    assert card.freed_to_move_reason == "ABSCONDING_REVOKED"
    assert [event_type for event_type, _ in published] == [
        "absconding_report.approved",
        "absconding_report.revoked",
    ]


def test_an_unjustified_objection_is_fined_within_the_range(
    approved, worker_user, worker_actor, officer_actor, now
):
    objection = object_(approved, worker_user, worker_actor, now)
    for fine in (399_000, 801_000, 500_500):
        with pytest.raises(services.FineOutOfRange) as error:
            services.absconding_objection_reject(
                actor=officer_actor,
                now=now,
                objection=objection,
                reason="No proof",
                fine_baisa=fine,
            )
        assert "RO 400 to RO 800" in error.value.text("en")
    objection.refresh_from_db()
    assert objection.fine_invoice is None and objection.status == "SUBMITTED"
    objection = services.absconding_objection_reject(
        actor=officer_actor, now=now, objection=objection, reason="No proof", fine_baisa=650_000
    )
    assert objection.status == "UNJUSTIFIED"
    invoice = objection.fine_invoice
    assert invoice.amount_baisa == 650_000
    assert invoice.payer_user == worker_user
    approved.refresh_from_db()
    assert approved.status == AbscondingReport.Status.APPROVED
    with pytest.raises(services.ObjectionClosed):
        services.absconding_objection_uphold(
            actor=officer_actor, now=now, objection=objection, reason="changed mind"
        )


@pytest.mark.parametrize("fine", [400_000, 800_000])
def test_the_range_ends_are_allowed(approved, worker_user, worker_actor, officer_actor, now, fine):
    objection = object_(approved, worker_user, worker_actor, now)
    objection = services.absconding_objection_reject(
        actor=officer_actor, now=now, objection=objection, reason="No proof", fine_baisa=fine
    )
    assert objection.fine_invoice.amount_baisa == fine


def test_a_transfer_without_consent_needs_a_revoked_report(employment, now, system_actor):
    from manpower.labourcards import services as labourcards

    with pytest.raises(labourcards.FreedomNotRecorded):
        labourcards.transfer_request(
            actor=system_actor,
            now=now,
            employment=employment,
            to_establishment=EstablishmentFactory(),
            licence_number="WP-X",
            occupation_code=employment.occupation_id,
            basic_wage_baisa=100_000,
            reason="ABSCONDING_REVOKED",
        )


# --- No retaliation (issue 16, rule 3) ---------------------------------------------------------


def test_a_worker_with_an_open_wage_complaint_cannot_be_reported_after_it(
    employer_actor, employment, worker_actor, establishment, now, proof_dir
):
    complaint = services.complaint_file(
        actor=worker_actor,
        now=now - dt.timedelta(days=2),
        filed_by="WORKER",
        establishment=establishment,
        person=employment.person,
        category_code="WAGES_UNPAID",
        description="My wages of the last two months were not paid.",
        claimed_amount_baisa=300_000,
        arose_date=now.date() - dt.timedelta(days=40),
    )
    with pytest.raises(services.ReportRefused) as error:
        file(employer_actor, employment, now)
    assert error.value.code == "wage_complaint_open"
    assert "open complaint about wages" in error.value.text("en")
    assert error.value.text("ar") != error.value.text("en")
    assert not AbscondingReport.objects.exists()
    services.complaint_withdraw(actor=worker_actor, complaint=complaint, now=now)
    assert file(employer_actor, employment, now).status == AbscondingReport.Status.SUBMITTED
