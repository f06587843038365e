"""The establishment page and its worker list: scoping, content, paging and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manpower.accounts.models import Department, Role
from manpower.registry.models import Employment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep(client):
    representation = RepresentationFactory(user__language="en")
    client.force_login(representation.user)
    return representation


def page(name, establishment):
    return reverse(f"portal:{name}", args=[establishment.cr_number])


@pytest.mark.parametrize("name", ["establishment", "workers"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(page(name, EstablishmentFactory()))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_establishment_page_shows_details_and_workforce(client, rep, figure):
    EmploymentFactory.create_batch(2, establishment=rep.establishment)
    EmploymentFactory(establishment=rep.establishment, person=PersonFactory(is_national=True))
    html = client.get(page("establishment", rep.establishment)).content.decode()
    assert rep.establishment.name_en in html
    assert rep.establishment.name_ar in html
    assert rep.establishment.cr_number in html
    assert "Limited liability company" in html
    assert figure("3", "active workers") in html
    assert "33.3%" in html


@pytest.mark.parametrize("name", ["establishment", "workers"])
def test_another_establishments_pages_are_404_without_revealing_it(client, rep, name):
    other = EstablishmentFactory()
    EmploymentFactory(establishment=other)
    response = client.get(page(name, other))
    html = response.content.decode()
    assert response.status_code == 404
    assert f"No establishment with commercial registration {other.cr_number}" in html
    assert other.name_en not in html


def test_unknown_cr_is_the_same_404(client, rep):
    response = client.get(reverse("portal:establishment", args=["9999999"]))
    assert response.status_code == 404
    assert "No establishment with commercial registration 9999999" in response.content.decode()


def test_404_page_is_in_arabic_for_arabic_users(client):
    user = UserFactory(role=Role.ESTABLISHMENT_REP, language="ar")
    client.force_login(user)
    response = client.get(reverse("portal:establishment", args=["9999999"]))
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()
    assert "غير موجود" in response.content.decode()


def test_ministry_officer_may_open_any_establishment(client):
    officer = UserFactory(role=Role.OFFICER, department=Department.INSPECTION)
    client.force_login(officer)
    assert client.get(page("establishment", EstablishmentFactory())).status_code == 200


@pytest.mark.parametrize("role", [Role.INDIVIDUAL, Role.SANAD_OPERATOR])
def test_people_without_a_representation_get_404(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(page("workers", EstablishmentFactory())).status_code == 404


def test_worker_list_shows_active_workers_with_wage_in_omr(client, rep):
    worker = EmploymentFactory(establishment=rep.establishment, basic_wage_baisa=325_500)
    ended = EmploymentFactory(
        establishment=rep.establishment,
        status=Employment.Status.ENDED,
        end_date=dt.date(2024, 6, 30),
    )
    html = client.get(page("workers", rep.establishment)).content.decode()
    assert worker.person.name_en in html
    assert worker.person.civil_number in html
    assert "India" in html and "Bricklayers and related workers" in html
    assert "01/01/2024" in html
    assert "OMR 325.500" in html
    assert ended.person.name_en not in html


def test_worker_list_names_follow_the_language(client):
    representation = RepresentationFactory(user__language="ar")
    client.force_login(representation.user)
    worker = EmploymentFactory(establishment=representation.establishment)
    html = client.get(page("workers", representation.establishment)).content.decode()
    assert worker.person.name_ar in html
    assert "الهند" in html


def test_worker_list_pages_by_keyset(client, rep, settings):
    settings.PAGE_SIZE = 2
    workers = EmploymentFactory.create_batch(5, establishment=rep.establishment)
    newest_first = [w.person.name_en for w in reversed(workers)]

    def names(html):
        return [name for name in newest_first if f'<th scope="row">{name}</th>' in html]

    first = client.get(page("workers", rep.establishment)).content.decode()
    assert names(first) == newest_first[:2]
    assert f"?after={workers[3].pk}" in first and 'rel="prev"' not in first
    second = client.get(page("workers", rep.establishment), {"after": workers[3].pk})
    second = second.content.decode()
    assert names(second) == newest_first[2:4]
    last = client.get(page("workers", rep.establishment), {"after": workers[1].pk})
    last = last.content.decode()
    assert names(last) == newest_first[4:] and 'rel="next"' not in last
    back = client.get(page("workers", rep.establishment), {"before": workers[2].pk})
    assert names(back.content.decode()) == newest_first[:2]


def test_malformed_cursor_shows_the_first_page(client, rep):
    EmploymentFactory(establishment=rep.establishment)
    response = client.get(page("workers", rep.establishment), {"after": "x'; drop"})
    assert response.status_code == 200


def test_worker_list_queries_do_not_grow_with_workers(client, rep, django_assert_max_num_queries):
    EmploymentFactory.create_batch(3, establishment=rep.establishment)
    with CaptureQueriesContext(connection) as few:
        client.get(page("workers", rep.establishment))
    EmploymentFactory.create_batch(27, establishment=rep.establishment)
    with django_assert_max_num_queries(len(few)):
        html = client.get(page("workers", rep.establishment)).content.decode()
    assert html.count('<th scope="row">') == 30
