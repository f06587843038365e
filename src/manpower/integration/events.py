"""Events that the integration app itself publishes (docs/events.md).

The audit log's checkpoints are signed in `core.checkpoints`; core may not depend on
integration, so the checkpoint is published from here.
"""

from __future__ import annotations

import datetime as dt

from manpower.core.checkpoints import Checkpoint

from .services import publish_event

PAYLOADS: dict[str, tuple[str, ...]] = {
    "audit.checkpoint_signed": ("chains", "key_id", "signed_at", "signature"),
}


def audit_checkpoint_signed(*, checkpoint: Checkpoint, now: dt.datetime) -> None:
    """Published when the heads of the audit chains have been signed (every few minutes), so
    that an agency keeps a copy of each checkpoint that the ministry's administrators cannot
    change."""
    payload = checkpoint.as_payload()
    assert tuple(payload) == PAYLOADS["audit.checkpoint_signed"]
    publish_event(
        subject=f"audit_checkpoint:{checkpoint.key_id}",
        event_type="audit.checkpoint_signed",
        payload=payload,
        now=now,
    )
