"""A college's catalogue: its registrar adds programmes, intakes and courses (each audited) that
the students and grades files then name; duplicates, another college's registrar, bad numbers
and bad text are refused with a bilingual message and nothing changes."""

import datetime as dt

import pytest
from django.urls import reverse

from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.colleges import services
from manpower.colleges.models import Course, ImportBatch, Intake, Programme
from manpower.core.actor import Actor
from manpower.core.models import AuditEvent

from .conftest import students_file

CATALOGUE = reverse("colleges:catalogue", args=["HCT"])
PROGRAMME = {
    "add": "programme",
    "programme-code": "eng-bsc",
    "programme-level": "BACHELOR",
    "programme-specialisation_ar": "الهندسة الكهربائية",
    "programme-specialisation_en": "Electrical engineering",
    "programme-credits_required": "130",
}
INTAKE = {"add": "intake", "intake-code": "2025-FALL", "intake-start_date": "2025-09-07"}
COURSE = {
    "add": "course",
    "course-code": "EE101",
    "course-title_ar": "الدوائر الكهربائية",
    "course-title_en": "Circuits",
    "course-credits": "3",
}


def programme_args(**changed):
    args = {
        "code": "ENG-BSC",
        "level": "BACHELOR",
        "specialisation_ar": "الهندسة الكهربائية",
        "specialisation_en": "Electrical engineering",
        "credits_required": 130,
    }
    return {**args, **changed}


# --- The services ------------------------------------------------------------------------------


def test_the_registrar_adds_a_programme_an_intake_and_a_course_each_audited(
    as_registrar, college, now
):
    programme = services.programme_add(
        actor=as_registrar, college=college, now=now, **programme_args(code=" eng-bsc ")
    )
    intake = services.intake_add(
        actor=as_registrar, college=college, code="2025-fall", start_date=dt.date(2025, 9, 7),
        now=now,
    )  # fmt: skip
    course = services.course_add(
        actor=as_registrar, college=college, code="ee101", title_ar="الدوائر",
        title_en="Circuits", credits=3, now=now,
    )  # fmt: skip
    assert (programme.code, intake.code, course.code) == ("ENG-BSC", "2025-FALL", "EE101")
    event = AuditEvent.objects.get(action="programme.added")
    assert event.object_id == str(programme.pk)
    assert event.changes["credits_required"] == [None, 130]
    assert event.on_behalf_of_key == "" and event.actor_user_id == as_registrar.user_id
    assert AuditEvent.objects.get(action="intake.added").changes["start_date"] == [
        None,
        "2025-09-07",
    ]
    assert AuditEvent.objects.get(action="course.added").changes["code"] == [None, "EE101"]


def test_the_students_file_may_name_what_the_registrar_added(as_registrar, college, now):
    services.programme_add(actor=as_registrar, college=college, now=now, **programme_args())
    services.intake_add(
        actor=as_registrar, college=college, code="2025-FALL", start_date=dt.date(2025, 9, 7),
        now=now,
    )  # fmt: skip
    batch, _new = services.records_import(
        actor=as_registrar, college=college, kind="STUDENTS", file_name="s.csv",
        content=students_file("96123456,سالم,Salim,ENG-BSC,2025-FALL"), now=now,
    )  # fmt: skip
    assert batch.status == ImportBatch.Status.IMPORTED


def test_a_code_already_in_the_college_is_refused_whatever_its_case(
    as_registrar, college, programme, now
):
    with pytest.raises(services.CatalogueCodeTaken) as refused:
        services.programme_add(
            actor=as_registrar, college=college, now=now, **programme_args(code="it-dip")
        )
    assert refused.value.status == 409
    assert refused.value.text("en") == "The college already has a programme with the code IT-DIP."
    assert "IT-DIP" in refused.value.text("ar") and "برنامج" in refused.value.text("ar")
    assert Programme.objects.count() == 1
    assert not AuditEvent.objects.filter(action="programme.added").exists()


def test_two_registrars_adding_one_code_at_once_get_one_entry_and_a_refusal(
    as_registrar, college, programme, now, monkeypatch
):
    """The other's entry is saved between the check and this save: the constraint decides."""
    from django.db.models.query import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(services.CatalogueCodeTaken):
        services.programme_add(
            actor=as_registrar, college=college, now=now, **programme_args(code="IT-DIP")
        )
    monkeypatch.undo()
    assert Programme.objects.count() == 1
    assert not AuditEvent.objects.filter(action="programme.added").exists()


def test_the_same_code_in_another_college_is_another_entry(
    other_registrar, other_college, programme, now
):
    services.programme_add(
        actor=Actor.for_user(other_registrar), college=other_college, now=now,
        **programme_args(code="IT-DIP"),
    )  # fmt: skip
    assert Programme.objects.filter(code="IT-DIP").count() == 2


def test_another_colleges_registrar_and_an_officer_cannot_add(
    other_registrar, employment_officer, college, now
):
    with pytest.raises(services.OtherCollege):
        services.course_add(
            actor=Actor.for_user(other_registrar), college=college, code="X1", title_ar="س",
            title_en="X", credits=3, now=now,
        )  # fmt: skip
    with pytest.raises(StaffActionNotPermitted):
        services.intake_add(
            actor=Actor.for_user(employment_officer), college=college, code="2025-FALL",
            start_date=dt.date(2025, 9, 1), now=now,
        )  # fmt: skip
    assert not Course.objects.exists() and not Intake.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("credits", [0, -3, 301, True, "130"])
