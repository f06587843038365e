"""File exchange: scheduled CSV exports an agency downloads, and imports checked line by line."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from manpower.core.models import AuditEvent
from manpower.integration import services
from manpower.integration.models import Agency, FileExchange, MessageLog, Subscription
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

BASE = "/api/partners/v1"


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def chamber_subscription():
    return Subscription.objects.create(
        agency=Agency.objects.get(code="chamber"),
        event_types=["establishment.registered"],
        url="https://chamber.example/hooks",
        secret="x" * 32,
    )


def test_event_export_has_the_subscribed_events_and_then_only_new_ones(
    chamber_subscription, system_actor, now
):
    publish = services.publish_event
    publish(
        subject="establishment:1",
        event_type="establishment.registered",
        payload={"cr": "1"},
        now=now,
    )
    publish(subject="labourcard:9", event_type="labourcard.issued", payload={}, now=now)
    chamber = Agency.objects.get(code="chamber")

    first = services.partner_export(actor=system_actor, agency=chamber, kind="events", now=now)

    assert first.direction == FileExchange.Direction.EXPORT
    assert first.row_count == 1
    assert first.sha256 == services.sha256_hex(bytes(first.content))
    [line] = rows(bytes(first.content))
    assert line["type"] == "establishment.registered"
    assert line["subject"] == "establishment:1"
    assert line["payload"] == '{"cr":"1"}'
    assert AuditEvent.objects.filter(action="partner_file.exported").count() == 1

    later = now + dt.timedelta(hours=1)
    publish(subject="establishment:2", event_type="establishment.registered", payload={}, now=later)
    second = services.partner_export(
        actor=system_actor, agency=chamber, kind="events", now=later + dt.timedelta(seconds=1)
    )
    assert [r["subject"] for r in rows(bytes(second.content))] == ["establishment:2"]
    assert second.since_at == now


def test_export_command_prints_the_file(chamber_subscription, capsys):
    call_command("partner_export", "chamber", "--since", "2000-01-01T00:00:00+00:00")
    exported = FileExchange.objects.get()
    assert f"File {exported.pk}: {exported.name}, 0 lines" in capsys.readouterr().out
    assert exported.since_at.year == 2000


def test_establishment_export_needs_an_agency_key_with_the_registry_scope(issue_key, capsys):
    EstablishmentFactory(cr_number="1234567", chamber_number="555")
    with pytest.raises(CommandError, match="no live key"):
        call_command("partner_export", "chamber", "--kind", "establishments")
    assert not FileExchange.objects.exists()

    issue_key("chamber", ["chamber", "registry"])
    call_command("partner_export", "chamber", "--kind", "establishments", "--since", "2000-01-01")

    [line] = rows(bytes(FileExchange.objects.get().content))
    assert line["cr_number"] == "1234567"
    assert line["chamber_number"] == "555"
    assert set(line) == {
        "cr_number", "name_ar", "name_en", "status", "legal_form", "size", "activity_code",
        "governorate_code", "wilayat_code", "chamber_number", "chamber_expiry_date",
        "registered_at",
    }  # fmt: skip


def test_agency_lists_and_downloads_its_own_files_only(client, issue_key, system_actor, now):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key("chamber", ["registry"])
    issue_key("rop", ["registry"])
    mine = services.partner_export(
        actor=system_actor,
        agency=Agency.objects.get(code="chamber"),
        kind="establishments",
        now=now,
    )
    theirs = services.partner_export(
        actor=system_actor, agency=Agency.objects.get(code="rop"), kind="establishments", now=now
    )

    listed = client.get(f"{BASE}/files", **auth(key))
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()] == [mine.pk]
    assert listed.json()[0]["row_count"] == 1

    download = client.get(f"{BASE}/files/{mine.pk}", **auth(key))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["X-Content-SHA256"] == mine.sha256
    assert download.content == bytes(mine.content)

    other = client.get(f"{BASE}/files/{theirs.pk}", **auth(key))
    assert other.status_code == 404
    assert other.json()["code"] == "file_not_found"
    logged = MessageLog.objects.filter(endpoint__startswith=f"{BASE}/files")
    assert sorted(logged.values_list("status_code", flat=True)) == [200, 200, 404]


def test_a_key_without_the_kind_scope_cannot_download_it(client, issue_key, system_actor, now):
    issue_key("chamber", ["registry"])
    exported = services.partner_export(
        actor=system_actor,
        agency=Agency.objects.get(code="chamber"),
        kind="establishments",
        now=now,
    )
    key = issue_key("chamber", ["chamber"])
    assert client.get(f"{BASE}/files", **auth(key)).json() == []
    response = client.get(f"{BASE}/files/{exported.pk}", **auth(key))
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"


RENEWALS = (
    b"cr_number,chamber_number,chamber_expiry_date\n"
    b"1234567,900100,2031-03-31\n"  # 2: good
    b"12AB,900101,2031-03-31\n"  # 3: bad CR
    b"7654321,900102,2031-03-31\n"  # 4: no such establishment
    b"1234567,900103,2031-04-30\n"  # 5: the same CR again
    b"2345678,12-34,31/03/2031\n"  # 6: bad number and bad date
    b"2345678,900104,2020-01-01\n"  # 7: expiry in the past
    b"\n"
    b"3456789,900105,2032-01-15\n"  # 9: good
)


def upload(client, key, content=RENEWALS, name="renewals.csv", **data):
    return client.post(
        f"{BASE}/files",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **data},
        **auth(key),
    )


def test_import_applies_valid_lines_and_reports_each_rejected_field(client, issue_key):
    for cr in ("1234567", "2345678", "3456789"):
        EstablishmentFactory(cr_number=cr, chamber_number="1", chamber_expiry_date=None)
    key = issue_key("chamber", ["chamber"])

    response = upload(client, key)

    assert response.status_code == 201, response.content
    report = response.json()
    assert report["accepted"] == 2
    assert report["file"]["row_count"] == 7
    assert report["file"]["rejected_count"] == 5
    problems = {(p["line"], p["field"], p["code"]) for p in report["rejected"]}
    assert problems == {
        (3, "cr_number", "cr_number_not_digits"),
        (4, "cr_number", "establishment_not_found"),
        (5, "cr_number", "duplicate_line"),
        (6, "chamber_number", "chamber_number_invalid"),
        (6, "chamber_expiry_date", "date_invalid"),
        (7, "chamber_expiry_date", "expiry_not_in_future"),
    }
    for problem in report["rejected"]:
        assert problem["message_ar"] and problem["message_en"]
        assert problem["message_ar"] != problem["message_en"]

    renewed = Establishment.objects.get(cr_number="1234567")
    assert (renewed.chamber_number, renewed.chamber_expiry_date) == ("900100", dt.date(2031, 3, 31))
    assert Establishment.objects.get(cr_number="2345678").chamber_number == "1"
    events = AuditEvent.objects.filter(action="establishment.chamber_membership_renewed")
    assert events.count() == 2
    assert events.first().actor_label == "partner:chamber"
    assert AuditEvent.objects.filter(action="partner_file.imported").count() == 1


def test_the_same_file_twice_returns_the_first_report_and_changes_nothing(client, issue_key):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key("chamber", ["chamber"])
    first = upload(client, key)
    audit_count = AuditEvent.objects.count()

    again = upload(client, key, name="renamed.csv")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert FileExchange.objects.count() == 1
    assert AuditEvent.objects.count() == audit_count
    report = client.get(f"{BASE}/files/{first.json()['file']['id']}/report", **auth(key))
    assert report.json() == first.json()


def test_import_needs_the_chamber_scope(client, issue_key):
    response = upload(client, issue_key("chamber", ["registry"]))
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    assert not FileExchange.objects.exists()


@pytest.mark.parametrize(
    "content, code",
    [
        (b"cr,number\n1,2\n", "file_invalid"),
        (b"\xff\xfe not utf-8", "file_invalid"),
    ],
    ids=["wrong header", "not utf-8"],
)
def test_unreadable_file_is_a_422_problem(client, issue_key, content, code):
    response = upload(client, issue_key("chamber", ["chamber"]), content=content)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["detail_ar"] != response.json()["detail_en"]
    assert not FileExchange.objects.exists()


def test_unknown_import_kind_is_refused(client, issue_key):
    response = upload(client, issue_key("chamber", ["chamber"]), kind="events")
    assert response.status_code == 422
    assert "chamber-renewals" in response.json()["detail_en"]
