"""E-candidacy and the hiring pipeline: apply once, withdraw until shortlisted, the
above-diploma rule, interview, offer, and the hire that registers the contract."""

import datetime as dt

import pytest

from manpower.contracts.models import Contract
from manpower.core.audit import chain_problems
from manpower.integration.models import OutboxEvent
from manpower.jobs import services
from manpower.jobs.models import Candidacy, JobSeeker, Vacancy
from manpower.notifications.models import Notification

C = Candidacy.Status
pytestmark = pytest.mark.django_db


def test_a_seeker_applies_once_and_the_employer_is_told(post, seeker_with, representative, now):
    vacancy = post()
    seeker, _user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    assert candidacy.status == C.SUBMITTED
    assert Notification.objects.filter(recipient=representative).count() == 1
    with pytest.raises(services.AlreadyApplied) as again:
        services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    assert "already applied" in again.value.bilingual()["en"]
    assert Candidacy.objects.count() == 1


def test_above_diploma_only_the_level_or_higher_may_apply(post, seeker_with, now):
    vacancy = post(qualification_code="BACHELOR")
    diploma, _user, actor = seeker_with(level="DIPLOMA")
    with pytest.raises(services.QualificationTooLow) as refused:
        services.candidacy_apply(actor=actor, now=now, seeker=diploma, vacancy=vacancy)
    assert refused.value.code == "qualification_too_low"
    assert "Diploma" in refused.value.text("en") and "Bachelor" in refused.value.text("en")
    assert refused.value.text("ar") != refused.value.text("en")
    master, _user, actor = seeker_with(level="MASTER")
    assert services.candidacy_apply(actor=actor, now=now, seeker=master, vacancy=vacancy)
    assert Candidacy.objects.count() == 1


def test_at_diploma_or_below_any_seeker_may_apply(post, seeker_with, now):
    vacancy = post(qualification_code="DIPLOMA")
    secondary, _user, actor = seeker_with(level="SECONDARY")
    assert services.candidacy_apply(actor=actor, now=now, seeker=secondary, vacancy=vacancy)


def test_the_rule_can_be_switched_off(post, seeker_with, now, settings):
    settings.JOBS_ABOVE_DIPLOMA_RULE = False
    vacancy = post(qualification_code="MASTER")
    diploma, _user, actor = seeker_with(level="DIPLOMA")
    assert services.candidacy_apply(actor=actor, now=now, seeker=diploma, vacancy=vacancy)


def test_a_closed_or_past_vacancy_takes_no_application(post, seeker_with, employer, now):
    vacancy = post(closing_date=dt.date(2026, 12, 1))
    seeker, _user, actor = seeker_with()
    with pytest.raises(services.VacancyNotOpen):
        services.candidacy_apply(
            actor=actor, now=now + dt.timedelta(days=3), seeker=seeker, vacancy=vacancy
        )
    services.vacancy_withdraw(actor=employer, now=now, vacancy=vacancy)
    with pytest.raises(services.VacancyNotOpen):
        services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)


def test_withdrawal_is_allowed_until_shortlisted(post, seeker_with, employer, now):
    vacancy = post()
    first, _u, first_actor = seeker_with()
    second, _u, second_actor = seeker_with(name_en="Aisha Al Balushi")
    one = services.candidacy_apply(actor=first_actor, now=now, seeker=first, vacancy=vacancy)
    two = services.candidacy_apply(actor=second_actor, now=now, seeker=second, vacancy=vacancy)
    services.candidacy_withdraw(actor=first_actor, now=now, candidacy=one)
    assert one.status == C.WITHDRAWN
    services.candidacy_shortlist(actor=employer, now=now, candidacy=two)
    with pytest.raises(services.CandidacyStatusConflict):
        services.candidacy_withdraw(actor=second_actor, now=now, candidacy=two)
    assert two.status == C.SHORTLISTED


def hire_ready(post, seeker_with, employer, now, **vacancy):
    posted = post(**vacancy)
    seeker, user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=posted)
    services.candidacy_shortlist(actor=employer, now=now, candidacy=candidacy)
    services.interview_invite(
        actor=employer,
        now=now,
        candidacy=candidacy,
        interview_at=now + dt.timedelta(days=3),
        place="Head office, Al Khuwair",
    )
    services.interview_answer(actor=actor, now=now, candidacy=candidacy, accept=True)
    services.candidacy_offer(
        actor=employer,
        now=now,
        candidacy=candidacy,
        wage_baisa=600_000,
        start_date=dt.date(2026, 12, 15),
    )
    return posted, candidacy, user


