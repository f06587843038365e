"""Reads of the job seekers' register are in the audit log: an officer's search (who, with which
filters, how many found and which seekers) and an employer's list of the seekers who fit a
vacancy, on the portal and through the API. A refused search records nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.accounts.services import api_token_create
from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.jobs import services
from manpower.registry.tests.factories import RepresentationFactory, UserFactory

pytestmark = pytest.mark.django_db


def searches():
    return AuditEvent.objects.filter(action="job_seekers.searched").order_by("seq")


def test_an_officers_search_records_who_searched_the_filters_and_the_results(
    seeker_with, officer, now
):
    seeker, _u, _a = seeker_with(name_en="Aisha Al Balushi")
    seeker_with(name_en="Khalid Al Amri", level="DIPLOMA")
    user, actor = officer
    page = services.job_seekers_search(
        actor=actor, now=now, text="aisha", governorate_code="MA", qualification_code="BACHELOR"
    )
    assert page.rows == [seeker]
    (event,) = searches()
    assert (event.actor_user_id, event.object_type, event.object_id) == (
        user.pk,
        "accounts.user",
        str(user.pk),
    )
    assert event.changes == {
        "text": [None, "aisha"],
        "occupation": [None, ""],
        "governorate": [None, "MA"],
        "qualification": [None, "BACHELOR"],
        "after": [None, None],
        "results": [None, 1],
        "seekers": [None, [seeker.pk]],
    }


def test_a_search_finding_no_one_is_recorded_too(officer, now, db):
    _user, actor = officer
    assert services.job_seekers_search(actor=actor, now=now, text="nobody").rows == []
    assert searches().get().changes["results"] == [None, 0]


def test_a_refused_search_records_nothing(employer, seeker_with, now):
    seeker_with()
    with pytest.raises(StaffActionNotPermitted):
        services.job_seekers_search(actor=employer, now=now, text="salim")
    assert not searches().exists()


def test_the_officers_page_records_each_search_but_not_the_empty_form(client, officer, seeker_with):
    seeker, _u, _a = seeker_with()
    user, _actor = officer
    client.force_login(user)
    empty = client.get(reverse("jobs:officer")).content.decode()
    assert "Each search is kept in the audit log with your name" in empty
    assert not searches().exists()
    answer = client.get(reverse("jobs:officer"), {"q": "salim", "occupation": "7112"})
    assert answer.status_code == 200
    event = searches().get()
    assert event.channel == "STAFF"
    assert event.changes["occupation"] == [None, "7112"]
    assert event.changes["seekers"] == [None, [seeker.pk]]


def test_a_bad_search_on_the_page_records_nothing(client, officer):
    client.force_login(officer[0])
    assert client.get(reverse("jobs:officer"), {"after": "-4"}).status_code == 400
    assert not searches().exists()


def test_the_employers_list_of_matches_is_recorded_under_the_vacancy(
    client, post, seeker_with, representative, establishment
):
    vacancy = post()
    seeker, _u, _a = seeker_with()
    client.force_login(representative)
    page = client.get(
        reverse("jobs:employer-vacancy", args=[establishment.cr_number, vacancy.number])
    )
    assert page.status_code == 200
    event = AuditEvent.objects.get(action="vacancy.matches_read")
    assert (event.object_type, event.object_id) == ("jobs.vacancy", str(vacancy.pk))
    assert (event.on_behalf_of_kind, event.on_behalf_of_key) == (
        "establishment",
        establishment.cr_number,
    )
    assert event.changes["results"] == [None, 1]
    assert event.changes["seekers"] == [None, [seeker.pk]]

    _token, key = api_token_create(
        actor=Actor.for_user(representative), user=representative, name="app", now=timezone.now()
    )
    url = f"/api/v1/establishments/{establishment.cr_number}/vacancies/{vacancy.number}/matches"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert AuditEvent.objects.filter(action="vacancy.matches_read", channel="MOBILE").count() == 1


def test_another_establishments_vacancy_records_nothing(client, post, seeker_with):
    vacancy = post()
    seeker_with()
    stranger = UserFactory(role="ESTABLISHMENT_REP")
    RepresentationFactory(user=stranger)
    client.force_login(stranger)
    cr = stranger.representations.get().establishment.cr_number
    assert (
        client.get(reverse("jobs:employer-vacancy", args=[cr, vacancy.number])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="vacancy.matches_read").exists()
