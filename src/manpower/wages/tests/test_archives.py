"""The national archive: a zip of many salary files through the partner API (scope wps) and
the file exchange; each member judged on its own, a bad one reported without stopping the
others, limits on the zip, progress, replay and resume."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest

from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditEvent
from manpower.integration import services as integration
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, PersonFactory
from manpower.wages import services
from manpower.wages.models import SalaryArchive, SalaryFile
from manpower.wages.services import archives

from .conftest import NAME, line, sif_text

WPS = "/api/partners/v1/wps/archives"
CENTRAL_BANK = Actor(channel=Channel.PARTNER, label="partner:central-bank")
NOW = dt.datetime(2026, 11, 3, 6, 0, tzinfo=dt.UTC)
OTHER_NAME = "SIF_7654321_BMUS_20261103_001.csv"


@pytest.fixture
def bank_key(system_actor, now):
    def issue(scopes=("wps",), agency="central-bank"):
        _credential, key = integration.partner_key_create(
            actor=system_actor, agency=integration.agency_by_code(agency), scopes=list(scopes),
            now=now,
        )  # fmt: skip
        return key

    return issue


@pytest.fixture
def other_employer(db):
    """A second establishment with one worker on 300 rials."""
    establishment = EstablishmentFactory(cr_number="7654321")
    EmploymentFactory(establishment=establishment, person=PersonFactory(civil_number="71234567"),
                      start_date=dt.date(2025, 1, 1), basic_wage_baisa=300_000)  # fmt: skip
    return establishment


def good_file():
    return sif_text([line(), line("61234568", name="فاطمة الحارثي", net="400", basic="400")])


def other_file(**header):
    return sif_text([line("71234567", net="300", basic="300")], cr="7654321", **header)


def zipped(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in members:
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return out.getvalue()


def check(data, *, name="WPS_202610.zip"):
    received, new = services.salary_archive_receive(
        actor=CENTRAL_BANK, file_name=name, chunks=[data[i : i + 1000] for i in
                                                    range(0, len(data), 1000)], now=NOW,
    )  # fmt: skip
    if new:
        received = services.salary_archive_check(
            actor=CENTRAL_BANK, archive_id=received.pk, now=NOW
        )
    return received


def refused_codes(archive):
    return sorted((member["name"], member["code"]) for member in archive.refused)


def test_each_member_is_a_file_of_its_own_and_bad_members_are_reported(workers, other_employer):
    nested = zipped([(NAME, good_file())])
    archive = check(
        zipped([
            (NAME, good_file()),
            (OTHER_NAME, other_file(total="999.000")),  # judged: a wrong total
            ("SIF_1234567_BMUS_20261103_002.csv", good_file()[:-30]),  # judged: truncated
            ("salaries.csv", good_file()),
            ("SIF_1234567_BMUS_20261103_003.csv", "الاسم".encode("cp1256")),
            ("../SIF_1234567_BMUS_20261103_004.csv", good_file()),
            ("inner.zip", nested),
            ("SIF_1234567_BMUS_20261103_005.csv", nested),
            ("SIF_1234567_BMUS_20261103_006.csv", b"1234567,\x00"),
        ])
    )  # fmt: skip
    assert archive.status == "CHECKED"
    assert (archive.members_total, archive.members_read) == (9, 9)
    assert (archive.files_total, archive.files_checked) == (3, 3)
    assert archive.lines_total == archive.lines_checked == 2 + 1 + 2
    assert refused_codes(archive) == [
        ("../SIF_1234567_BMUS_20261103_004.csv", "member_path_invalid"),
        ("SIF_1234567_BMUS_20261103_003.csv", "file_not_utf8"),
        ("SIF_1234567_BMUS_20261103_005.csv", "member_nested_archive"),
        ("SIF_1234567_BMUS_20261103_006.csv", "invalid_characters"),
        ("inner.zip", "member_nested_archive"),
        ("salaries.csv", "sif_name_invalid"),
    ]
    for member in archive.refused:
        assert member["message_ar"] and member["message_ar"] != member["message_en"]
    files = {found.file_name: found for found in archive.files.all()}
    assert files[NAME].status == "CHECKED" and files[NAME].error_count == 0
    other = files[OTHER_NAME]
    assert other.status == "REJECTED"
    assert other.errors.filter(code="total_mismatch").exists()
    truncated = files["SIF_1234567_BMUS_20261103_002.csv"]
    assert set(truncated.errors.values_list("code", flat=True)) >= {
        "line_fields", "total_mismatch"
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="salary_archive.checked").count() == 1


def test_a_second_member_of_the_same_name_is_refused_and_the_first_is_read(workers, other_employer):
    """Read by name, a zip's two entries of one name are both the later: the first is the
    file (its own bytes checked), the second refused, so one name is one salary file."""
    first, second = good_file(), sif_text([line(net="100", basic="100")])
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zipped([(NAME, first), (OTHER_NAME, other_file()), (NAME, second)])
    archive = check(data)
    assert archive.status == "CHECKED"
    assert (archive.members_read, archive.files_total, archive.files_checked) == (3, 2, 2)
    assert refused_codes(archive) == [(NAME, "duplicate_member")]
    [refused] = archive.refused
    assert NAME in refused["message_ar"] and refused["message_ar"] != refused["message_en"]
    kept = archive.files.get(file_name=NAME)
    assert kept.sha256 == hashlib.sha256(first.encode()).hexdigest()
    assert (kept.status, kept.lines_total, kept.error_count) == ("CHECKED", 2, 0)
    assert SalaryFile.objects.filter(name_cr="1234567").count() == 1


def test_a_member_larger_than_a_file_may_be_is_refused_by_its_size(workers, settings):
    settings.WAGES_MAX_FILE_BYTES = 1000
    archive = check(
        zipped([(NAME, good_file()), ("SIF_1234567_BMUS_20261103_002.csv", "a" * 50_000)])
    )
    assert refused_codes(archive) == [("SIF_1234567_BMUS_20261103_002.csv", "file_too_large")]
    assert archive.files_total == 1


def test_a_zip_bomb_that_lies_about_its_size_is_cut_at_the_declared_size(workers):
    """A member that says it is small but uncompresses to much more is read only as far as it
    said, and refused as damaged (its CRC fails), whatever it holds beyond."""
    data = bytearray(zipped([("SIF_1234567_BMUS_20261103_002.csv", "1" * 1_000_000)]))
    declared = (1_000_000).to_bytes(4, "little")
    # The size is written in the local header and the central directory: make both say 100.
    for at in [index for index in range(len(data)) if data[index : index + 4] == declared]:
        data[at : at + 4] = (100).to_bytes(4, "little")
    archive = check(bytes(data))
    assert refused_codes(archive) == [("SIF_1234567_BMUS_20261103_002.csv", "member_unreadable")]
    assert not SalaryFile.objects.exists()


def test_a_damaged_member_is_reported_and_the_others_go_on(workers, other_employer):
    data = bytearray(zipped([(NAME, good_file() * 20), (OTHER_NAME, other_file())]))
    start = data.index(b"SIF_1234567") + len(NAME) + 20
    data[start : start + 40] = bytes(40)  # corrupt the first member's compressed bytes
    archive = check(bytes(data))
    assert refused_codes(archive) == [(NAME, "member_unreadable")]
    assert list(archive.files.values_list("file_name", "status")) == [(OTHER_NAME, "CHECKED")]


@pytest.mark.parametrize(
    ("limit", "value", "code"),
    [
        ("WAGES_ARCHIVE_MAX_MEMBERS", 1, "archive_too_many_files"),
        ("WAGES_ARCHIVE_MAX_UNCOMPRESSED_BYTES", 100, "archive_too_large"),
    ],
)
def test_an_archive_past_the_limits_is_rejected_unread(workers, settings, limit, value, code):
    setattr(settings, limit, value)
    archive = check(zipped([(NAME, good_file()), (OTHER_NAME, other_file())]))
    assert archive.status == "REJECTED"
    assert [member["code"] for member in archive.refused] == [code]
    assert not SalaryFile.objects.exists()


def test_a_truncated_archive_is_rejected(workers):
    data = zipped([(NAME, good_file()), (OTHER_NAME, other_file())])
    archive = check(data[: len(data) // 2])
    assert (archive.status, archive.refused[0]["code"]) == ("REJECTED", "archive_unreadable")


def test_a_replayed_archive_answers_with_the_first_and_a_replayed_member_is_reported(workers):
    data = zipped([(NAME, good_file())])
    first = check(data)
    assert check(data, name="again.zip").pk == first.pk
    assert SalaryArchive.objects.count() == 1
    later = check(zipped([(NAME, good_file()), ("x.txt", "")]))
    assert ("SIF_1234567_BMUS_20261103_001.csv", "file_already_received") in refused_codes(later)
    assert SalaryFile.objects.count() == 1


def test_a_stopped_check_goes_on_where_it_was(workers, other_employer, settings):
    settings.WAGES_ARCHIVE_BATCH_BYTES = 1  # one file per batch
    data = zipped([(NAME, good_file()), (OTHER_NAME, other_file())])
    received, _new = services.salary_archive_receive(
        actor=CENTRAL_BANK, file_name="a.zip", chunks=[data], now=NOW
    )
    # A worker took the archive, took its first member out, and stopped.
    started = archives._start(actor=CENTRAL_BANK, archive_id=received.pk, now=NOW)
    SalaryArchive.objects.filter(pk=started.pk).update(members_total=2)
    started.members_total = 2
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        archives._take_members(actor=CENTRAL_BANK, archive=started, opened=opened,
                               members=opened.infolist()[:1], repeated=set(), now=NOW)  # fmt: skip
    later = NOW + dt.timedelta(minutes=31)
    assert services.salary_archives_resume(actor=CENTRAL_BANK, now=NOW) == []
    assert services.salary_archives_resume(actor=CENTRAL_BANK, now=later) == [received.pk]
    assert services.salary_files_resume(actor=CENTRAL_BANK, now=later) == []  # the archive's
    done = services.salary_archive_check(actor=CENTRAL_BANK, archive_id=received.pk, now=later)
    assert (done.status, done.files_total, done.files_checked, done.refused) == (
        "CHECKED", 2, 2, []
    )  # fmt: skip
    assert SalaryFile.objects.filter(status="CHECKED").count() == 2


def send(client, key, body, *, name="WPS_202610.zip"):
    return client.post(
        WPS, data=body, content_type="application/zip", HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_FILE_NAME=name,
    )  # fmt: skip


def test_the_central_bank_posts_an_archive_and_follows_its_progress(
    client, bank_key, workers, other_employer, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100  # streamed, not read into memory
    key = bank_key()
    data = zipped([(NAME, good_file()), (OTHER_NAME, other_file()), ("bad.csv", "x")])
    answer = send(client, key, data)
    assert answer.status_code == 202, answer.content
    status = client.get(answer.json()["status_url"], HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (status["status"], status["files_total"], status["files_checked"]) == ("CHECKED", 2, 2)
    assert (status["lines_total"], status["lines_checked"], status["refused_count"]) == (3, 3, 1)
    assert status["refused"][0]["code"] == "sif_name_invalid"
    files = client.get(status["files_url"] + "?limit=1&offset=1",
                       HTTP_AUTHORIZATION=f"Bearer {key}").json()  # fmt: skip
    assert [found["file_name"] for found in files] == [OTHER_NAME]
    report = client.get(files[0]["report_url"], HTTP_AUTHORIZATION=f"Bearer {key}")
    assert report.status_code == 200
    again = send(client, key, data)
    assert (again.status_code, again.json()["id"]) == (200, answer.json()["id"])


def test_another_partners_archive_is_not_found(client, bank_key, workers):
    answer = send(client, bank_key(), zipped([(NAME, good_file())])).json()
    other = bank_key(agency="social-insurance")
    status = client.get(answer["status_url"], HTTP_AUTHORIZATION=f"Bearer {other}")
    assert (status.status_code, status.json()["code"]) == (404, "salary_archive_not_found")
    files = client.get(answer["files_url"], HTTP_AUTHORIZATION=f"Bearer {other}")
    assert files.status_code == 404


@pytest.mark.parametrize(
    ("query", "status"), [("?limit=0", 422), ("?limit=5000", 422), ("?offset=-1", 422),
                          ("?offset=99999999999", 422), ("?offset=9999", 200)],
)  # fmt: skip
def test_the_files_page_is_bounded(client, bank_key, workers, query, status):
    key = bank_key()
    answer = send(client, key, zipped([(NAME, good_file())])).json()
    page = client.get(answer["files_url"] + query, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert page.status_code == status
    if status == 422:
        assert page.json()["detail_ar"]


def test_an_archive_sent_through_the_file_exchange_downloads_as_sent(client, bank_key, workers):
    """The exchange row keeps no bytes: the download streams the kept zip, to each agency that
    sent it, and another agency's file is not found."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = zipped([(NAME, good_file()), (OTHER_NAME, other_file())])
    keys = {agency: bank_key(agency=agency) for agency in ("central-bank", "chamber")}
    sent = {
        agency: client.post(
            "/api/partners/v1/files",
            {"file": SimpleUploadedFile("WPS_202610.zip", data), "kind": "wps-archive"},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        ).json()["file"]["id"]
        for agency, key in keys.items()
    }
    for agency, key in keys.items():
        download = client.get(
            f"/api/partners/v1/files/{sent[agency]}", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert download.status_code == 200
        assert download["Content-Type"] == "application/zip"
        assert 'filename="WPS_202610.zip"' in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == data
        assert download["X-Content-SHA256"] == SalaryArchive.objects.get().sha256
    theirs = client.get(
        f"/api/partners/v1/files/{sent['chamber']}",
        HTTP_AUTHORIZATION=f"Bearer {keys['central-bank']}",
    )
    assert (theirs.status_code, theirs.json()["code"]) == (404, "file_not_found")


def test_an_archive_needs_the_wps_scope_and_a_body(client, bank_key, workers, settings):
    data = zipped([(NAME, good_file())])
    assert send(client, bank_key(scopes=("registry",)), data).status_code == 403
    empty = send(client, bank_key(), b"")
    assert (empty.status_code, empty.json()["code"]) == (422, "file_empty")
    settings.WAGES_ARCHIVE_MAX_BYTES = 10
    too_big = send(client, bank_key(), data)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
    assert not SalaryArchive.objects.exists()


def test_an_archive_through_the_file_exchange_is_checked_the_same(client, bank_key, workers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    key = bank_key()
    data = zipped([(NAME, good_file()), ("bad.csv", "x")])

    def upload():
        return client.post(
            "/api/partners/v1/files",
            {"file": SimpleUploadedFile("WPS_202610.zip", data), "kind": "wps-archive"},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    answer = upload()
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert body["file"]["kind"] == "wps-archive"
    status = client.get(body["status_url"], HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (status["status"], status["files_checked"], status["refused_count"]) == ("CHECKED", 1, 1)
    again = upload()
    assert (again.status_code, again.json()["file"]["id"]) == (200, body["file"]["id"])
    assert SalaryArchive.objects.count() == 1
    chamber_key = bank_key(scopes=("chamber",))
    refused = client.post(
        "/api/partners/v1/files",
        {"file": SimpleUploadedFile("a.zip", data), "kind": "wps-archive"},
        HTTP_AUTHORIZATION=f"Bearer {chamber_key}",
    )
    assert refused.status_code == 403
