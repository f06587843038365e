"""Officers posted to governorates: a labour-care supervisor posts officers to the governorates
they supervise and ends their postings, an administrator managing accounts does so anywhere and
alone posts supervisors; each refusal says why and changes nothing; a newly posted officer then
receives the governorate's complaints; the supervisors' page and the read-only admin."""

from __future__ import annotations

import pytest
from django.test import Client

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.core.models import AuditEvent, Governorate
from manpower.labourcare import services
from manpower.labourcare.models import Complaint, OfficerPosting
from manpower.labourcare.selectors import complaints as selectors
from manpower.registry.tests.factories import UserFactory, muscat
from manpower.registry.tests.test_admin import staff

pytestmark = pytest.mark.django_db
URL = "/labour-care/complaints/postings/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def care_staff(username: str, language: str = "en"):
    """A labour-care officer not posted anywhere yet."""
    return UserFactory(
        username=username, role=Role.OFFICER, department=Department.LABOUR_CARE, language=language
    )


@pytest.fixture
def newcomer(db):
    return care_staff("new-officer")


@pytest.fixture
def dhofar(db):
    return Governorate.objects.get_or_create(
        code="DH", defaults={"name_en": "Dhofar", "name_ar": "ظفار"}
    )[0]


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin-1", role=Role.ADMINISTRATOR, language="en")


def post(actor, officer, now, governorate="MA", **options):
    return services.officer_post(
        actor=actor, now=now, officer=officer, governorate=governorate, **options
    )


# --- The services --------------------------------------------------------------------------------


def test_a_newly_posted_officer_receives_the_governorates_complaints(
    supervisor, newcomer, file_complaint, now
):
    complaint = file_complaint()
    assert selectors.posting_of(user=newcomer, governorate_id="MA") is None
    posting = post(Actor.for_user(supervisor), newcomer, now)
    assert (posting.governorate_id, posting.is_supervisor, posting.posted_at) == ("MA", False, now)
    event = AuditEvent.objects.get(action="officer_posting.created")
    assert event.changes["officer"] == [None, newcomer.pk]

    assert complaint in selectors.officer_queue(user=newcomer)
    assert newcomer in selectors.officers_of(governorate_id="MA")
    services.complaint_assign(
        actor=Actor.for_user(supervisor), now=now, complaint=complaint, officer=newcomer
    )
    complaint.refresh_from_db()
    assert (complaint.officer, complaint.status) == (newcomer, Complaint.Status.UNDER_REVIEW)


def test_the_administrator_posts_anywhere_and_posts_supervisors(
    administrator, newcomer, dhofar, now
):
    posting = post(Actor.for_user(administrator), newcomer, now, "DH", is_supervisor=True)
    assert posting.is_supervisor
    assert list(selectors.governorates_of_officer(user=newcomer, supervising=True)) == [dhofar]


@pytest.mark.parametrize(
    ("governorate", "says"), [("ZZ", "no governorate ZZ"), ("MA\x00", "no governorate MA")]
)
def test_an_unknown_governorate_is_refused(supervisor, newcomer, now, governorate, says):
    with pytest.raises(services.GovernorateNotFound) as error:
        post(Actor.for_user(supervisor), newcomer, now, governorate)
    assert says in error.value.text("en")
    assert error.value.text("ar") != error.value.text("en")
    assert not OfficerPosting.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    "who",
    [
        {"role": Role.OFFICER, "department": Department.LICENSING},
        {"role": Role.INSPECTOR, "department": Department.INSPECTION},
        {"role": Role.INDIVIDUAL},
        {"role": Role.OFFICER, "department": Department.LABOUR_CARE, "is_active": False},
    ],
)
def test_only_active_labour_care_staff_are_posted(supervisor, now, who):
    user = UserFactory(**who)
    with pytest.raises(services.PostingRefused) as error:
        post(Actor.for_user(supervisor), user, now)
    assert "is not labour-care staff" in error.value.text("en")
    assert error.value.status == 422
    assert not OfficerPosting.objects.filter(user=user).exists()


