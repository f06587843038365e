"""Two employers' clicks hiring for the last post at once: one wins, the other is refused and
registers no contract (PostgreSQL, where the two transactions truly overlap)."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from manpower.contracts.models import Contract
from manpower.core.errors import DomainError
from manpower.jobs import services
from manpower.jobs.models import Candidacy, Vacancy


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hires_for_the_last_post_at_once_take_it_once(post, seeker_with, employer, now):
    vacancy = post(posts=1)
    offered = []
    for name in ("First", "Second"):
        seeker, _user, actor = seeker_with(name_en=name)
        candidacy = services.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
        services.candidacy_shortlist(actor=employer, now=now, candidacy=candidacy)
        services.candidacy_offer(
            actor=employer,
            now=now,
            candidacy=candidacy,
            wage_baisa=600_000,
            start_date=dt.date(2026, 12, 15),
        )
        offered.append(candidacy.pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def hire(pk: int) -> None:
        try:
            candidacy = Candidacy.objects.select_related(
                "vacancy__establishment", "seeker__person"
            ).get(pk=pk)
            barrier.wait()
            outcomes.append(
                services.candidacy_hire(actor=employer, now=now, candidacy=candidacy).status
            )
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=(pk,)) for pk in offered]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert sorted(outcomes) == ["HIRED", "no_open_post"]
    vacancy.refresh_from_db()
    assert (vacancy.open_posts, vacancy.status) == (0, Vacancy.Status.FILLED)
    assert Contract.objects.count() == 1
