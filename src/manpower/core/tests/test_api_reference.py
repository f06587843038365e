"""Reference data for API clients: public, bilingual, in code order, filterable."""

import pytest

from manpower.core.models import EconomicActivity, Governorate, Nationality, Occupation, Wilayat

pytestmark = pytest.mark.django_db


def row(model, code, **fields):
    return model.objects.get_or_create(code=code, defaults=fields)[0]


@pytest.fixture
def places():
    muscat = row(Governorate, "MA", name_ar="مسقط", name_en="Muscat")
    dhofar = row(Governorate, "ZU", name_ar="ظفار", name_en="Dhofar")
    row(Wilayat, "MA-SEEB", governorate=muscat, name_ar="السيب", name_en="As Seeb")
    row(Wilayat, "ZU-SLL", governorate=dhofar, name_ar="صلالة", name_en="Salalah")


def test_reference_lists_need_no_sign_in(client, places):
    oman = row(Nationality, "OMN", alpha2="OM", name_ar="عُمان", name_en="Oman")
    nationalities = client.get("/api/v1/reference/nationalities").json()
    expected = {"code": "OMN", "alpha2": "OM", "name_ar": oman.name_ar, "name_en": oman.name_en}
    assert expected in nationalities
    governorates = client.get("/api/v1/reference/governorates").json()
    codes = [g["code"] for g in governorates]
    assert codes == sorted(codes) and {"MA", "ZU"} <= set(codes)


def test_wilayats_can_be_narrowed_to_one_governorate(client, places):
    wilayats = client.get("/api/v1/reference/wilayats", {"governorate": "ZU"}).json()
    assert {
        "code": "ZU-SLL",
        "governorate": "ZU",
        "name_ar": "صلالة",
        "name_en": "Salalah",
    } in (wilayats)
    assert {w["governorate"] for w in wilayats} == {"ZU"}
    assert client.get("/api/v1/reference/wilayats", {"governorate": "XX"}).json() == []


def test_occupations_by_level(client):
    level_two = client.get("/api/v1/reference/occupations", {"level": 2}).json()
    building = Occupation.objects.get(code="71")
    assert {
        "code": "71",
        "level": 2,
        "parent": "7",
        "name_ar": building.name_ar,
        "name_en": building.name_en,
    } in level_two
    assert len(level_two) == 43
    assert {o["level"] for o in level_two} == {2}


def test_activities_by_level(client):
    section = row(EconomicActivity, "F", level="SECTION", name_ar="التشييد", name_en="Construction")
    row(
        EconomicActivity,
        "41",
        level="DIVISION",
        parent=section,
        name_ar="تشييد المباني",
        name_en="Construction of buildings",
    )
    sections = client.get("/api/v1/reference/activities", {"level": "SECTION"}).json()
    assert "F" in [a["code"] for a in sections]
    assert {a["level"] for a in sections} == {"SECTION"}
    response = client.get("/api/v1/reference/activities", {"level": "GROUP"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"
