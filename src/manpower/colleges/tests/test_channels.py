"""The channels: the portal's pages (registrar, student or graduate, ministry staff) and the
public API (upload, a student, graduation, a graduate's records and consent), each scoped to
who may see the record; refusals are bilingual problems, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.services import api_token_create
from manpower.colleges import services
from manpower.colleges.models import ImportBatch, Student
from manpower.core.actor import Actor
from manpower.registry.tests.factories import PersonFactory, UserFactory, oman

from .conftest import students_file

IMPORTS = "/api/v1/colleges/{code}/imports"


def bearer(user):
    _token, key = api_token_create(
        actor=Actor.for_user(user), user=user, name="phone", now=timezone.now()
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def upload(content, name="students.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


GOOD = students_file("96123456,سالم العامري,Salim Al Amri,IT-DIP,2023-FALL")


def test_the_registrar_imports_through_the_api_and_a_retry_answers_the_first(
    client, registrar, programme, intake
):
    auth = bearer(registrar)
    url = IMPORTS.format(code="HCT")
    first = client.post(url, {"kind": "STUDENTS", "file": upload(GOOD)}, **auth)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["status"], body["lines_loaded"], body["error_count"]) == ("IMPORTED", 1, 0)
    again = client.post(url, {"kind": "STUDENTS", "file": upload(GOOD)}, **auth)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    status = client.get(f"{url}/{body['id']}", **auth).json()
    assert status["lines_total"] == 1


def test_a_registrar_importing_into_another_college_gets_403_and_nothing_changes(
    client, other_registrar, programme, intake
):
    answer = client.post(
        IMPORTS.format(code="HCT"), {"kind": "STUDENTS", "file": upload(GOOD)},
        **bearer(other_registrar),
    )  # fmt: skip
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["code"] == "other_college"
    assert problem["detail_en"] == "You keep the records of another college, not of HCT."
    assert problem["detail_ar"] == "أنت مسجل كلية أخرى، لا HCT."
    assert not Student.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"\xff\xfe not text", 422, "import_refused"),
        (b"a,b\n1,2\n", 422, "import_refused"),
        (b"civil_number,name_ar,name_en,programme,intake\n96123456,\x00,b,c,d\n", 422,
         "import_refused"),
    ],
)  # fmt: skip
def test_bad_files_get_a_bilingual_problem(client, registrar, college, content, status, code):
    answer = client.post(
        IMPORTS.format(code="HCT"), {"kind": "STUDENTS", "file": upload(content)},
        **bearer(registrar),
    )  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not ImportBatch.objects.exists()


def test_an_unknown_college_or_kind_is_a_clear_refusal(client, registrar, college):
    auth = bearer(registrar)
    nowhere = client.post(
        IMPORTS.format(code="NOPE"), {"kind": "STUDENTS", "file": upload(GOOD)}, **auth
    )
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "college_not_found")
    odd = client.post(IMPORTS.format(code="HCT"), {"kind": "PHOTOS", "file": upload(GOOD)}, **auth)
    assert (odd.status_code, odd.json()["code"]) == (422, "import_refused")


def test_the_portal_upload_shows_the_errors_and_the_report_downloads(
    client, registrar, programme, intake
):
    client.force_login(registrar)
    bad = students_file(
        "96123456,سالم,Salim,IT-DIP,2023-FALL", "96123456,سالم,Salim,IT-DIP,2023-FALL"
    )
    answer = client.post(
        reverse("colleges:college", args=["HCT"]), {"kind": "STUDENTS", "file": upload(bad)}
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "This line repeats line 2 of the file." in page.content.decode()
    batch = ImportBatch.objects.get()
    report = client.get(reverse("colleges:report_csv", args=["HCT", batch.pk]))
    text = b"".join(report.streaming_content).decode()
    assert report["Content-Type"].startswith("text/csv") and "duplicate_line" in text


def test_the_portal_refuses_a_bad_file_by_the_field(client, registrar, college):
    client.force_login(registrar)
    answer = client.post(
        reverse("colleges:college", args=["HCT"]), {"kind": "STUDENTS", "file": upload(b"x,y\n")},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert answer.status_code == 400
    assert "The first line must be the header" in answer.content.decode()


def test_a_registrar_sees_only_their_college_pages(client, other_registrar, enrolled):
    client.force_login(other_registrar)
    assert client.get(reverse("colleges:college", args=["HCT"])).status_code == 404
    assert client.get(reverse("colleges:student", args=["HCT", "96123456"])).status_code == 404
    assert client.get(reverse("colleges:report", args=["HCT"])).status_code == 404
    assert client.get(reverse("colleges:home")).url == reverse("colleges:college", args=["SCT"])


def test_the_registrar_graduates_from_the_student_page(client, registrar, enrolled):
    client.force_login(registrar)
    url = reverse("colleges:student", args=["HCT", "96123457"])
    refused = client.post(url, {"graduate": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "3 credits of the 6" in refused.content.decode()
    url = reverse("colleges:student", args=["HCT", "96123456"])
    assert client.post(url, {"graduate": "1"}).status_code == 302
    assert Student.objects.get(civil_number="96123456").status == "GRADUATED"
    assert client.post(url, {"status": "SUSPENDED", "reason": ""}).status_code == 400


def test_the_graduate_consents_in_the_portal_and_the_app(client, as_registrar, enrolled, now):
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    PersonFactory(civil_number="96123456", is_national=True, nationality=oman(), passport_number="")
    graduate = UserFactory(username="salim", civil_number="96123456", language="en")
    auth = bearer(graduate)
    mine = client.get("/api/v1/colleges/mine", **auth).json()
    assert [(r["civil_number"], r["status"], r["gpa"]) for r in mine] == [
        ("96123456", "GRADUATED", "3.13")
    ]
    consent = f"/api/v1/colleges/mine/{student.pk}/consent"
    assert client.post(consent, **auth).status_code == 201
    assert client.post(consent, **auth).status_code == 200
    client.force_login(graduate)
    page = client.get(reverse("colleges:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You agreed on" in page


def test_a_student_cannot_consent_for_someone_else(client, as_registrar, enrolled, now):
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    stranger = UserFactory(username="other", civil_number="96999999")
    answer = client.post(f"/api/v1/colleges/mine/{student.pk}/consent", **bearer(stranger))
    assert (answer.status_code, answer.json()["code"]) == (404, "student_not_found")
    client.force_login(stranger)
    assert client.post(reverse("colleges:consent", args=[student.pk])).status_code == 404
    assert Student.objects.get(pk=student.pk).job_seeker_consent_at is None


def test_ministry_staff_see_every_colleges_report(client, employment_officer, enrolled):
    client.force_login(employment_officer)
    page = client.get(reverse("colleges:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Salalah College of Technology" in page and "Higher College of Technology" in page
    assert client.get(reverse("colleges:report", args=["HCT"])).status_code == 200


def test_anyone_else_lands_on_their_own_studies(client, db):
    client.force_login(UserFactory(username="nobody", language="en"))
    page = client.get(reverse("colleges:home"))
    assert page.status_code == 200
    assert "No technical college has a student record" in page.content.decode()
