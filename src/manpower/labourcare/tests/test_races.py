"""Counts under concurrency (PostgreSQL): two uploads at once cannot pass the ten-file limit,
and the same complaint sent twice at once is one complaint."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from manpower.core.errors import DomainError
from manpower.labourcare import services
from manpower.labourcare.models import Complaint

from .conftest import PDF

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return sorted(outcomes)


def test_two_uploads_at_once_cannot_pass_the_file_limit(file_complaint, worker_actor, now):
    complaint = file_complaint()
    services.evidence_attach(
        actor=worker_actor,
        now=now,
        complaint=complaint,
        files=[(f"{n}.pdf", [PDF + str(n).encode()]) for n in range(9)],
    )

    def upload(tag: bytes):
        return lambda: services.evidence_attach(
            actor=worker_actor, now=now, complaint=complaint, files=[("x.pdf", [PDF + tag])]
        )

    assert at_once(upload(b"a"), upload(b"b")) == ["ok", "too_many_evidence_files"]
    assert complaint.evidence.count() == 10


def test_the_same_complaint_sent_twice_at_once_is_one(file_complaint):
    numbers: list[str] = []
    assert at_once(*(lambda: numbers.append(file_complaint().number) for _ in range(2))) == [
        "ok",
        "ok",
    ]
    assert Complaint.objects.count() == 1 and len(set(numbers)) == 1
