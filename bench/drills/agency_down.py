"""Drill: a subscribed agency down for several backoff periods.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_drill \
        .venv/bin/python bench/drills/agency_down.py [--down 12] [--backoff 1]

An agency subscribes to every event with a webhook (a real HTTP receiver on 127.0.0.1). 5
subjects get 20 events each, interleaved; the outbox worker (`delivery.deliver_due`, as
`manage.py deliver_outbox` runs it) starts while the receiver is down (connection refused), and
the receiver comes up after --down seconds, that is several backoff periods of --backoff
seconds (1, 2, 4, 8 s …). Passes when every event is delivered once the agency is back, each
subject's events arrive in the order they were published, and nothing is dead-lettered.
Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import prepare_database
from integration_partner_read import free_port

received: list[dict] = []


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_POST(self):
        received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down", type=float, default=12)
    parser.add_argument("--backoff", type=float, default=1)
    args = parser.parse_args()
    prepare_database()
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from manpower.integration import delivery, services
    from manpower.integration.models import Agency, Delivery, Subscription

    settings.INTEGRATION_WEBHOOK_BACKOFF_SECONDS = args.backoff
    port = free_port()
    tag = secrets.token_hex(3)
    Subscription.objects.filter(is_active=True).update(is_active=False)  # the drill's only
    subscription = Subscription.objects.create(
        agency=Agency.objects.get(code="rop"),
        event_types=["*"],
        url=f"http://127.0.0.1:{port}/hook",
        secret="drill",
    )
    subjects = [f"drill:{tag}-{n}" for n in range(5)]
    published: dict[str, list[int]] = collections.defaultdict(list)
    for n in range(20):
        for subject in subjects:
            with transaction.atomic():
                event = services.publish_event(
                    subject=subject, event_type="drill.happened", payload={"n": n},
                    now=timezone.now(),
                )  # fmt: skip
            published[subject].append(event.pk)
    started = time.monotonic()
    receiver = None
    attempts_while_down = 0
    try:
        while time.monotonic() - started < args.down + 120:
            if receiver is None and time.monotonic() - started >= args.down:
                attempts_while_down = sum(
                    Delivery.objects.filter(subscription=subscription).values_list(
                        "attempts", flat=True
                    )
                )
                receiver = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
                threading.Thread(target=receiver.serve_forever, daemon=True).start()
                up_at = time.monotonic()
            delivery.deliver_due(worker="drill", now=timezone.now())
            pending = Delivery.objects.filter(
                subscription=subscription, status=Delivery.Status.PENDING
            ).count()
            if receiver is not None and not pending:
                break
            time.sleep(0.1)
        all_delivered_after = time.monotonic() - up_at
    finally:
        if receiver:
            receiver.shutdown()
        subscription.is_active = False
        subscription.save()
    order: dict[str, list[int]] = collections.defaultdict(list)
    for body in received:
        if body["id"] not in order[body["subject"]]:
            order[body["subject"]].append(body["id"])
    statuses = collections.Counter(
        Delivery.objects.filter(subscription=subscription).values_list("status", flat=True)
    )
    result = {
        "events": sum(len(ids) for ids in published.values()),
        "down_seconds": args.down,
        "backoff_seconds": args.backoff,
        "attempts_while_down": attempts_while_down,
        "delivered_seconds_after_back": round(all_delivered_after, 1),
        "deliveries": dict(statuses),
        "received": len(received),
        "duplicates": len(received) - sum(len(ids) for ids in order.values()),
        "in_order_per_subject": all(order[s] == published[s] for s in subjects),
    }
    print(json.dumps(result, indent=2))
    failed = (
        statuses.get("DELIVERED") != result["events"]
        or not result["in_order_per_subject"]
        or attempts_while_down < 5
    )
    sys.exit("DRILL FAILED" if failed else 0)


if __name__ == "__main__":
    main()
