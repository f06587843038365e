"""The reference data the migrations load: complete, bilingual, consistent and reloadable."""

import re

import pytest
from django.db.models import Count

from manpower.core import audit, reference, selectors
from manpower.core.models import (
    AuditEvent,
    EconomicActivity,
    Governorate,
    Nationality,
    Occupation,
    Wilayat,
)

pytestmark = pytest.mark.django_db

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
REFERENCE_MODELS = [Nationality, Governorate, Wilayat, Occupation, EconomicActivity]


def counts():
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


def test_every_country_is_a_nationality():
    assert Nationality.objects.count() >= 249
    oman = Nationality.objects.get(code="OMN")
    assert (oman.alpha2, oman.name_en, oman.name_ar) == ("OM", "Oman", "عمان")
    assert Nationality.objects.get(code="IND").name_ar == "الهند"
    assert Nationality.objects.get(code="TUR").name_ar == "تركيا"


def test_oman_has_11_governorates_and_63_wilayats():
    codes = set(Governorate.objects.values_list("code", flat=True))
    assert codes == {"MA", "ZU", "MU", "BU", "DA", "BS", "BJ", "SJ", "SS", "ZA", "WU"}
    assert Wilayat.objects.count() == 63
    per_governorate = {g.code: g.wilayats.count() for g in Governorate.objects.all()}
    assert per_governorate == {
        "MA": 6, "ZU": 10, "MU": 4, "BU": 3, "DA": 9, "BS": 6,
        "BJ": 6, "SJ": 5, "SS": 7, "ZA": 3, "WU": 4,
    }  # fmt: skip
    seeb = Wilayat.objects.get(code="MA-SEEB")
    assert (seeb.governorate_id, seeb.name_en, seeb.name_ar) == ("MA", "As Seeb", "السيب")
    for code in Wilayat.objects.values_list("code", flat=True):
        assert re.fullmatch(r"[A-Z]{2}-[A-Z]{2,5}", code), code


def test_isco_08_has_every_group_of_every_level():
    per_level = dict(
        Occupation.objects.values_list("level").order_by("level").annotate(n=Count("code"))
    )
    assert per_level[1] == 10 and per_level[2] == 43 and per_level[3] >= 130
    assert per_level[4] >= 150
    chain, occupation = [], Occupation.objects.get(code="7112")
    while occupation:
        chain.append(occupation.code)
        occupation = occupation.parent
    assert chain == ["7112", "711", "71", "7"]
    assert Occupation.objects.get(code="9111").name_en == "Domestic cleaners and helpers"


def test_isic_rev4_has_21_sections_and_88_divisions():
    assert EconomicActivity.objects.filter(level="SECTION").count() == 21
    assert EconomicActivity.objects.filter(level="DIVISION").count() == 88
    assert EconomicActivity.objects.get(code="41").parent_id == "F"
    assert EconomicActivity.objects.get(code="F").name_ar == "التشييد"


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=lambda m: m.__name__)
def test_every_row_is_named_in_arabic_and_english(model):
    for code, name_ar, name_en in model.objects.values_list("code", "name_ar", "name_en"):
        assert name_en.strip() and name_en == name_en.strip(), code
        assert not ARABIC_LETTER.search(name_en), code
        assert ARABIC_LETTER.search(name_ar) and name_ar == name_ar.strip(), code


def test_occupation_tree_is_consistent():
    for occupation in Occupation.objects.select_related("parent"):
        assert len(occupation.code) == occupation.level
        if occupation.level == 1:
            assert occupation.parent is None
        else:
            assert occupation.code.startswith(occupation.parent.code)
            assert occupation.level == occupation.parent.level + 1
        if occupation.level < 4:
            assert occupation.children.exists(), f"{occupation.code} has no sub-groups"


def test_activity_tree_is_consistent():
    for activity in EconomicActivity.objects.select_related("parent"):
        if activity.level == "SECTION":
            assert activity.parent is None and re.fullmatch("[A-U]", activity.code)
        else:
            assert re.fullmatch(r"\d\d", activity.code)
            assert activity.parent.level == "SECTION"
    # Divisions are numbered in section order, so each section's divisions form one run.
    sections = [a.parent_id for a in EconomicActivity.objects.filter(level="DIVISION")]
    assert sections == sorted(sections)


def test_loading_again_inserts_nothing_and_restores_edited_names():
    before = counts()
    Governorate.objects.filter(code="MA").update(name_en="Old name")
    Occupation.objects.filter(code="7112").update(name_ar="قديم")

    result = reference.load()

    assert counts() == before
    assert result["governorates"] == (0, 1) and result["occupations"] == (0, 1)
    assert result["nationalities"] == (0, 0)
    assert Governorate.objects.get(code="MA").name_en == "Muscat"
    assert Occupation.objects.get(code="7112").name_ar == "البناؤون ومن في حكمهم"


def test_loading_restores_a_missing_row_without_touching_others():
    Wilayat.objects.filter(code="WU-DUQM").delete()
    assert reference.load("wilayats") == {"wilayats": (1, 0)}
    assert Wilayat.objects.get(code="WU-DUQM").governorate_id == "WU"
    assert Wilayat.objects.count() == 63


def test_selectors_return_stable_orders():
    assert [g.code for g in selectors.governorates()][:3] == ["BJ", "BS", "BU"]
    names = [(n.name_en, n.code) for n in selectors.nationalities()]
    assert names == sorted(names) and len(names) == Nationality.objects.count()

    dhofar = list(selectors.wilayats(governorate_code="ZU"))
    assert len(dhofar) == 10 and {w.governorate.code for w in dhofar} == {"ZU"}
    assert [w.code for w in dhofar] == sorted(w.code for w in dhofar)
    assert selectors.wilayats().count() == 63
    assert list(selectors.wilayats(governorate_code="XX")) == []

    units = [o.code for o in selectors.occupations(level=4)]
    assert units == sorted(units) and "9111" in units and "71" not in units
    everything = [o.code for o in selectors.occupations()]
    assert everything.index("7") < everything.index("71") < everything.index("711")

    activities = [a.code for a in selectors.economic_activities()]
    assert activities[:5] == ["A", "01", "02", "03", "B"]
    assert activities[-2:] == ["U", "99"]
    assert [a.code for a in selectors.economic_activities(level="SECTION")] == list(
        "ABCDEFGHIJKLMNOPQRSTU"
    )
    divisions = [a.code for a in selectors.economic_activities(level="DIVISION")]
    assert len(divisions) == 88 and divisions == sorted(divisions)


def test_back_office_may_look_but_not_touch(admin_client, system_actor, now):
    governorate = Governorate.objects.get(code="MA")
    audit.record(actor=system_actor, action="governorate.viewed", obj=governorate, at=now)
    event = AuditEvent.objects.get()

    assert admin_client.get("/admin/core/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    response = admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()

    assert admin_client.get("/admin/core/wilayat/", {"q": "Seeb"}).status_code == 200
    assert admin_client.get("/admin/core/occupation/add/").status_code == 403
    admin_client.post("/admin/core/governorate/MA/change/", {"name_en": "X", "name_ar": "س"})
    assert Governorate.objects.get(code="MA").name_en == "Muscat"
