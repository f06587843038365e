"""Imports sent at the same moment (PostgreSQL, real concurrent transactions)."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from manpower.accounts.models import Role
from manpower.colleges import services
from manpower.colleges.models import College, ImportBatch, Intake, Programme, Student
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.registry.tests.factories import UserFactory

from .conftest import students_file

# serialized_rollback: a plain transactional test's flush re-creates the content types under new
# ids, and the serialized tests after it (contracts, core, demo) then fail to restore theirs.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes: list = []

    def run(call) -> None:
        try:
            barrier.wait()
            outcomes.append(call())
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
    return outcomes


@pytest.fixture
def hct(db):
    college, _ = College.objects.get_or_create(
        code="HCT", defaults={"name_ar": "الكلية التقنية العليا", "name_en": "Higher College"}
    )
    Programme.objects.create(
        college=college, code="IT-DIP", level="DIPLOMA", specialisation_en="IT",
        specialisation_ar="تقنية", credits_required=6,
    )  # fmt: skip
    Intake.objects.create(college=college, code="2023-FALL", start_date=dt.date(2023, 9, 1))
    registrar = UserFactory(role=Role.COLLEGE_REGISTRAR, college_code="HCT")
    return college, Actor.for_user(registrar)


def importing(college, actor, content, now):
    return lambda: services.records_import(
        actor=actor, college=college, kind="STUDENTS", file_name="s.csv", content=content, now=now
    )


@pytest.mark.postgres
def test_the_same_file_sent_twice_at_once_is_imported_once(hct, now):
    college, actor = hct
    content = students_file("96123456,سالم,Salim,IT-DIP,2023-FALL")
    outcomes = at_once(*(importing(college, actor, content, now) for _ in range(2)))
    assert sorted(new for _batch, new in outcomes) == [False, True]
    assert len({batch.pk for batch, _new in outcomes}) == 1
    assert ImportBatch.objects.count() == 1 and Student.objects.count() == 1


@pytest.mark.postgres
def test_two_files_with_the_same_student_at_once_load_the_student_once(hct, now):
    college, actor = hct
    line = "96123456,سالم,Salim,IT-DIP,2023-FALL"
    outcomes = at_once(
        importing(college, actor, students_file(line), now),
        importing(
            college, actor, students_file(line, "96123457,مريم,Maryam,IT-DIP,2023-FALL"), now
        ),
    )
    # Raced (the second is asked to send again), or, when one committed before the other read
    # the college's students, refused line by line: never the student twice.
    refused = [o for o in outcomes if not isinstance(o, str) and o[0].status == "REJECTED"]
    assert "import_raced" in outcomes or len(refused) == 1
    assert Student.objects.filter(civil_number="96123456").count() == 1
