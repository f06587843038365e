"""The vacancy and job-seeker search: Arabic folded as the index was, the filters, the keyset
pages, and the officers' permission."""

import pytest

from manpower.core.errors import DomainError
from manpower.jobs import selectors, services
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def numbers(page):
    return [row.number for row in page.rows]


@pytest.mark.parametrize(
    "query",
    [
        "محاسب أول",  # with hamza, no diacritics
        "محاسب اول",  # without hamza
        "مُحاسِب أوّل",  # with diacritics and shadda
        "محـــاسب",  # with tatweel
        "للشركه",  # taa marbuta written as haa
        "SENIOR accountant",
        "accou",  # the start of a word
    ],
)
def test_arabic_and_english_spellings_find_the_same_vacancy(post, query):
    wanted = post()
    post(title_ar="سائق حافلة", title_en="Bus driver", specialisation="")
    assert numbers(selectors.vacancies_search(text=query)) == [wanted.number]


def test_alef_maqsura_and_yaa_are_one_letter(post):
    wanted = post(title_ar="مشرف مبنى", title_en="Building supervisor")
    assert numbers(selectors.vacancies_search(text="مبني")) == [wanted.number]


def test_every_word_must_match_and_unknown_words_find_nothing(post):
    post()
    assert numbers(selectors.vacancies_search(text="accountant pilot")) == []
    assert numbers(selectors.vacancies_search(text="' OR 1=1 --")) == []


def test_filters_by_occupation_governorate_qualification_and_wage(post):
    bachelor = post()
    diploma = post(qualification_code="DIPLOMA", wage_max_baisa=550_000, wage_min_baisa=500_000)
    assert numbers(selectors.vacancies_search(qualification_code="DIPLOMA")) == [diploma.number]
    assert set(numbers(selectors.vacancies_search(qualification_code="MASTER"))) == {
        bachelor.number,
        diploma.number,
    }
    assert numbers(selectors.vacancies_search(wage_baisa=600_000)) == [bachelor.number]
    assert numbers(selectors.vacancies_search(governorate_code="DH")) == []
    assert len(selectors.vacancies_search(occupation_code="7112").rows) == 2
    with pytest.raises(selectors.InvalidSearch):
        selectors.vacancies_search(qualification_code="PHD")


def test_only_published_vacancies_are_found(post, employer, now):
    vacancy = post()
    services.vacancy_withdraw(actor=employer, now=now, vacancy=vacancy)
    assert numbers(selectors.vacancies_search(text="accountant")) == []


def test_keyset_pages_follow_each_other_without_overlap(post):
    made = [post().number for _ in range(5)]
    first = selectors.vacancies_search(size=2)
    second = selectors.vacancies_search(size=2, after=first.next_after)
    third = selectors.vacancies_search(size=2, after=second.next_after)
    assert numbers(first) + numbers(second) + numbers(third) == made[::-1]
    assert third.next_after is None


@pytest.mark.parametrize("after", [0, -5, 2**63])
def test_a_huge_or_negative_cursor_is_refused(after):
    with pytest.raises(selectors.InvalidSearch):
        selectors.vacancies_search(after=after)


def test_a_nul_byte_is_refused():
    with pytest.raises(selectors.InvalidSearch):
        selectors.vacancies_search(text="abc\x00")


def test_officers_search_the_register_and_others_may_not(seeker_with, officer, employer):
    seeker, _user, _actor = seeker_with(name_en="Aisha Al Balushi", name_ar="عائشة البلوشية")
    seeker_with(name_en="Salim Al Harthy", level="DIPLOMA")
    actor = officer[1]
    for text in ["عايشه", "عائشة البلوشيه", "aisha", "محاسبه"]:
        found = selectors.job_seekers_search(actor=actor, text=text).rows
        assert seeker in found, text
    assert selectors.job_seekers_search(actor=actor, qualification_code="BACHELOR").rows == [seeker]
    with pytest.raises(DomainError) as refused:
        selectors.job_seekers_search(actor=employer, text="aisha")
    assert refused.value.code == "staff_action_not_permitted"


def test_an_inspector_may_not_search_the_register(db):
    from manpower.core.actor import Actor

    inspector = UserFactory(role="INSPECTOR")
    with pytest.raises(DomainError):
        selectors.job_seekers_search(actor=Actor.for_user(inspector), text="x")
