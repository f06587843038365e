"""Posting, reviewing, withdrawing and unpublishing vacancies."""

import datetime as dt

import pytest

from manpower.core.audit import chain_problems
from manpower.core.errors import ReasonRequired
from manpower.integration.models import OutboxEvent
from manpower.jobs import services
from manpower.jobs.models import Vacancy
from manpower.registry.models import Establishment

V = Vacancy.Status
pytestmark = pytest.mark.django_db


def test_a_vacancy_is_published_at_once_by_default(post):
    vacancy = post()
    assert vacancy.status == V.PUBLISHED and vacancy.open_posts == 2
    assert OutboxEvent.objects.filter(event_type="vacancy.published").count() == 1
    assert chain_problems() == []


def test_with_review_on_a_vacancy_waits_for_an_officer_who_publishes_it(
    post, officer, now, settings
):
    settings.JOBS_VACANCY_REVIEW = True
    vacancy = post()
    assert vacancy.status == V.IN_REVIEW
    assert not OutboxEvent.objects.filter(event_type="vacancy.published").exists()
    services.vacancy_review(actor=officer[1], now=now, vacancy=vacancy, publish=True)
    assert vacancy.status == V.PUBLISHED and vacancy.published_at == now


def test_a_rejection_needs_a_reason_and_an_employer_cannot_review(
    post, officer, employer, now, settings
):
    settings.JOBS_VACANCY_REVIEW = True
    vacancy = post()
    with pytest.raises(ReasonRequired):
        services.vacancy_review(actor=officer[1], now=now, vacancy=vacancy, publish=False)
    with pytest.raises(Exception) as refused:
        services.vacancy_review(actor=employer, now=now, vacancy=vacancy, publish=True)
    assert refused.value.code == "staff_action_not_permitted"
    services.vacancy_review(
        actor=officer[1], now=now, vacancy=vacancy, publish=False, reason="Wage unclear"
    )
    assert vacancy.status == V.REJECTED and vacancy.decision_reason == "Wage unclear"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"wage_min_baisa": 300_000}, "wage_below_minimum"),
        ({"wage_min_baisa": 900_000}, "invalid_vacancy"),
        ({"posts": 0}, "invalid_vacancy"),
        ({"posts": 10_000}, "invalid_vacancy"),
        ({"closing_date": dt.date(2026, 11, 29)}, "invalid_vacancy"),
        ({"wilayat_code": "XX"}, "invalid_vacancy"),
        ({"occupation_code": "71"}, "unknown_occupation"),
        ({"qualification_code": "PHD"}, "invalid_vacancy"),
        ({"title_ar": "  "}, "invalid_vacancy"),
        ({"experience_years": 99}, "invalid_vacancy"),
    ],
)
def test_bad_terms_are_refused_with_a_bilingual_reason_and_nothing_saved(post, changes, code):
    with pytest.raises(Exception) as refused:
        post(**changes)
    assert refused.value.code == code
    assert refused.value.bilingual()["ar"] and refused.value.bilingual()["en"]
    assert not Vacancy.objects.exists()


def test_a_suspended_establishment_cannot_post(post, establishment):
    Establishment.objects.filter(pk=establishment.pk).update(status=Establishment.Status.SUSPENDED)
    establishment.refresh_from_db()
    with pytest.raises(services.EstablishmentNotActive):
        post()


def test_the_employer_withdraws_and_the_candidates_are_told(post, employer, seeker_with, now):
    vacancy = post()
    seeker, _user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    services.vacancy_withdraw(actor=employer, now=now, vacancy=vacancy)
    candidacy.refresh_from_db()
    assert vacancy.status == V.WITHDRAWN and candidacy.status == "NOT_SELECTED"
    with pytest.raises(services.VacancyStatusConflict):
        services.vacancy_withdraw(actor=employer, now=now, vacancy=vacancy)


def test_the_sweep_closes_at_the_closing_date_and_not_before(post, now):
    vacancy = post(closing_date=dt.date(2026, 12, 5))
    assert services.vacancies_unpublish(now=now) == 0
    assert (
        services.vacancies_unpublish(now=now + dt.timedelta(days=6)) == 0
    )  # 5 Dec is the last day
    assert services.vacancies_unpublish(now=now + dt.timedelta(days=7)) == 1
    vacancy.refresh_from_db()
    assert vacancy.status == V.CLOSED
    assert chain_problems() == []


def test_the_sweep_fills_a_vacancy_without_open_posts(post, now):
    vacancy = post()
    Vacancy.objects.filter(pk=vacancy.pk).update(open_posts=0)
    assert services.vacancies_unpublish(now=now) == 1
    vacancy.refresh_from_db()
    assert vacancy.status == V.FILLED
