"""Body retention of the message log, and the back-office pages of the integration app."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from manpower.accounts.models import Role
from manpower.integration import messagelog, services
from manpower.integration.models import Agency, Delivery, MessageLog, PartnerCredential
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def exchange(at, request_id="r1", status=200):
    return messagelog.log_exchange(
        direction=MessageLog.Direction.INBOUND,
        method="GET",
        endpoint="/api/partners/v1/establishments/1234567",
        request_id=request_id,
        now=at,
        duration_ms=3,
        status_code=status,
        request_body=b"{}",
        response_body=b'{"cr_number": "1234567"}',
        agency=Agency.objects.get(code="rop"),
    )


def test_purge_blanks_bodies_past_retention_and_keeps_the_rows(now, settings):
    settings.INTEGRATION_BODY_RETENTION_DAYS = 90
    old = exchange(now - dt.timedelta(days=91), "old")
    recent = exchange(now - dt.timedelta(days=89), "recent")

    assert services.purge_message_bodies(now=now) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.request_body, old.response_body, old.bodies_purged_at) == ("", "", now)
    assert old.payload_hash == services.sha256_hex(b"{}")  # the proof stays
    assert recent.response_body == '{"cr_number": "1234567"}'
    assert services.purge_message_bodies(now=now) == 0


def test_purge_command(capsys):
    call_command("purge_message_bodies", "--days", "0")
    assert "Blanked the bodies of 0 exchanges" in capsys.readouterr().out


@pytest.fixture
def staff_client(client):
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_issues_a_key_and_shows_it_once(staff_client):
    rop = Agency.objects.get(code="rop")
    response = staff_client.post(
        "/admin/integration/partnercredential/add/",
        {"agency": rop.pk, "scopes": ["police", "registry"], "days": "30"},
        follow=True,
    )
    assert response.status_code == 200
    credential = PartnerCredential.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any(credential.prefix + "_" in m for m in shown)
    assert credential.scopes == ["police", "registry"]
    assert (credential.expires_at - credential.created_at).days == 30


def test_admin_revokes_keys(staff_client, issue_key):
    issue_key()
    credential = PartnerCredential.objects.get()
    staff_client.post(
        "/admin/integration/partnercredential/",
        {"action": "revoke", "_selected_action": [credential.pk]},
    )
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_admin_searches_the_message_log(staff_client, now):
    exchange(now, "needle-123")
    exchange(now, "other", status=401)
    found = staff_client.get("/admin/integration/messagelog/", {"q": "needle-123"})
    assert found.status_code == 200
    assert b"needle-123" in found.content and b"other" not in found.content
    by_status = staff_client.get("/admin/integration/messagelog/", {"status_code": "401"})
    assert b"other" in by_status.content and b"needle-123" not in by_status.content


def test_admin_redrives_dead_letters(staff_client, subscription, now):
    services.publish_event(subject="s:1", event_type="labourcard.issued", payload={}, now=now)
    Delivery.objects.update(status=Delivery.Status.DEAD)
    staff_client.post(
        "/admin/integration/delivery/",
        {
            "action": "redrive",
            "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
        },
    )
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_admin_lists_and_shows_exchanged_files(staff_client, issue_key, system_actor, now):
    issue_key("chamber", ["registry"])
    exported = services.partner_export(
        actor=system_actor,
        agency=Agency.objects.get(code="chamber"),
        kind="establishments",
        now=now,
    )
    listing = staff_client.get("/admin/integration/fileexchange/")
    assert listing.status_code == 200
    assert exported.name in listing.content.decode()
    detail = staff_client.get(f"/admin/integration/fileexchange/{exported.pk}/change/")
    assert detail.status_code == 200


@pytest.mark.postgres
def test_a_successful_changes_log_row_leaves_its_commit_durable(now):
    """The log row of a success joins the change's transaction: that commit must still wait for
    the disk (a reservation the police were told of is never lost in a crash); only a refusal's
    row, written alone, may commit without waiting."""

    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        services.partner_exchange_record(
            credential=None,
            now=now,
            direction=MessageLog.Direction.INBOUND,
            method="POST",
            endpoint="/api/partners/v1/police/visa-reservations",
            request_id="durable",
            duration_ms=3,
            status_code=201,
        )
        assert synchronous_commit() == "on"
    assert MessageLog.objects.filter(request_id="durable").exists()