def test_a_programmes_credits_are_a_whole_number_from_1_to_300(as_registrar, college, now, credits):
    with pytest.raises(services.InvalidCatalogueEntry) as refused:
        services.programme_add(
            actor=as_registrar, college=college, now=now, **programme_args(credits_required=credits)
        )
    assert refused.value.code == "invalid_credits"
    assert not Programme.objects.exists()


def test_a_courses_credits_stop_at_30(as_registrar, college, now):
    with pytest.raises(services.InvalidCatalogueEntry, match="from 1 to 30"):
        services.course_add(
            actor=as_registrar, college=college, code="X1", title_ar="س", title_en="X",
            credits=31, now=now,
        )  # fmt: skip


@pytest.mark.parametrize("year", [1979, 2040])
def test_an_intake_starts_within_the_colleges_years(as_registrar, college, now, year):
    with pytest.raises(services.InvalidCatalogueEntry, match="An intake starts between 1980"):
        services.intake_add(
            actor=as_registrar, college=college, code="OLD", start_date=dt.date(year, 9, 1),
            now=now,
        )  # fmt: skip
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"code": "IT DIP"}, "A code is 1 to 16 letters"),
        ({"code": "A" * 17}, "A code is 1 to 16 letters"),
        ({"code": "IT\x00"}, "A code is 1 to 16 letters"),
        ({"specialisation_en": "  "}, "Fill in the specialisation in English."),
        ({"specialisation_ar": "ا" * 201}, "longer than 200 characters"),
        ({"specialisation_en": "Power\x00"}, "characters that cannot be stored"),
        ({"level": "DOCTORATE"}, "Choose the level"),
    ],
)
def test_bad_codes_and_texts_are_refused(as_registrar, college, now, changed, message):
    with pytest.raises(services.InvalidCatalogueEntry, match=message):
        services.programme_add(
            actor=as_registrar, college=college, now=now, **programme_args(**changed)
        )
    assert not Programme.objects.exists()


# --- The page ----------------------------------------------------------------------------------


def test_the_college_page_links_to_the_catalogue(client, registrar, college):
    client.force_login(registrar)
    assert CATALOGUE in client.get(reverse("colleges:college", args=["HCT"])).content.decode()


def test_the_registrar_adds_on_the_page_and_sees_the_lists(client, registrar, college):
    client.force_login(registrar)
    for data in (PROGRAMME, INTAKE):
        answer = client.post(CATALOGUE, data)
        assert answer.status_code == 302 and answer.url == CATALOGUE
    page = client.post(CATALOGUE, COURSE, follow=True).content.decode()
    assert "EE101 was added." in page
    for shown in ("ENG-BSC", "Electrical engineering", "2025-FALL", "07/09/2025", "Circuits"):
        assert shown in page
    assert Programme.objects.get().credits_required == 130
    assert (
        AuditEvent.objects.filter(
            action__in=["programme.added", "intake.added", "course.added"],
            on_behalf_of_kind="college",
            on_behalf_of_key="HCT",
        ).count()
        == 3
    )


def test_a_second_submission_is_refused_by_the_code_field(client, registrar, college):
    client.force_login(registrar)
    client.post(CATALOGUE, COURSE)
    again = client.post(CATALOGUE, COURSE)
    assert again.status_code == 409
    page = again.content.decode()
    assert "The college already has a course with the code EE101." in page
    assert 'href="#id_course-code"' in page
    assert Course.objects.count() == 1


def test_refusals_are_in_arabic_for_an_arabic_reader(client, registrar, college):
    registrar.language = "ar"
    registrar.save()
    client.force_login(registrar)
    client.post(CATALOGUE, COURSE)
    page = client.post(CATALOGUE, COURSE).content.decode()
    assert "The college already has" not in page
    assert "EE101" in page and 'class="error-summary"' in page


@pytest.mark.parametrize(
    ("changed", "status"),
    [
        ({"programme-credits_required": "0"}, 422),
        ({"programme-credits_required": "many"}, 400),
        ({"programme-specialisation_en": "x" * 201}, 400),
        ({"programme-code": ""}, 400),
        ({"programme-level": "DOCTORATE"}, 400),
    ],
)
def test_bad_input_on_the_page_is_refused_and_nothing_is_added(
    client, registrar, college, changed, status
):
    client.force_login(registrar)
    answer = client.post(CATALOGUE, {**PROGRAMME, **changed})
    assert answer.status_code == status
    assert 'class="error-summary"' in answer.content.decode()
    assert not Programme.objects.exists()


def test_a_nul_byte_is_refused_before_the_page(client, registrar, college):
    client.force_login(registrar)
    answer = client.post(CATALOGUE, {**COURSE, "course-title_en": "Circ\x00uits"})
    assert answer.status_code == 400
    assert not Course.objects.exists()


def test_an_unknown_form_is_a_bad_request(client, registrar, college):
    client.force_login(registrar)
    assert client.post(CATALOGUE, {"add": "teacher"}).status_code == 400


def test_another_colleges_registrar_does_not_find_the_page(client, other_registrar, college):
    client.force_login(other_registrar)
    assert client.get(CATALOGUE).status_code == 404
    assert client.post(CATALOGUE, COURSE).status_code == 404
    assert not Course.objects.exists()


def test_an_officer_reads_the_catalogue_but_cannot_add(
    client, employment_officer, college, programme
):
    client.force_login(employment_officer)
    page = client.get(CATALOGUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "IT-DIP" in html and 'name="add"' not in html
    refused = client.post(CATALOGUE, COURSE)
    assert refused.status_code == 403
    assert not Course.objects.exists()
