"""Outbox rows for the tests of other apps: subscriptions of every kind, and what was written."""

from __future__ import annotations

from manpower.integration.models import Agency, OutboxEvent, Subscription


def subscriptions_to(event_type: str) -> int:
    """Subscriptions of every kind: to `event_type`, to everything, to another type, inactive,
    to several types, to none. Returns how many should get a delivery of `event_type` (3)."""
    agency = Agency.objects.get(code="rop")
    for types, active in [
        ([event_type], True),
        (["*"], True),
        (["another.type"], True),
        ([event_type], False),
        (["another.type", event_type], True),
        ([], True),
    ]:
        Subscription.objects.create(
            agency=agency,
            event_types=types,
            url="http://127.0.0.1:9/",
            secret="s",
            is_active=active,
        )
    return 3


def outbox_rows(subject: str) -> list[tuple]:
    """The events of `subject` and their deliveries, as stored, without their ids."""
    return [
        (
            event.event_type,
            event.payload,
            event.created_at,
            list(
                event.deliveries.order_by("subscription_id").values_list(
                    "subscription_id",
                    "subject",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "leased_until",
                    "lease_owner",
                    "last_status_code",
                    "last_error",
                    "delivered_at",
                )  # fmt: skip
            ),
        )
        for event in OutboxEvent.objects.filter(subject=subject).order_by("id")
    ]
