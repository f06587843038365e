"""`manage.py seed`: exact counts, the same data from the same seed, and data that hold together
(places, people, employments, wages) on SQLite and on PostgreSQL (the COPY path)."""

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from manpower.core.identifiers import (
    validate_civil_number,
    validate_cr_number,
    validate_passport_number,
)
from manpower.demo import seeding
from manpower.demo.seeding import size_category
from manpower.registry.models import Employment, Establishment, Person, Representation
from manpower.registry.tests.factories import EstablishmentFactory, RepresentationFactory

pytestmark = pytest.mark.django_db

EMPLOYERS, WORKERS = 40, 700
AS_OF = "2026-11-29"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def seed(*extra, employers=EMPLOYERS, workers=WORKERS, seed_value=7):
    out = StringIO()
    call_command(
        "seed",
        f"--employers={employers}",
        f"--workers={workers}",
        f"--seed={seed_value}",
        f"--as-of={AS_OF}",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def snapshot():
    return (
        list(Establishment.objects.order_by("id").values_list()),
        list(Person.objects.order_by("id").values_list()),
        list(Employment.objects.order_by("id").values_list()),
    )


def test_seed_makes_exactly_the_requested_counts_and_says_so():
    output = seed()

    assert Establishment.objects.count() == EMPLOYERS
    assert Person.objects.count() == WORKERS
    assert Employment.objects.filter(status=Employment.Status.ACTIVE).count() == WORKERS
    assert f"Seeded {EMPLOYERS:,} establishments, {WORKERS:,} persons" in output
    assert re.search(r"in \d+\.\d s\.", output)


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    seed()
    first = snapshot()

    seed("--replace")
    assert snapshot() == first

    seed("--replace", seed_value=8)
    assert snapshot() != first


def test_every_wilayat_belongs_to_its_establishments_governorate():
    seed()
    for establishment in Establishment.objects.select_related("wilayat"):
        assert establishment.wilayat.governorate_id == establishment.governorate_id
        assert establishment.activity.level == "DIVISION"


def test_every_person_has_one_active_employment_at_an_existing_establishment():
    seed()
    per_person = Counter(
        Employment.objects.filter(status="ACTIVE").values_list("person_id", flat=True)
    )
    assert set(per_person.values()) == {1}
    assert set(per_person) == set(Person.objects.values_list("id", flat=True))
    establishment_ids = set(Establishment.objects.values_list("id", flat=True))
    assert set(Employment.objects.values_list("establishment_id", flat=True)) <= establishment_ids
    for employment in Employment.objects.select_related("person", "occupation"):
        assert employment.person_is_national == employment.person.is_national
        assert employment.occupation.level == 4
        assert employment.start_date <= dt.date.fromisoformat(AS_OF)


def test_nationals_are_about_a_seventh_of_workers_and_others_come_mostly_from_south_asia():
    seed()
    nationals = Person.objects.filter(is_national=True)
    assert 0.13 <= nationals.count() / WORKERS <= 0.15
    assert set(nationals.values_list("nationality", flat=True)) == {"OMN"}
    mix = Counter(
        Person.objects.filter(is_national=False).values_list("nationality", flat=True)
    ).most_common(3)
    assert {code for code, _count in mix} == {"IND", "BGD", "PAK"}


def test_names_are_in_both_languages_and_identifiers_are_valid_and_unique():
    seed()
    persons = list(Person.objects.all())
    for person in persons:
        assert person.name_en.strip() and ARABIC.search(person.name_ar)
        assert not ARABIC.search(person.name_en)
        validate_civil_number(person.civil_number)
        assert dt.date(1960, 1, 1) <= person.birth_date <= dt.date(2005, 12, 31)
        if person.is_national:
            assert person.passport_number == ""
        else:
            validate_passport_number(person.passport_number)
            assert person.passport_expiry_date > dt.date.fromisoformat(AS_OF)
    assert len({p.civil_number for p in persons}) == len(persons)
    for establishment in Establishment.objects.all():
        assert establishment.name_en.strip() and ARABIC.search(establishment.name_ar)
        validate_cr_number(establishment.cr_number)
        assert establishment.chamber_number and establishment.chamber_expiry_date


def test_size_matches_the_worker_count_and_sizes_are_heavy_tailed():
    seed(employers=200, workers=3000)
    counts = Counter(Employment.objects.values_list("establishment_id", flat=True))
    for establishment in Establishment.objects.all():
        assert establishment.size == size_category(counts[establishment.pk])
    sizes = sorted(counts.values())
    assert sizes[len(sizes) // 2] <= 10  # most are small
    assert sizes[-1] >= 100  # a few are large


def test_wages_follow_the_occupation_and_nationals_earn_at_least_the_minimum_wage():
    seed()
    for occupation, national, wage in Employment.objects.values_list(
        "occupation", "person_is_national", "basic_wage_baisa"
    ):
        if national:
            assert wage >= seeding.NATIONAL_MINIMUM_WAGE_BAISA
        if occupation.startswith("9") and not national:
            assert 90_000 <= wage <= 150_000
        if occupation.startswith("214"):
            assert 800_000 <= wage <= 2_000_000


def test_a_non_empty_registry_is_refused_without_append_or_replace():
    EstablishmentFactory()
    with pytest.raises(CommandError, match="--append.*--replace"):
        seed()
    assert Person.objects.count() == 0


def test_append_adds_new_rows_with_new_identifiers():
    seed()
    seed("--append", seed_value=9)

    assert Establishment.objects.count() == 2 * EMPLOYERS
    assert Person.objects.count() == 2 * WORKERS
    assert Person.objects.values("civil_number").distinct().count() == 2 * WORKERS
    assert Establishment.objects.values("cr_number").distinct().count() == 2 * EMPLOYERS


def test_replace_deletes_what_was_there_including_representations():
    RepresentationFactory()
    seed("--replace")

    assert Representation.objects.count() == 0
    assert Establishment.objects.count() == EMPLOYERS
    assert Establishment.objects.order_by("id").first().pk == 1


def test_more_establishments_than_workers_leaves_the_rest_closed_and_empty():
    seed(employers=10, workers=4)

    assert Person.objects.count() == 4
    closed = Establishment.objects.filter(status=Establishment.Status.CLOSED)
    assert closed.count() == 6
    assert not Employment.objects.filter(establishment__in=closed).exists()


@pytest.mark.postgres
def test_a_large_load_rebuilds_the_same_indexes_and_constraints(monkeypatch):
    """Above the threshold the PostgreSQL loader drops and recreates indexes and constraints."""

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid::regclass::text LIKE 'registry_%%' ORDER BY 1"
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid::regclass::text LIKE 'registry_%%' ORDER BY 1"
            )
            return indexes, cursor.fetchall()

    before = schema()
    monkeypatch.setattr(seeding, "REBUILD_THRESHOLD", 1)
    seed()

    assert schema() == before
    person = Person.objects.filter(is_national=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            person=person,
            establishment=Establishment.objects.first(),
            occupation_id="9313",
            person_is_national=False,
            start_date=dt.date(2026, 1, 1),
            basic_wage_baisa=100_000,
        )


def test_validators_accept_what_the_generator_makes_at_its_largest_ids():
    """Identifiers stay valid up to national scale and beyond."""
    for pk in (1, 2_000_000, 8_999_999):
        validate_cr_number(seeding.cr_number(pk))
    for pk in (1, 2_000_000, 89_999_999):
        validate_civil_number(seeding.civil_number(pk))
    with pytest.raises(ValidationError):
        validate_civil_number("0" + seeding.civil_number(1))
