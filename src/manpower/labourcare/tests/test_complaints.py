"""Filing a complaint, its lapse after a year, and the officer's handling to each outcome with
the service-level times (every time passed in as `now`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps as django_apps

from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.labourcare import services
from manpower.labourcare.models import Complaint, ComplaintCategory
from manpower.labourcare.selectors import complaints as selectors
from manpower.registry.tests.factories import EstablishmentFactory, PersonFactory, india

pytestmark = pytest.mark.django_db
Notification = django_apps.get_model("notifications", "Notification")
S = Complaint.Status


def test_the_reference_list_has_at_least_80_categories_in_both_languages_and_groups():
    categories = ComplaintCategory.objects.all()
    assert categories.count() >= 80
    assert {c.group for c in categories} >= {
        "WAGES", "END_OF_SERVICE", "LEAVE", "CONTRACT", "WORKING_CONDITIONS", "HOUSING",
        "DOCUMENTS",
    }  # fmt: skip
    assert all(c.name_ar and c.name_en for c in categories)


def test_a_worker_files_a_complaint_and_both_parties_are_told(
    file_complaint, worker, representative, now
):
    complaint = file_complaint()
    assert complaint.status == S.SUBMITTED
    assert complaint.number.startswith("CMP-2026-")
    assert complaint.governorate_id == complaint.establishment.governorate_id
    assert complaint.stage_due_at == now + dt.timedelta(days=3)
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert Notification.objects.filter(recipient=representative).count() == 1
    assert AuditEvent.objects.filter(action="complaint.filed").count() == 1


def test_the_same_complaint_sent_twice_is_one_complaint(file_complaint):
    assert file_complaint().pk == file_complaint().pk
    assert Complaint.objects.count() == 1


def test_a_claim_that_arose_more_than_a_year_ago_is_refused_with_the_reason(file_complaint):
    with pytest.raises(services.ClaimTimeBarred) as refused:
        file_complaint(arose_date=dt.date(2025, 11, 28))
    assert "one year" in refused.value.text("en")
    assert "2025" in refused.value.text("ar")
    assert not Complaint.objects.exists()


def test_a_claim_of_exactly_a_year_ago_is_still_in_time(file_complaint):
    assert file_complaint(arose_date=dt.date(2025, 11, 29)).status == S.SUBMITTED


def test_the_claim_limit_is_a_setting(file_complaint, settings):
    settings.COMPLAINT_CLAIM_LIMIT_DAYS = 30
    with pytest.raises(services.ClaimTimeBarred):
        file_complaint(arose_date=dt.date(2026, 10, 1))


def test_a_future_claim_date_and_a_nul_byte_are_refused(file_complaint):
    with pytest.raises(services.InvalidComplaint):
        file_complaint(arose_date=dt.date(2026, 12, 30))
    with pytest.raises(services.InvalidComplaint):
        file_complaint(description="bad\x00text")
    with pytest.raises(services.InvalidComplaint):
        file_complaint(category_code="NO_SUCH")
    with pytest.raises(services.InvalidComplaint):
        file_complaint(category_code="WORKER_ABSENCE")  # an employer's category
    assert not Complaint.objects.exists()


def test_a_complaint_needs_an_employment_between_the_parties(file_complaint):
    with pytest.raises(services.NoEmploymentBetweenParties):
        file_complaint(establishment=EstablishmentFactory())
    with pytest.raises(services.NoEmploymentBetweenParties):
        file_complaint(person=PersonFactory(nationality=india()))


def test_an_employer_files_against_a_worker(employer_actor, establishment, person, employment, now):
    complaint = services.complaint_file(
        actor=employer_actor,
        now=now,
        filed_by="EMPLOYER",
        establishment=establishment,
        person=person,
        category_code="WORKER_LOAN",
        description="The advance of 200 rials was not repaid.",
        claimed_amount_baisa=200_000,
        arose_date=dt.date(2026, 9, 1),
    )
    assert complaint.filed_by == "EMPLOYER"


def test_an_officer_of_the_governorate_takes_it_up_and_the_status_follows(
    file_complaint, officer, officer_actor, now
):
    complaint = file_complaint()
    assert list(selectors.officer_queue(user=officer)) == [complaint]
    services.complaint_assign(actor=officer_actor, now=now, complaint=complaint)
    assert complaint.status == S.UNDER_REVIEW and complaint.officer == officer
    assert complaint.stage_due_at == now + dt.timedelta(days=10)


def test_an_officer_of_another_governorate_or_department_cannot(file_complaint, make_officer, now):
    from manpower.core.models import Governorate

    complaint = file_complaint()
    dhofar = Governorate.objects.create(code="DH", name_en="Dhofar", name_ar="ظفار")
    elsewhere = make_officer("dhofar-officer", governorate=dhofar)
    with pytest.raises(services.NotComplaintOfficer):
        services.complaint_assign(actor=Actor.for_user(elsewhere), now=now, complaint=complaint)
    from manpower.accounts.permissions import StaffActionNotPermitted
    from manpower.registry.tests.factories import UserFactory

    licensing = UserFactory(role="OFFICER", department="LICENSING")
    with pytest.raises(StaffActionNotPermitted):
        services.complaint_assign(actor=Actor.for_user(licensing), now=now, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == S.SUBMITTED


def test_only_a_supervisor_assigns_to_another_officer(
    file_complaint, officer, officer_actor, supervisor, make_officer, now
):
    complaint = file_complaint()
    other = make_officer("second-officer")
    with pytest.raises(services.NotComplaintOfficer):
        services.complaint_assign(actor=officer_actor, now=now, complaint=complaint, officer=other)
    services.complaint_assign(
        actor=Actor.for_user(supervisor), now=now, complaint=complaint, officer=other
    )
    assert complaint.officer == other
    with pytest.raises(services.NotComplaintOfficer):  # now another officer's
        services.complaint_meeting_schedule(
            actor=officer_actor,
            now=now,
            complaint=complaint,
            meeting_at=now + dt.timedelta(days=3),
            place="Muscat office",
        )


def test_a_meeting_is_set_ahead_and_both_parties_are_told(
    reviewed, officer_actor, worker, representative, now
):
    with pytest.raises(services.InvalidMeeting):
        services.complaint_meeting_schedule(
            actor=officer_actor,
            now=now,
            complaint=reviewed,
            meeting_at=now + dt.timedelta(hours=47),
            place="Muscat office",
        )
    services.complaint_meeting_schedule(
        actor=officer_actor,
        now=now,
        complaint=reviewed,
        meeting_at=now + dt.timedelta(days=3),
        place="Labour care office, Muscat",
    )
    assert reviewed.status == S.MEETING_SCHEDULED
    for user in (worker, representative):
        assert Notification.objects.filter(
            recipient=user, subject_en__startswith="Meeting on complaint"
        ).exists()


def test_settled_with_the_amount_and_date(reviewed, officer_actor, now):
    services.complaint_settle(
        actor=officer_actor,
        now=now,
        complaint=reviewed,
        amount_baisa=250_000,
        due_date=dt.date(2026, 12, 15),
    )
    assert reviewed.status == S.SETTLED
    assert reviewed.settled_amount_baisa == 250_000
    assert reviewed.settlement_due_date == dt.date(2026, 12, 15)
    with pytest.raises(services.ComplaintStatusConflict):
        services.complaint_reject(actor=officer_actor, now=now, complaint=reviewed, reason="x")


def test_rejected_with_a_reason_only(reviewed, officer_actor, now):
    from manpower.core.errors import ReasonRequired

    with pytest.raises(ReasonRequired):
        services.complaint_reject(actor=officer_actor, now=now, complaint=reviewed, reason="  ")
    services.complaint_reject(
        actor=officer_actor, now=now, complaint=reviewed, reason="No wage was owed."
    )
    assert reviewed.status == S.REJECTED and reviewed.outcome_reason == "No wage was owed."


def test_only_the_complainant_withdraws(reviewed, worker_actor, employer_actor, now):
    with pytest.raises(services.NotComplainant):
        services.complaint_withdraw(actor=employer_actor, now=now, complaint=reviewed)
    services.complaint_withdraw(actor=worker_actor, now=now, complaint=reviewed)
    assert reviewed.status == S.WITHDRAWN


def test_overdue_queue_shows_stages_past_their_time_to_supervisors_only(
    file_complaint, officer, supervisor, now
):
    complaint = file_complaint()
    assert not selectors.overdue_queue(user=supervisor, now=now + dt.timedelta(days=3)).exists()
    later = now + dt.timedelta(days=3, seconds=1)
    assert list(selectors.overdue_queue(user=supervisor, now=later)) == [complaint]
    assert not selectors.overdue_queue(user=officer, now=later).exists()


def test_the_stage_times_are_a_setting(file_complaint, settings, now):
    settings.COMPLAINT_STAGE_DAYS = {"SUBMITTED": 1}
    assert file_complaint().stage_due_at == now + dt.timedelta(days=1)


def test_parties_see_their_complaint_others_do_not(file_complaint, worker, representative):
    from manpower.registry.tests.factories import UserFactory

    complaint = file_complaint()
    assert selectors.complaint_for_user(user=worker, number=complaint.number) == complaint
    assert selectors.complaint_for_user(user=representative, number=complaint.number) == complaint
    with pytest.raises(selectors.ComplaintNotFound):
        selectors.complaint_for_user(
            user=UserFactory(civil_number="61234567"), number=complaint.number
        )


def test_an_open_wage_complaint_is_found_for_the_retaliation_and_transfer_rules(
    file_complaint, person, establishment, reviewed, officer_actor, now
):
    complaint = reviewed
    civil = person.civil_number
    assert selectors.worker_has_open_wage_complaint(civil_number=civil)
    assert selectors.worker_has_open_wage_complaint(
        civil_number=civil, establishment_id=establishment.pk
    )
    assert not selectors.worker_has_open_wage_complaint(
        civil_number=civil, establishment_id=establishment.pk + 1
    )
    assert not selectors.worker_has_open_wage_complaint(civil_number=civil, filed_before=now)
    assert selectors.worker_has_open_wage_complaint(
        civil_number=civil, filed_before=now + dt.timedelta(seconds=1)
    )
    services.complaint_settle(
        actor=officer_actor, now=now, complaint=complaint, amount_baisa=1, due_date=now.date()
    )
    assert not selectors.worker_has_open_wage_complaint(civil_number=civil)


def test_a_complaint_of_another_kind_is_not_a_wage_complaint(file_complaint, person):
    file_complaint(category_code="DOCS_PASSPORT_HELD")
    assert not selectors.worker_has_open_wage_complaint(civil_number=person.civil_number)


def test_the_meeting_is_e_mailed_to_both_parties_after_the_commit(
    reviewed,
    officer_actor,
    worker,
    representative,
    now,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_meeting_schedule(
            actor=officer_actor,
            now=now,
            complaint=reviewed,
            meeting_at=now + dt.timedelta(days=3),
            place="Labour care office, Muscat",
        )
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert {worker.email, representative.email} <= recipients
