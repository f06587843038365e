"""The search behind the occupation and nationality code boxes: by code or by words, in Arabic
and English, as the portal's autocomplete asks it and as a form takes words without it."""

import pytest
from django import forms
from django.utils import translation

from manpower.core import selectors
from manpower.core.forms import NationalityCodeField, OccupationCodeField

pytestmark = pytest.mark.django_db

UNIT = 4


def codes(rows) -> list[str]:
    return [row.code for row in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brick", ["7112"]),  # the start of a word of the English name
        ("Domestic cleaners", ["9111"]),  # every word, in any case
        ("البناؤون", ["7112", "7113"]),  # a part of the Arabic name
        ("النظافة في المنازل", ["9111"]),
    ],
)
def test_occupations_are_found_by_words_of_their_arabic_or_english_name(query, expected):
    assert codes(selectors.occupations_matching(query, level=UNIT)) == expected


def test_an_english_word_is_matched_at_the_start_of_a_word_not_inside_one():
    assert "7112" not in codes(selectors.occupations_matching("layers", level=UNIT))


@pytest.mark.parametrize(
    "query",
    [
        "النظافه",  # haa for taa marbuta
        "النَّظَافَة",  # with diacritics
        "النظـافة",  # with a tatweel
    ],
)
def test_arabic_spellings_people_mix_up_find_the_same_occupation(query):
    assert codes(selectors.occupations_matching(query, level=UNIT)) == ["9111", "9112"]


def test_alef_forms_alef_maqsura_and_hamza_seats_are_folded():
    assert selectors.normalise_search("إدارة أعمال آلات") == "اداره اعمال الات"
    assert selectors.normalise_search("مستشفى البناؤون") == selectors.normalise_search(
        "مستشفي البناوون"
    )
    assert codes(selectors.nationalities_matching("الإمارات")) == ["ARE"]
    assert codes(selectors.nationalities_matching("الامارات")) == ["ARE"]


def test_accents_and_eastern_digits_are_folded_too():
    assert codes(selectors.nationalities_matching("turkiye")) == ["TUR"]
    assert codes(selectors.nationalities_matching("cote d'ivoire")) == ["CIV"]
    assert codes(selectors.occupations_matching("٧١١٢")) == ["7112"]


def test_a_code_prefix_lists_the_groups_under_it_in_code_order():
    found = codes(selectors.occupations_matching("711", level=UNIT))
    assert found == ["7111", "7112", "7113", "7114", "7115", "7119"]
    every_level = codes(selectors.occupations_matching("711"))
    assert every_level[:2] == ["711", "7111"]  # the exact code first


def test_nationalities_by_code_come_before_names_that_start_so():
    assert codes(selectors.nationalities_matching("IND"))[0] == "IND"
    assert codes(selectors.nationalities_matching("in"))[:2] == ["IND", "IDN"]  # alpha-2, alpha-3
    assert codes(selectors.nationalities_matching("هند"))[0] == "IND"


def test_answers_are_limited_and_blank_queries_find_nothing():
    assert len(selectors.occupations_matching("عمال")) == selectors.SEARCH_LIMIT
    assert len(selectors.occupations_matching("عمال", limit=3)) == 3
    assert selectors.occupations_matching("   ") == []
    assert selectors.nationalities_matching("") == []
    assert selectors.occupations_matching("zzzz qqqq") == []


def test_nationalities_match_in_the_order_of_the_readers_language():
    with translation.override("en"):
        english = codes(selectors.nationalities_matching("guinea"))
    with translation.override("ar"):
        arabic = codes(selectors.nationalities_matching("guinea"))
    # Names that start with the word first, then the others by name: Equatorial Guinea and
    # Papua New Guinea in English, بابوا غينيا الجديدة and غينيا الاستوائية in Arabic.
    assert english == ["GIN", "GNB", "GNQ", "PNG"]
    assert arabic == ["GIN", "GNB", "PNG", "GNQ"]


# --- The API the autocomplete asks ---------------------------------------------------------


