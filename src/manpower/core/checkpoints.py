"""Signed checkpoints of the audit log: the heads of all hash chains, signed and kept outside
the database.

The chains are unkeyed SHA-256: whoever can write the tables can edit an event, recompute its
hash, the hashes after it and the head, and the chains alone show nothing. A checkpoint records
each chain's head (sequence number and hash) at a moment, signed with an Ed25519 key that is
not in the database (`AUDIT_CHECKPOINT_KEY`), and is written to a file (JSON lines, one file a
day, in `AUDIT_CHECKPOINT_DIR`) and sent to the subscribed agencies as the outbox event
`audit.checkpoint_signed`, as certificate-transparency logs publish their signed heads. An
event that a checkpoint covers cannot then be rewritten, removed or cut off without
`verify_audit` finding it, unless the key is known too. See docs/deployment.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from .audit import ChainProblem
from .keys import ed25519_private_key, fingerprint
from .models import AuditChainHead, AuditEvent

KEY_ENV = "AUDIT_CHECKPOINT_KEY"


@dataclass(frozen=True)
class Checkpoint:
    signed_at: dt.datetime
    key_id: str
    heads: tuple[tuple[int, int, str], ...]  # (chain, seq, hash), by chain
    signature: str = ""

    def signed_body(self) -> str:
        """The canonical JSON that the signature covers: sorted keys, no spaces, UTF-8."""
        body = {
            "signed_at": self.signed_at.astimezone(dt.UTC).isoformat(),
            "key_id": self.key_id,
            "chains": [{"chain": c, "seq": s, "hash": h} for c, s, h in self.heads],
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def as_payload(self) -> dict:
        """The file's line and the event's payload: the signed body and its signature."""
        return json.loads(self.signed_body()) | {"signature": self.signature}

    @classmethod
    def from_payload(cls, payload: dict) -> Checkpoint:
        return cls(
            signed_at=dt.datetime.fromisoformat(payload["signed_at"]),
            key_id=str(payload["key_id"]),
            heads=tuple(
                (int(head["chain"]), int(head["seq"]), str(head["hash"]))
                for head in payload["chains"]
            ),
            signature=str(payload["signature"]),
        )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_key() -> Ed25519PublicKey:
    return ed25519_private_key(KEY_ENV, purpose="audit checkpoints").public_key()


def checkpoint_sign(*, now: dt.datetime) -> Checkpoint:
    """The committed heads of all chains, read in one statement (one snapshot), signed."""
    heads = tuple(AuditChainHead.objects.order_by("pk").values_list("pk", "last_seq", "last_hash"))
    private = ed25519_private_key(KEY_ENV, purpose="audit checkpoints")
    unsigned = Checkpoint(signed_at=now, key_id=fingerprint(private.public_key()), heads=heads)
    signature = private.sign(unsigned.signed_body().encode())
    return Checkpoint(
        signed_at=now,
        key_id=unsigned.key_id,
        heads=heads,
        signature=b64url(signature),
    )


def is_genuine(checkpoint: Checkpoint, key: Ed25519PublicKey) -> bool:
    try:
        signature = base64.urlsafe_b64decode(
            checkpoint.signature + "=" * (-len(checkpoint.signature) % 4)
        )
        key.verify(signature, checkpoint.signed_body().encode())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def checkpoint_write(checkpoint: Checkpoint) -> Path:
    """Append the checkpoint as one JSON line to the day's file, on disk before returning."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{checkpoint.signed_at.astimezone(dt.UTC).date().isoformat()}.jsonl"
    line = json.dumps(checkpoint.as_payload(), sort_keys=True, separators=(",", ":")) + "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(line)
        file.flush()
        os.fsync(file.fileno())
    return path


@dataclass(frozen=True)
class Reading:
    """What a checkpoint file or directory gives: the latest genuine checkpoint, and a line
    for each checkpoint that could not be read or whose signature is not ours."""

    latest: Checkpoint | None
    refused: list[str]


def latest_checkpoint(source: Path | None = None) -> Reading:
    """The latest checkpoint signed with our key in `source` (a file of JSON lines, or a
    directory of them; by default `AUDIT_CHECKPOINT_DIR`)."""
    if source is None:
        files = sorted(directory().glob("*.jsonl"))  # none before the first checkpoint
    elif source.is_dir():
        files = sorted(source.glob("*.jsonl"))
    else:
        files = [source]
    key = public_key()
    latest, refused = None, []
    for path in files:
        if not path.is_file():
            refused.append(f"{path}: no such checkpoint file")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                checkpoint = Checkpoint.from_payload(json.loads(line))
            except (ValueError, KeyError, TypeError):
                refused.append(f"{path}:{number}: not a checkpoint")
                continue
            if not is_genuine(checkpoint, key):
                refused.append(f"{path}:{number}: signature is not that of AUDIT_CHECKPOINT_KEY")
            elif latest is None or checkpoint.signed_at >= latest.signed_at:
                latest = checkpoint
    return Reading(latest, refused)


def checkpoint_problems(checkpoint: Checkpoint) -> list[ChainProblem]:
    """Every chain whose event at the checkpoint's head is gone or has another hash: an event
    at or before it was rewritten or removed, or the chain was cut back, even if every hash
    after it and the head were recomputed."""
    signed = checkpoint.signed_at.astimezone(dt.UTC).isoformat()
    stored = {
        (chain, seq): hash_
        for chain, seq, hash_ in AuditEvent.objects.filter(
            chain__in=[chain for chain, seq, _ in checkpoint.heads if seq]
        )
        .filter(seq__in={seq for _, seq, _ in checkpoint.heads if seq})
        .values_list("chain", "seq", "hash")
    }
    problems = []
    for chain, seq, hash_ in checkpoint.heads:
        if not seq:
            continue
        if (chain, seq) not in stored:
            reason = f"event signed in the checkpoint of {signed} is missing (chain cut back)"
        elif stored[chain, seq] != hash_:
            reason = (
                f"hash differs from the checkpoint of {signed}: this event or one before it "
                "was rewritten"
            )
        else:
            continue
        problems.append(ChainProblem(chain, seq, reason))
    return problems
