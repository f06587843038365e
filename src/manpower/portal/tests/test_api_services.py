"""The public service catalogue through the API."""

import pytest

from manpower.portal.models import Service

pytestmark = pytest.mark.django_db


def service(code, **fields):
    defaults = {
        "name_ar": f"خدمة {code}",
        "name_en": f"Service {code}",
        "description_ar": "وصف",
        "description_en": "Description",
        "category": Service.Category.LICENSING,
    }
    Service.objects.filter(code=code).delete()
    return Service.objects.create(code=code, **{**defaults, **fields})


@pytest.fixture
def catalogue():
    Service.objects.all().delete()
    service("LICENCE_NEW", position=1, for_establishments=True, channel_sanad=True, fee_baisa=5000)
    service(
        "JOB_SEARCH",
        position=2,
        category=Service.Category.JOBS,
        for_job_seekers=True,
        channel_mobile=True,
    )
    service("A_FIRST_CODE", position=2, category=Service.Category.JOBS, for_individuals=True)


def test_the_catalogue_is_public_and_ordered(client, catalogue):
    body = client.get("/api/v1/services").json()
    assert body["count"] == 3
    assert [s["code"] for s in body["items"]] == ["LICENCE_NEW", "A_FIRST_CODE", "JOB_SEARCH"]
    first = body["items"][0]
    assert first["audiences"] == ["ESTABLISHMENT"]
    assert first["channels"] == ["WEB", "SANAD"]
    assert (first["fee_baisa"], first["is_free"]) == (5000, False)


def test_the_catalogue_filters_by_category_audience_and_channel(client, catalogue):
    def codes(**query):
        return [s["code"] for s in client.get("/api/v1/services", query).json()["items"]]

    assert codes(category="JOBS") == ["A_FIRST_CODE", "JOB_SEARCH"]
    assert codes(audience="JOB_SEEKER") == ["JOB_SEARCH"]
    assert codes(channel="MOBILE") == ["JOB_SEARCH"]
    response = client.get("/api/v1/services", {"audience": "ALIENS"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "audience"


def test_one_service_in_both_languages(client, catalogue):
    body = client.get("/api/v1/services/LICENCE_NEW").json()
    assert (body["name_ar"], body["name_en"]) == ("خدمة LICENCE_NEW", "Service LICENCE_NEW")
    assert body["description_en"] == "Description"


def test_an_unknown_service_is_a_404_problem(client):
    response = client.get("/api/v1/services/NO_SUCH")
    assert response.status_code == 404
    assert response.json()["code"] == "service_not_found"


def test_the_catalogue_can_be_searched_in_either_language(client, catalogue):
    service(
        "WAGES_FILE", category=Service.Category.WAGES, name_ar="ملف الأجور", name_en="Salary file"
    )
    for word in ("الأجور", "salary"):
        items = client.get("/api/v1/services", {"q": word}).json()["items"]
        assert [s["code"] for s in items] == ["WAGES_FILE"]