def test_the_api_searches_occupations_without_sign_in(client):
    answer = client.get("/api/v1/reference/occupations", {"q": "brick", "level": 4})
    assert answer.status_code == 200
    assert answer.json() == [
        {
            "code": "7112",
            "level": 4,
            "parent": "711",
            "name_ar": "البناؤون ومن في حكمهم",
            "name_en": "Bricklayers and related workers",
        }
    ]
    arabic = client.get("/api/v1/reference/occupations", {"q": "النظافه", "level": 4}).json()
    assert [row["code"] for row in arabic] == ["9111", "9112"]


def test_the_api_searches_nationalities(client):
    answer = client.get("/api/v1/reference/nationalities", {"q": "الهند"})
    assert answer.status_code == 200
    assert answer.json()[0] == {
        "code": "IND",
        "alpha2": "IN",
        "name_ar": "الهند",
        "name_en": "India",
    }


def test_an_empty_search_finds_nothing_and_no_search_lists_everything(client):
    assert client.get("/api/v1/reference/occupations", {"q": ""}).json() == []
    assert client.get("/api/v1/reference/nationalities", {"q": "  "}).json() == []
    assert len(client.get("/api/v1/reference/nationalities").json()) >= 249


def test_an_overlong_search_is_refused_with_a_problem(client):
    answer = client.get("/api/v1/reference/occupations", {"q": "ب" * 101})
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"][0]["field"] == "q"
    assert "q" in problem["detail_en"] and "q" in problem["detail_ar"]


@pytest.mark.parametrize("query", ["brick\x00", "\x07"])
def test_a_search_with_characters_that_cannot_be_stored_is_refused(client, query):
    answer = client.get("/api/v1/reference/nationalities", {"q": query})
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["code"] == "invalid_characters"
    assert problem["detail_ar"] and problem["detail_en"]


# --- The form fields, without the script ---------------------------------------------------


class LineForm(forms.Form):
    occupation = OccupationCodeField()
    nationality = NationalityCodeField(required=False)


def errors_of(data: dict, language: str) -> dict:
    with translation.override(language):
        form = LineForm(data)
        form.is_valid()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_typed_code_is_checked_as_it_was():
    form = LineForm({"occupation": " 7112 ", "nationality": "ind"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"occupation": "7112", "nationality": "IND"}


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "No occupation has the ISCO-08 code 9999."), ("ar", "9999")],
)
def test_an_unknown_code_is_named_in_the_error(language, message):
    errors = errors_of({"occupation": "9999"}, language)
    assert message in errors["occupation"][0]
    if language == "ar":
        assert "لا توجد مهنة" in errors["occupation"][0]


def test_words_that_name_one_row_give_its_code():
    form = LineForm({"occupation": "Bricklayers", "nationality": "الهند"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"occupation": "7112", "nationality": "IND"}


def test_words_that_name_several_rows_list_them_in_the_pages_language():
    english = errors_of({"occupation": "cleaners"}, "en")["occupation"][0]
    assert english.startswith("Several occupations match “cleaners”: ")
    assert "9111 Domestic cleaners and helpers" in english
    arabic = errors_of({"occupation": "عمال النظافة"}, "ar")["occupation"][0]
    assert "عمال النظافة والمساعدون في المنازل" in arabic and "9111" in arabic
    assert "Several" not in arabic


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "No country matches “Atlantis”."),
        ("ar", "لا يوجد بلد يطابق «Atlantis»"),
    ],
)
def test_words_that_name_nothing_say_so_in_the_pages_language(language, expected):
    errors = errors_of({"occupation": "7112", "nationality": "Atlantis"}, language)
    assert expected in errors["nationality"][0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Enter the occupation's four-digit ISCO-08 code"), ("ar", "رمز المهنة")],
)
def test_a_missing_occupation_says_what_to_enter(language, expected):
    assert expected in errors_of({"occupation": ""}, language)["occupation"][0]


def test_the_widget_tells_the_script_where_to_search():
    html = str(LineForm()["occupation"])
    assert 'data-autocomplete="/api/v1/reference/occupations?level=4"' in html
    assert 'dir="ltr"' in html and 'autocomplete="off"' in html
    nationality = str(LineForm()["nationality"])
    assert 'data-autocomplete="/api/v1/reference/nationalities"' in nationality
