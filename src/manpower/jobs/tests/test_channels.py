"""The portal pages and the mobile API: the same rules through each, another employer's
vacancy or another seeker's application is a 404, bad input a 4xx that changes nothing."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.services import api_token_create
from manpower.core.actor import Actor
from manpower.jobs.models import Candidacy, JobSeeker, Vacancy
from manpower.registry.tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db
CLOSING = (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def bearer(user) -> dict:
    _token, key = api_token_create(
        actor=Actor.for_user(user), user=user, name="phone", now=timezone.now()
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def vacancy_form(**changes):
    return {
        "title_ar": "محاسب",
        "title_en": "Accountant",
        "occupation": "7112",
        "qualification": "BACHELOR",
        "specialisation": "",
        "experience_years": "1",
        "governorate": "MA",
        "wilayat": "MA-SEEB",
        "wage_min": "500.000",
        "wage_max": "700.000",
        "posts": "1",
        "closing_date": CLOSING,
        "description": "",
        **changes,
    }


def test_the_employer_posts_on_the_portal_and_anyone_finds_it(
    client, representative, establishment
):
    client.force_login(representative)
    url = reverse("jobs:post", args=[establishment.cr_number])
    assert client.get(url).status_code == 200
    response = client.post(url, vacancy_form())
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("jobs:index"), {"q": "محاسب"})
    assert page.status_code == 200 and vacancy.number in page.content.decode()
    assert client.get(reverse("jobs:vacancy", args=[vacancy.number])).status_code == 200


def test_a_wage_under_the_minimum_is_shown_on_the_form(client, representative, establishment):
    client.force_login(representative)
    url = reverse("jobs:post", args=[establishment.cr_number])
    response = client.post(url, vacancy_form(wage_min="100.000"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "minimum wage" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_another_employers_vacancy_is_not_found(client, post, establishment):
    vacancy = post()
    other = EstablishmentFactory()
    from manpower.registry.tests.factories import RepresentationFactory, UserFactory

    stranger = UserFactory(role="ESTABLISHMENT_REP")
    RepresentationFactory(user=stranger, establishment=other)
    client.force_login(stranger)
    url = reverse("jobs:employer-vacancy", args=[establishment.cr_number, vacancy.number])
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("jobs:employer-vacancy", args=[other.cr_number, vacancy.number])
        ).status_code
        == 404
    )
    response = client.post(reverse("jobs:withdraw", args=[establishment.cr_number, vacancy.number]))
    assert response.status_code == 404
    assert Vacancy.objects.get().status == Vacancy.Status.PUBLISHED


def test_a_seeker_registers_applies_and_withdraws_on_the_portal(client, post, national):
    vacancy = post(qualification_code="SECONDARY")
    _person, user, _actor = national
    client.force_login(user)
    assert client.get(reverse("jobs:profile")).status_code == 200
    client.post(reverse("jobs:register"))
    assert JobSeeker.objects.filter(civil_number=user.civil_number).exists()
    client.post(
        reverse("jobs:register"),
        {"experience_years": "2", "experience": "", "governorates": ["MA"], "occupations": "7112"},
    )
    assert JobSeeker.objects.get().preferred_occupations.count() == 1
    client.post(reverse("jobs:apply", args=[vacancy.number]))
    candidacy = Candidacy.objects.get()
    assert client.get(reverse("jobs:my-applications")).status_code == 200
    client.post(reverse("jobs:my-act", args=[candidacy.number, "withdraw"]))
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.WITHDRAWN
    assert (
        client.post(reverse("jobs:my-act", args=[candidacy.number, "explode"])).status_code == 404
    )


def test_a_cv_that_is_not_a_pdf_is_refused_on_the_form(client, seeker_with):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _seeker, user, _actor = seeker_with()
    client.force_login(user)
    fake = SimpleUploadedFile("cv.pdf", b"GIF89a....", content_type="application/pdf")
    response = client.post(reverse("jobs:cv"), {"cv": fake})
    assert response.status_code == 400


def test_officer_page_needs_the_permission(client, officer, representative):
    client.force_login(officer[0])
    assert client.get(reverse("jobs:officer"), {"q": "x"}).status_code == 200
    client.force_login(representative)
    assert client.get(reverse("jobs:officer")).status_code == 403


def test_the_mobile_api_runs_the_pipeline(client, post, seeker_with, representative, establishment):
    vacancy = post()
    seeker, user, _actor = seeker_with()
    found = client.get("/api/v1/jobs/vacancies", {"q": "محاسب اول"}, **bearer(user)).json()
    assert [item["number"] for item in found["items"]] == [vacancy.number]
    applied = client.post(f"/api/v1/jobs/vacancies/{vacancy.number}/applications", **bearer(user))
    assert applied.status_code == 201
    again = client.post(f"/api/v1/jobs/vacancies/{vacancy.number}/applications", **bearer(user))
    assert again.status_code == 409 and again.json()["code"] == "already_applied"
    assert set(again.json()["detail"]) >= {"ar", "en"} or "detail_ar" in again.json()
    number = applied.json()["number"]
    base = f"/api/v1/establishments/{establishment.cr_number}/vacancies/{vacancy.number}"
    employer = bearer(representative)
    matches = client.get(f"{base}/matches", **employer).json()
    assert matches[0]["application_number"] == number and matches[0]["reasons"]
    assert client.post(f"{base}/applications/{number}/shortlist", **employer).status_code == 200
    offer = client.post(
        f"{base}/applications/{number}/offer",
        json.dumps({"wage_baisa": 600_000, "start_date": CLOSING}),
        content_type="application/json",
        **employer,
    )
    assert offer.status_code == 200, offer.content
    hired = client.post(f"{base}/applications/{number}/hire", **employer)
    assert hired.status_code == 200 and hired.json()["contract_number"]
    # Another seeker's application and another establishment are 404 problems.
    assert (
        client.post(f"/api/v1/jobs/me/applications/{number}/withdraw", **employer).status_code
        == 404
    )
    assert client.get("/api/v1/establishments/9999999/vacancies", **bearer(user)).status_code == 404


@pytest.mark.parametrize("after", ["0", "-1", "99999999999999999999", "abc"])
def test_a_bad_cursor_is_a_422_problem(client, national, after):
    response = client.get("/api/v1/jobs/vacancies", {"after": after}, **bearer(national[1]))
    assert response.status_code in (400, 422)
