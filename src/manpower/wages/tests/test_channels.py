"""The channels of a salary file: the partner API (scope wps), the portal's upload page and
report, and the public API; each scoped to who may see the file."""

import pytest
from django.urls import reverse

from manpower.accounts.models import Role
from manpower.integration import services as integration
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    RepresentationFactory,
    UserFactory,
)
from manpower.wages.models import SalaryFile

from .conftest import NAME, line, sif_text

WPS = "/api/partners/v1/wps/files"


@pytest.fixture
def bank_key(system_actor, now):
    def issue(scopes=("wps",), agency="central-bank"):
        _credential, key = integration.partner_key_create(
            actor=system_actor, agency=integration.agency_by_code(agency), scopes=list(scopes),
            now=now,
        )  # fmt: skip
        return key

    return issue


def good_file():
    return sif_text([line(), line("61234568", name="فاطمة الحارثي", net="400", basic="400")])


def send(client, key, body, *, name=NAME):
    return client.post(
        WPS, data=body, content_type="text/csv", HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_FILE_NAME=name,
    )  # fmt: skip


def test_the_central_bank_posts_a_file_and_gets_202_with_a_status_url(client, bank_key, workers):
    key = bank_key()
    answer = send(client, key, good_file().encode())
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert body["file_name"] == NAME and body["cr_number"] == "1234567"
    status = client.get(body["status_url"], HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (status["status"], status["lines_checked"], status["lines_total"]) == ("CHECKED", 2, 2)
    again = send(client, key, good_file().encode())
    assert (again.status_code, again.json()["id"]) == (200, body["id"])


def test_the_name_may_come_as_a_query_parameter(client, bank_key, workers):
    answer = client.post(
        f"{WPS}?name={NAME}", data=good_file().encode(), content_type="text/csv",
        HTTP_AUTHORIZATION=f"Bearer {bank_key()}",
    )  # fmt: skip
    assert answer.status_code == 202


def test_the_partner_report_is_csv_with_a_bom_in_both_languages(client, bank_key, workers):
    key = bank_key()
    body = send(client, key, sif_text([line(net="300", basic="300")]).encode()).json()
    report = client.get(body["report_url"], HTTP_AUTHORIZATION=f"Bearer {key}")
    assert report.status_code == 200
    text = b"".join(report.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert "net_below_wage" in text and "worker_missing" in text
    assert "61234568" in text


@pytest.mark.parametrize(
    ("body", "name", "status", "code"),
    [
        ("الاسم".encode("cp1256"), NAME, 422, "file_not_utf8"),
        (b"1234567,\x00,x", NAME, 400, "invalid_characters"),
        (b"a,b", "salaries.csv", 422, "sif_name_invalid"),
        (b"a,b", "SIF_9999999_BMUS_20261103_001.csv", 422, "employer_unknown"),
        (b"a,b", "SIF_1234567_ZZZZ_20261103_001.csv", 422, "bank_unknown"),
        (b"a,b", "", 422, "sif_name_invalid"),
    ],
)
def test_bad_partner_files_are_problems_and_nothing_is_kept(
    client, bank_key, establishment, body, name, status, code
):
    answer = send(client, bank_key(), body, name=name)
    assert answer.status_code == status, answer.content
    problem = answer.json()
    assert problem["code"] == code and problem["detail_ar"] != problem["detail_en"]
    assert not SalaryFile.objects.exists()


def test_an_oversized_partner_file_is_413(client, bank_key, establishment, settings):
    settings.WAGES_MAX_FILE_BYTES = 50
    answer = send(client, bank_key(), good_file().encode())
    assert (answer.status_code, answer.json()["code"]) == (413, "file_too_large")


def test_a_large_body_is_streamed_past_the_request_memory_limit(
    client, bank_key, workers, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    assert send(client, bank_key(), good_file().encode()).status_code == 202


def test_the_wps_scope_is_needed(client, bank_key, establishment):
    answer = send(client, bank_key(scopes=("registry",)), good_file().encode())
    assert answer.status_code == 403


def test_another_agencys_file_is_404(client, bank_key, workers):
    body = send(client, bank_key(), good_file().encode()).json()
    other = bank_key(agency="social-insurance")
    assert client.get(body["status_url"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404


def upload(client, text, *, name=NAME, cr="1234567"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("wages:files", args=[cr]),
        {"file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)},
    )


def test_a_representative_uploads_sees_the_status_and_downloads_the_report(
    client, representative, workers
):
    client.force_login(representative)
    answer = upload(client, sif_text([line(), line("61234568", net="100", basic="400")]))
    received = SalaryFile.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("wages:file", args=["1234567", received.pk])
    page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "net_below_wage" not in page.content.decode()  # the message, not the code, is shown
    assert received.channel == "WEB" and received.submitted_by == representative
    report = client.get(reverse("wages:report", args=["1234567", received.pk]))
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "The net salary is below the basic wage of 400.000 rials" in text
    listing = client.get(reverse("wages:files", args=["1234567"]))
    assert NAME in listing.content.decode()


def test_a_refused_upload_is_explained_by_the_field(client, representative, establishment):
    client.force_login(representative)
    answer = upload(client, "x".encode("cp1256") + "الاسم".encode("cp1256"))
    assert answer.status_code == 400
    assert "UTF-8" in answer.content.decode()
    assert not SalaryFile.objects.exists()


def test_a_representative_cannot_send_another_employers_file(client, representative, workers):
    EstablishmentFactory(cr_number="7654321")
    client.force_login(representative)
    answer = upload(client, good_file(), name="SIF_7654321_BMUS_20261103_001.csv")
    assert answer.status_code == 400
    assert not SalaryFile.objects.exists()


def test_another_establishments_file_is_404_on_every_channel(client, representative, workers):
    client.force_login(representative)
    upload(client, good_file())
    received = SalaryFile.objects.get()
    stranger = UserFactory(role=Role.ESTABLISHMENT_REP)
    other = EstablishmentFactory(cr_number="7654321")
    RepresentationFactory(user=stranger, establishment=other)
    client.force_login(stranger)
    assert client.get(reverse("wages:file", args=["1234567", received.pk])).status_code == 404
    assert client.get(reverse("wages:file", args=["7654321", received.pk])).status_code == 404
    assert client.get(reverse("wages:report", args=["7654321", received.pk])).status_code == 404
    assert client.get(f"/api/v1/wages/files/{received.pk}").status_code == 404
    assert client.get("/api/v1/wages/files?cr=1234567").status_code == 404


def test_the_public_api_lists_the_establishments_files(client, representative, workers):
    client.force_login(representative)
    upload(client, good_file())
    listed = client.get("/api/v1/wages/files?cr=1234567")
    assert listed.status_code == 200
    [only] = listed.json()
    assert (only["status"], only["error_count"], only["lines_total"]) == ("CHECKED", 0, 2)
    one = client.get(only["status_url"]).json()
    assert one["id"] == only["id"]


def test_a_sanad_operator_uploads_on_behalf_of_the_establishment(client, establishment, workers):
    operator = UserFactory(role=Role.SANAD_OPERATOR)
    RepresentationFactory(user=operator, establishment=establishment)
    client.force_login(operator)
    assert upload(client, good_file()).status_code == 302
    assert SalaryFile.objects.get().channel == "SANAD"