def test_an_officer_already_posted_there_is_refused(supervisor, officer, now):
    with pytest.raises(services.PostingRefused) as error:
        post(Actor.for_user(supervisor), officer, now)
    assert "care-officer is already posted to" in error.value.text("en")
    assert OfficerPosting.objects.filter(user=officer).count() == 1


def test_who_may_post(supervisor, officer, newcomer, dhofar, now):
    for actor, governorate, options in [
        (Actor.for_user(officer), "MA", {}),  # an officer, not a supervisor
        (Actor.for_user(supervisor), "DH", {}),  # not a governorate they supervise
        (Actor.for_user(supervisor), "MA", {"is_supervisor": True}),  # a peer: administrators
        (Actor.system(), "MA", {}),
    ]:
        with pytest.raises(services.NotPostingManager):
            post(actor, newcomer, now, governorate, **options)
    assert not OfficerPosting.objects.filter(user=newcomer).exists()


def test_the_supervisor_ends_a_posting_and_the_officer_no_longer_handles_there(
    supervisor, officer, file_complaint, now
):
    posting = OfficerPosting.objects.get(user=officer)
    services.officer_unpost(actor=Actor.for_user(supervisor), now=now, posting=posting)
    assert not OfficerPosting.objects.filter(user=officer).exists()
    assert AuditEvent.objects.get(action="officer_posting.ended").changes["governorate"] == [
        "MA",
        None,
    ]
    with pytest.raises(services.NotComplaintOfficer):
        services.complaint_assign(
            actor=Actor.for_user(officer), now=now, complaint=file_complaint()
        )
    with pytest.raises(services.PostingRefused):
        services.officer_unpost(actor=Actor.for_user(supervisor), now=now, posting=posting)


def test_a_posting_is_not_ended_while_the_officer_handles_open_complaints(
    supervisor, officer, reviewed, now
):
    posting = OfficerPosting.objects.get(user=officer)
    with pytest.raises(services.PostingRefused) as error:
        services.officer_unpost(actor=Actor.for_user(supervisor), now=now, posting=posting)
    assert "still handles 1 open complaints" in error.value.text("en")
    assert OfficerPosting.objects.filter(user=officer).exists()


def test_a_supervisors_posting_is_ended_by_an_administrator_only(supervisor, administrator, now):
    posting = OfficerPosting.objects.get(user=supervisor)
    with pytest.raises(services.NotPostingManager):
        services.officer_unpost(actor=Actor.for_user(supervisor), now=now, posting=posting)
    services.officer_unpost(actor=Actor.for_user(administrator), now=now, posting=posting)
    assert not OfficerPosting.objects.filter(user=supervisor).exists()


# --- The supervisors' page -----------------------------------------------------------------------


