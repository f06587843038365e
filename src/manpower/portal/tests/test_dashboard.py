"""The dashboard of each role, and that its number of queries does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.registry.models import Employment, Establishment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    oman,
)

pytestmark = pytest.mark.django_db


def sign_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def officer():
    return UserFactory(role=Role.OFFICER, department=Department.LICENSING, language="en")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_representative_sees_own_establishments_with_workforce(client):
    mine = RepresentationFactory()
    other = EstablishmentFactory()
    EmploymentFactory.create_batch(3, establishment=mine.establishment)
    EmploymentFactory(establishment=mine.establishment, person=PersonFactory(is_national=True))
    EmploymentFactory(establishment=other)
    html = sign_in(client, mine.user).get(reverse("portal:dashboard")).content.decode()
    assert mine.establishment.name_en in html
    assert other.name_en not in html
    assert '<td class="num"><span class="ltr-data">4</span></td>' in html  # active
    assert '<td class="num"><span class="ltr-data">1</span></td>' in html  # nationals
    assert '<td class="num"><span class="ltr-data">3</span></td>' in html  # non-nationals
    assert "25.0%" in html


def test_representative_with_no_establishment_is_told_how_to_get_one(client):
    html = sign_in(client, UserFactory(role=Role.ESTABLISHMENT_REP))
    html = html.get(reverse("portal:dashboard")).content.decode()
    assert "No establishment is linked to your account yet" in html


def test_representative_dashboard_queries_do_not_grow_with_workers(
    client, django_assert_max_num_queries
):
    rep = RepresentationFactory()
    second = RepresentationFactory(user=rep.user)
    EmploymentFactory.create_batch(3, establishment=rep.establishment)
    sign_in(client, rep.user)
    few = queries(client, reverse("portal:dashboard"))
    EmploymentFactory.create_batch(27, establishment=rep.establishment)
    EmploymentFactory.create_batch(30, establishment=second.establishment)
    RepresentationFactory.create_batch(3, user=rep.user)
    with django_assert_max_num_queries(few):
        html = client.get(reverse("portal:dashboard")).content.decode()
    assert '<span class="ltr-data">30</span>' in html


def test_staff_see_chamber_and_suspension_queues(client):
    today = timezone.localdate()
    expired = EstablishmentFactory(chamber_expiry_date=today - dt.timedelta(days=3))
    expiring = EstablishmentFactory(chamber_expiry_date=today + dt.timedelta(days=20))
    valid = EstablishmentFactory(chamber_expiry_date=today + dt.timedelta(days=90))
    closed = EstablishmentFactory(
        chamber_expiry_date=today - dt.timedelta(days=3), status=Establishment.Status.CLOSED
    )
    suspended = EstablishmentFactory(status=Establishment.Status.SUSPENDED)
    html = sign_in(client, officer()).get(reverse("portal:dashboard")).content.decode()
    assert "Work queues" in html
    assert expired.name_en in html and expiring.name_en in html
    assert valid.name_en not in html and closed.name_en not in html
    assert suspended.name_en in html
    assert reverse("portal:establishment", args=[expired.cr_number]) in html
    assert "Expired" in html and "Expiring" in html


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMINISTRATOR])
def test_every_staff_role_gets_the_queues(client, role):
    user = UserFactory(role=role)
    html = sign_in(client, user).get(reverse("portal:dashboard")).content.decode()
    assert "Work queues" in html


def test_staff_queue_shows_first_page_and_total(client):
    today = timezone.localdate()
    EstablishmentFactory.create_batch(12, chamber_expiry_date=today)
    html = sign_in(client, officer()).get(reverse("portal:dashboard")).content.decode()
    assert '<span class="stat"><span class="ltr-data">12</span></span>' in html
    assert html.count('<span class="badge warn">Expiring</span>') == 10
    assert "?chamber=2" in html
    html = client.get(reverse("portal:dashboard"), {"chamber": 2}).content.decode()
    assert html.count('<span class="badge warn">Expiring</span>') == 2


def test_staff_dashboard_queries_do_not_grow_with_establishments(
    client, django_assert_max_num_queries
):
    today = timezone.localdate()
    EstablishmentFactory.create_batch(3, chamber_expiry_date=today)
    EstablishmentFactory.create_batch(3, status=Establishment.Status.SUSPENDED)
    sign_in(client, officer())
    few = queries(client, reverse("portal:dashboard"))
    EstablishmentFactory.create_batch(30, chamber_expiry_date=today)
    EstablishmentFactory.create_batch(30, status=Establishment.Status.SUSPENDED)
    with django_assert_max_num_queries(few):
        client.get(reverse("portal:dashboard"))


def test_individual_sees_own_employment_records(client):
    person = PersonFactory(is_national=True, nationality=oman(), civil_number="12345678")
    current = EmploymentFactory(person=person)
    EmploymentFactory(
        person=person,
        status=Employment.Status.ENDED,
        end_date=dt.date(2023, 12, 31),
        start_date=dt.date(2020, 1, 1),
    )
    stranger = EmploymentFactory()
    user = UserFactory(role=Role.INDIVIDUAL, civil_number="12345678")
    html = sign_in(client, user).get(reverse("portal:dashboard")).content.decode()
    assert current.establishment.name_en in html
    assert "Bricklayers and related workers" in html
    assert "Ended" in html
    assert stranger.establishment.name_en not in html


def test_individual_without_civil_number_is_told_why_nothing_shows(client):
    EmploymentFactory(person=PersonFactory(civil_number=None))
    html = sign_in(client, UserFactory(role=Role.INDIVIDUAL, civil_number=""))
    html = html.get(reverse("portal:dashboard")).content.decode()
    assert "Your account has no civil number yet" in html


def test_individual_dashboard_queries_are_bounded(client, django_assert_max_num_queries):
    person = PersonFactory(civil_number="87654321")
    EmploymentFactory(person=person)
    user = UserFactory(role=Role.INDIVIDUAL, civil_number="87654321")
    sign_in(client, user)
    few = queries(client, reverse("portal:dashboard"))
    for _ in range(5):
        EmploymentFactory(
            person=person,
            status=Employment.Status.ENDED,
            end_date=dt.date(2023, 1, 1),
            start_date=dt.date(2022, 1, 1),
        )
    with django_assert_max_num_queries(few):
        client.get(reverse("portal:dashboard"))


def test_sanad_operator_sees_the_counter_services(client):
    user = UserFactory(role=Role.SANAD_OPERATOR)
    html = sign_in(client, user).get(reverse("portal:dashboard")).content.decode()
    assert "Services at the counter" in html
    assert "Labour card renewal for non-national workers (commercial)" in html
    assert "Work-abandonment report" not in html


def test_dashboard_in_arabic(client):
    rep = RepresentationFactory()
    html = sign_in(client, rep.user, "ar").get(reverse("portal:dashboard")).content.decode()
    assert 'dir="rtl"' in html
    assert "منشآتي" in html
    assert rep.establishment.name_ar in html
