"""Matching: the ranked job seekers of a vacancy with the reasons of each score, and the
vacancies suggested to a seeker."""

import pytest
from django.urls import reverse
from django.utils import translation

from manpower.core.models import Occupation
from manpower.jobs import selectors, services
from manpower.registry.tests.factories import reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def stonemason(establishment):
    return reference(
        Occupation,
        "7113",
        level=4,
        parent_id="711",
        name_en="Stonemasons",
        name_ar="البناؤون بالحجر",
    )


def test_matches_are_ranked_with_their_reasons(post, seeker_with, stonemason, now):
    vacancy = post(qualification_code="DIPLOMA", experience_years=2)
    best, _u, best_actor = seeker_with(level="BACHELOR", years=5, name_en="Best")
    group, _u, _a = seeker_with(occupations=("7113",), governorates=(), years=0, name_en="Group")
    seeker_with(occupations=("2411",), name_en="Elsewhere")
    candidacy = services.candidacy_apply(actor=best_actor, now=now, seeker=best, vacancy=vacancy)

    with translation.override("en"):
        matches = selectors.vacancy_matches(vacancy=vacancy)

    assert [m.seeker.pk for m in matches] == [best.pk, group.pk]
    top, second = matches
    assert top.score == 100 and top.candidacy == candidacy
    assert "prefers this occupation" in top.reasons
    assert second.score == 20 + 25 and second.candidacy is None
    assert "prefers an occupation of the same group" in second.reasons


def test_above_diploma_matching_leaves_out_who_could_not_apply(post, seeker_with):
    vacancy = post(qualification_code="MASTER")
    seeker_with(level="BACHELOR")
    master, _u, _a = seeker_with(level="MASTER")
    assert [m.seeker.pk for m in selectors.vacancy_matches(vacancy=vacancy)] == [master.pk]


def test_suggested_vacancies_fit_and_leave_out_those_applied_to(post, seeker_with, now):
    applied = post()
    suggested = post(title_en="Bricklayer")
    post(occupation_code="2411", title_en="Accountant")
    too_high = post(qualification_code="DOCTORATE")
    seeker, _u, actor = seeker_with(level="BACHELOR")
    services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=applied)
    found = selectors.suggested_vacancies(seeker=seeker)
    assert found == [suggested]
    assert too_high not in found


def test_counts_per_month(post, seeker_with, now):
    vacancy = post()
    seeker, _u, actor = seeker_with()
    services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    (month,) = selectors.counts_per_month(since=now.date().replace(day=1))
    assert (month.vacancies, month.applications, month.hires) == (1, 1, 0)


def test_an_applicant_preferring_another_group_gets_no_group_points_nor_that_reason(
    post, seeker_with, now
):
    vacancy = post()
    elsewhere, _u, actor = seeker_with(occupations=("2411",), name_en="Elsewhere")
    services.candidacy_apply(actor=actor, now=now, seeker=elsewhere, vacancy=vacancy)

    with translation.override("en"):
        (match,) = selectors.vacancy_matches(vacancy=vacancy)

    assert match.seeker.pk == elsewhere.pk and match.candidacy is not None
    assert match.score == 25 + 15 + 20
    assert match.reasons == [
        "holds the qualification required",
        "prefers the vacancy's governorate",
        "has the years of experience asked",
    ]


def test_a_lower_scored_applicant_is_left_out_of_full_matches_but_listed_under_applications(
    client, settings, post, seeker_with, representative, establishment, now
):
    settings.JOBS_MATCH_LIMIT = 2
    vacancy = post()
    full = {seeker_with(name_en=f"Full {n}")[0].pk for n in range(2)}
    lower, _u, actor = seeker_with(occupations=("2411",), name_en="Lower Applicant")
    services.candidacy_apply(actor=actor, now=now, seeker=lower, vacancy=vacancy)

    assert {m.seeker.pk for m in selectors.vacancy_matches(vacancy=vacancy, limit=2)} == full
    client.force_login(representative)
    page = client.get(
        reverse("jobs:employer-vacancy", args=[establishment.cr_number, vacancy.number])
    ).content.decode()
    assert "The 2 best scores among the job seekers who prefer this occupation" in page
    assert "every application is under Applications" in page
    assert page.count("Lower Applicant") == 1  # under Applications, not among the matches
