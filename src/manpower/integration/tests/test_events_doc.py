"""docs/events.md and the code agree: every event type an app's `events.PAYLOADS` declares has
exactly one row in the document, with the same payload keys in the same order, and every row
of the document is an event type some app declares."""

import importlib
import pkgutil
import re
from collections import Counter
from pathlib import Path

import manpower

DOC = Path(__file__).resolve().parents[4] / "docs" / "events.md"
ROW = re.compile(r"^\| `([^`]+)` \| `([^`]+)` \|(.*)\|\s*$", re.M)
EVENT_TYPE = re.compile(r"[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*")


def declared() -> dict[str, tuple[str, ...]]:
    """Event type → payload keys, from every app that has an `events` module."""
    found = {}
    for app in pkgutil.iter_modules(manpower.__path__):
        try:
            module = importlib.import_module(f"manpower.{app.name}.events")
        except ModuleNotFoundError as error:
            if error.name != f"manpower.{app.name}.events":
                raise
            continue
        overlap = set(found) & set(module.PAYLOADS)
        assert not overlap, f"declared by two apps: {sorted(overlap)}"
        found.update(module.PAYLOADS)
    return found


def documented() -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (event_type, subject, tuple(re.findall(r"`([^`]+)`", keys)))
        for event_type, subject, keys in ROW.findall(DOC.read_text(encoding="utf-8"))
    ]


def test_every_event_type_has_one_row_with_its_payload_keys_and_no_row_is_left_over():
    rows = documented()
    twice = [name for name, count in Counter(row[0] for row in rows).items() if count > 1]
    assert twice == []
    assert {event_type: keys for event_type, _subject, keys in rows} == declared()


def test_the_rows_follow_the_naming_scheme():
    for event_type, subject, keys in documented():
        assert EVENT_TYPE.fullmatch(event_type), event_type
        assert re.fullmatch(r"[a-z_]+:<[a-z_]+>", subject), subject
        assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", key) for key in keys), keys