def test_the_whole_pipeline_ends_in_a_registered_contract(post, seeker_with, employer, now):
    vacancy, candidacy, user = hire_ready(post, seeker_with, employer, now)
    assert candidacy.status == C.OFFERED
    services.candidacy_hire(actor=employer, now=now, candidacy=candidacy)
    contract = Contract.objects.get(number=candidacy.contract_number)
    assert (contract.basic_wage_baisa, contract.occupation_id) == (600_000, "7112")
    assert contract.status == Contract.Status.SUBMITTED  # the worker accepts it next
    vacancy.refresh_from_db()
    assert vacancy.open_posts == 1 and vacancy.status == Vacancy.Status.PUBLISHED
    assert JobSeeker.objects.get(pk=candidacy.seeker_id).status == JobSeeker.Status.HIRED
    assert OutboxEvent.objects.filter(event_type="job_seeker.hired").count() == 1
    # Shortlisted, invited, offered, hired, and the contract to accept: five notices, each
    # naming the vacancy in the language it is read in.
    notices = Notification.objects.filter(recipient=user)
    assert notices.count() == 5
    shortlisted = notices.get(subject_en="You are shortlisted")
    assert vacancy.title_ar in shortlisted.body_ar and vacancy.title_en not in shortlisted.body_ar
    assert vacancy.title_en in shortlisted.body_en
    assert chain_problems() == []


def test_the_last_post_fills_the_vacancy_and_ends_the_other_candidacies(
    post, seeker_with, employer, now
):
    vacancy, candidacy, _user = hire_ready(post, seeker_with, employer, now, posts=1)
    other, _u, other_actor = seeker_with(name_en="Aisha Al Balushi")
    waiting = services.candidacy_apply(actor=other_actor, now=now, seeker=other, vacancy=vacancy)
    services.candidacy_hire(actor=employer, now=now, candidacy=candidacy)
    vacancy.refresh_from_db()
    waiting.refresh_from_db()
    assert (vacancy.status, vacancy.open_posts) == (Vacancy.Status.FILLED, 0)
    assert waiting.status == C.NOT_SELECTED


def test_no_hire_without_an_open_post_and_nothing_is_registered(post, seeker_with, employer, now):
    vacancy, candidacy, _user = hire_ready(post, seeker_with, employer, now, posts=1)
    Vacancy.objects.filter(pk=vacancy.pk).update(open_posts=0)
    with pytest.raises(services.NoOpenPost):
        services.candidacy_hire(actor=employer, now=now, candidacy=candidacy)
    candidacy.refresh_from_db()
    assert candidacy.status == C.OFFERED and not Contract.objects.exists()


def test_a_refused_contract_undoes_the_hire(post, seeker_with, employer, now, settings):
    vacancy, candidacy, _user = hire_ready(post, seeker_with, employer, now)
    settings.NATIONAL_MINIMUM_WAGE_BAISA = 700_000  # raised after the offer
    with pytest.raises(Exception) as refused:
        services.candidacy_hire(actor=employer, now=now, candidacy=candidacy)
    assert refused.value.code == "wage_below_minimum"
    vacancy.refresh_from_db()
    assert vacancy.open_posts == 2 and not Contract.objects.exists()


@pytest.mark.parametrize(
    ("wage", "start", "code"),
    [
        (400_000, dt.date(2026, 12, 15), "invalid_offer"),
        (600_000, dt.date(2026, 1, 1), "invalid_offer"),
    ],
)
def test_an_offer_outside_the_range_or_in_the_past_is_refused(
    post, seeker_with, employer, now, wage, start, code
):
    vacancy = post()
    seeker, _user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    services.candidacy_shortlist(actor=employer, now=now, candidacy=candidacy)
    with pytest.raises(services.InvalidOffer):
        services.candidacy_offer(
            actor=employer, now=now, candidacy=candidacy, wage_baisa=wage, start_date=start
        )
    assert candidacy.status == C.SHORTLISTED


def test_an_interview_needs_a_future_date_and_a_place(post, seeker_with, employer, now):
    vacancy = post()
    seeker, _user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    with pytest.raises(services.CandidacyStatusConflict):  # not shortlisted yet
        services.interview_invite(
            actor=employer,
            now=now,
            candidacy=candidacy,
            interview_at=now + dt.timedelta(1),
            place="x",
        )
    services.candidacy_shortlist(actor=employer, now=now, candidacy=candidacy)
    for when, place in [(now - dt.timedelta(hours=1), "Office"), (now + dt.timedelta(1), " ")]:
        with pytest.raises(services.InvalidInterview):
            services.interview_invite(
                actor=employer, now=now, candidacy=candidacy, interview_at=when, place=place
            )


def test_a_declined_interview_ends_the_candidacy(post, seeker_with, employer, representative, now):
    vacancy = post()
    seeker, _user, actor = seeker_with()
    candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
    services.candidacy_shortlist(actor=employer, now=now, candidacy=candidacy)
    services.interview_invite(
        actor=employer, now=now, candidacy=candidacy, interview_at=now + dt.timedelta(1), place="HQ"
    )
    services.interview_answer(actor=actor, now=now, candidacy=candidacy, accept=False)
    assert candidacy.status == C.INTERVIEW_DECLINED
    assert Notification.objects.filter(recipient=representative).count() == 2
    with pytest.raises(services.CandidacyStatusConflict):
        services.candidacy_offer(
            actor=employer,
            now=now,
            candidacy=candidacy,
            wage_baisa=600_000,
            start_date=dt.date(2026, 12, 15),
        )
