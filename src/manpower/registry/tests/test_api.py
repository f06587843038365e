"""The registry through the API: each caller sees only its own establishments and workers."""

import pytest
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.accounts.services import api_token_create
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    oman,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_a():
    return RepresentationFactory(user__full_name_en="Amal", user__full_name_ar="أمل")


@pytest.fixture
def establishment_a(rep_a):
    return rep_a.establishment


@pytest.fixture
def establishment_b():
    return EstablishmentFactory()


@pytest.fixture
def as_rep(client, rep_a, system_actor):
    """A client that calls as A's representative with a bearer token, as the mobile app does."""
    _, key = api_token_create(actor=system_actor, user=rep_a.user, name="p", now=timezone.now())
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_me_describes_the_caller_and_the_establishments_it_represents(as_rep, establishment_a):
    EstablishmentFactory()  # someone else's
    me = as_rep.get("/api/v1/me").json()
    assert me["role"] == Role.ESTABLISHMENT_REP
    assert (me["full_name_ar"], me["full_name_en"]) == ("أمل", "Amal")
    assert me["language"] == "ar"
    assert [e["cr_number"] for e in me["establishments"]] == [establishment_a.cr_number]


def test_a_representative_lists_only_its_establishments(as_rep, establishment_a, establishment_b):
    body = as_rep.get("/api/v1/establishments").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["cr_number"] == establishment_a.cr_number
    assert item["governorate"] == {"code": "MA", "name_ar": "مسقط", "name_en": "Muscat"}


def test_a_representative_gets_its_establishment_with_workforce(as_rep, establishment_a):
    EmploymentFactory.create_batch(2, establishment=establishment_a)
    EmploymentFactory(
        establishment=establishment_a,
        person=PersonFactory(is_national=True, nationality=oman(), passport_number=""),
    )
    response = as_rep.get(f"/api/v1/establishments/{establishment_a.cr_number}")
    assert response.status_code == 200
    assert response.json()["workforce"] == {
        "active": 3,
        "nationals": 1,
        "non_nationals": 2,
        "national_share": pytest.approx(1 / 3),
    }


def test_another_establishment_is_not_found_for_a_representative(as_rep, establishment_b):
    EmploymentFactory(establishment=establishment_b)
    for path in ("", "/workers"):
        response = as_rep.get(f"/api/v1/establishments/{establishment_b.cr_number}{path}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "establishment_not_found"
        assert establishment_b.cr_number in body["detail_en"]
        assert establishment_b.cr_number in body["detail_ar"]
        assert "items" not in body


def test_ministry_staff_see_every_establishment(client, establishment_a, establishment_b):
    officer = UserFactory(role=Role.OFFICER, department=Department.LICENSING)
    client.force_login(officer)
    body = client.get("/api/v1/establishments").json()
    assert [e["cr_number"] for e in body["items"]] == sorted(
        [establishment_a.cr_number, establishment_b.cr_number]
    )
    assert client.get(f"/api/v1/establishments/{establishment_b.cr_number}").status_code == 200
    assert client.get("/api/v1/me").json()["establishments"] == []


def test_someone_without_representation_sees_none(client, establishment_a):
    client.force_login(UserFactory())
    assert client.get("/api/v1/establishments").json() == {"items": [], "count": 0}


def test_workers_pages_are_stable_and_complete(as_rep, establishment_a):
    employments = EmploymentFactory.create_batch(7, establishment=establishment_a)
    url = f"/api/v1/establishments/{establishment_a.cr_number}/workers"
    seen = []
    for offset in (0, 3, 6):
        page = as_rep.get(url, {"limit": 3, "offset": offset}).json()
        assert page["count"] == 7
        seen += [w["employment_id"] for w in page["items"]]
    assert seen == sorted((e.pk for e in employments), reverse=True)
    worker = as_rep.get(url, {"limit": 1}).json()["items"][0]
    assert worker["person"]["nationality"]["code"] == "IND"
    assert worker["occupation"]["code"] == "7112"


def test_a_page_size_over_the_maximum_is_a_validation_problem(as_rep, establishment_a):
    response = as_rep.get(
        f"/api/v1/establishments/{establishment_a.cr_number}/workers", {"limit": 100_000}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


def test_the_workers_list_costs_the_same_queries_for_3_or_30_workers(
    as_rep, establishment_a, django_assert_max_num_queries
):
    url = f"/api/v1/establishments/{establishment_a.cr_number}/workers"
    as_rep.get(url)  # the token's last use is recorded once; later calls do not write
    EmploymentFactory.create_batch(3, establishment=establishment_a)
    with django_assert_max_num_queries(4):
        assert len(as_rep.get(url).json()["items"]) == 3
    EmploymentFactory.create_batch(27, establishment=establishment_a)
    with django_assert_max_num_queries(4):
        assert len(as_rep.get(url).json()["items"]) == 30