def test_the_supervisor_posts_an_officer_on_the_page(supervisor, officer, newcomer):
    desk = signed_in(supervisor)
    page = desk.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Muscat" in html and "care-officer" in html and "Dhofar" not in html
    assert 'name="is_supervisor"' not in html  # supervisors are posted by administrators
    response = desk.post(URL, {"username": "new-officer", "governorate": "MA"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "new-officer is posted to Muscat" in response.content.decode()
    assert OfficerPosting.objects.filter(user=newcomer, governorate_id="MA").exists()
    again = desk.post(URL, {"username": "new-officer", "governorate": "MA"})
    assert again.status_code == 400 and "already posted" in again.content.decode()
    assert OfficerPosting.objects.filter(user=newcomer).count() == 1


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"username": "nobody", "governorate": "MA"}, "no account with the user name nobody"),
        ({"username": "licensing-1", "governorate": "MA"}, "is not labour-care staff"),
        ({"username": "new-officer", "governorate": "DH"}, "Choose the governorate"),
        ({"username": "new-officer", "governorate": ""}, "Choose the governorate"),
        ({"username": "", "governorate": "MA"}, "This field is required"),
        ({"username": "new\x00", "governorate": "MA"}, "cannot be stored (such as NUL)"),
        ({"username": "x" * 151, "governorate": "MA"}, "at most 150 characters"),
    ],
)
def test_the_page_says_what_is_wrong_and_posts_no_one(supervisor, newcomer, dhofar, data, says):
    UserFactory(username="licensing-1", role=Role.OFFICER, department=Department.LICENSING)
    before = OfficerPosting.objects.count()
    response = signed_in(supervisor).post(URL, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert OfficerPosting.objects.count() == before


def test_the_arabic_page_answers_in_arabic(newcomer):
    supervisor = care_staff("ar-supervisor", language="ar")
    OfficerPosting.objects.create(user=supervisor, governorate=muscat(), is_supervisor=True)
    desk = signed_in(supervisor)
    desk.post(URL, {"username": "new-officer", "governorate": "MA"})
    response = desk.post(URL, {"username": "new-officer", "governorate": "MA"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "new-officer معيّن بالفعل في مسقط" in html and "already posted" not in html


def test_the_supervisor_ends_a_posting_with_the_button(supervisor, officer):
    posting = OfficerPosting.objects.get(user=officer)
    desk = signed_in(supervisor)
    response = desk.post(f"{URL}{posting.pk}/end", follow=True)
    assert "The posting of care-officer to Muscat has ended." in response.content.decode()
    assert not OfficerPosting.objects.filter(pk=posting.pk).exists()
    again = desk.post(f"{URL}{posting.pk}/end")
    assert again.status_code == 404


def test_a_refused_end_is_shown_and_changes_nothing(supervisor, officer, reviewed):
    posting = OfficerPosting.objects.get(user=officer)
    response = signed_in(supervisor).post(f"{URL}{posting.pk}/end", follow=True)
    assert "assign them to another officer first" in response.content.decode()
    assert OfficerPosting.objects.filter(pk=posting.pk).exists()


def test_the_page_is_for_supervisors_and_administrators(
    officer, supervisor, administrator, make_officer, dhofar
):
    elsewhere = make_officer("dhofar-officer", governorate=dhofar)
    posting = OfficerPosting.objects.get(user=elsewhere)
    assert signed_in(supervisor).post(f"{URL}{posting.pk}/end").status_code == 404
    for user in (officer, UserFactory(role=Role.INDIVIDUAL), UserFactory(role=Role.INSPECTOR)):
        assert signed_in(user).get(URL).status_code == 404
        assert signed_in(user).post(URL, {"username": "x", "governorate": "MA"}).status_code == 404
    html = signed_in(administrator).get(URL).content.decode()
    assert "Dhofar" in html and "dhofar-officer" in html and 'name="is_supervisor"' in html
    assert OfficerPosting.objects.filter(user=elsewhere).exists()


def test_the_complaints_page_links_to_it(supervisor, officer, administrator):
    assert URL in signed_in(supervisor).get("/labour-care/complaints/").content.decode()
    assert URL in signed_in(administrator).get("/labour-care/complaints/").content.decode()
    assert URL not in signed_in(officer).get("/labour-care/complaints/").content.decode()


# --- The back office -----------------------------------------------------------------------------


def test_the_admin_is_read_only_and_ends_postings_through_the_service(
    client, officer, reviewed, make_officer
):
    spare = make_officer("spare-officer")
    staff(client)
    assert client.get("/admin/labourcare/officerposting/").status_code == 200
    assert client.get("/admin/labourcare/officerposting/add/").status_code == 403
    assert client.get("/admin/labourcare/disputerecord/").status_code == 200
    assert client.get("/admin/labourcare/disputerecord/add/").status_code == 403
    busy, free = OfficerPosting.objects.get(user=officer), OfficerPosting.objects.get(user=spare)
    response = client.post(
        "/admin/labourcare/officerposting/",
        {"action": "end_postings", "_selected_action": [busy.pk, free.pk]},
        follow=True,
    )
    assert "assign them to another officer first" in response.content.decode()
    assert list(OfficerPosting.objects.filter(user__in=[officer, spare])) == [busy]
    assert AuditEvent.objects.get(action="officer_posting.ended").channel == "STAFF"


def test_a_staff_member_outside_labour_care_may_not_post(now, newcomer):
    clerk = UserFactory(role=Role.OFFICER, department=Department.LICENSING)
    with pytest.raises(services.NotPostingManager) as error:
        post(Actor.for_user(clerk), newcomer, now)
    assert "Only an administrator managing accounts" in error.value.text("en")
    assert error.value.status == 403
