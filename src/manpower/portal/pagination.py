"""Keyset pagination for long lists: the page after (or before) a row id, never an OFFSET.

An establishment may employ tens of thousands of workers among two million; OFFSET pages get
slower the deeper they go and a full COUNT(*) is paid on every page, while a keyset page is one
index range read of the (establishment, status, id) index whatever its depth.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    has_previous: bool
    has_next: bool

    @property
    def first_id(self):
        return self.rows[0].pk if self.rows else None

    @property
    def last_id(self):
        return self.rows[-1].pk if self.rows else None


def _cursor(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def keyset_page(queryset: QuerySet, *, size: int, after=None, before=None) -> KeysetPage:
    """A page of a queryset ordered by descending id. A malformed cursor means the first page."""
    after, before = _cursor(after), _cursor(before)
    if after is not None:
        rows = list(queryset.filter(pk__lt=after)[: size + 1])
        return KeysetPage(rows=rows[:size], has_previous=True, has_next=len(rows) > size)
    if before is not None:
        rows = list(queryset.filter(pk__gt=before).reverse()[: size + 1])
        more = len(rows) > size
        return KeysetPage(rows=rows[:size][::-1], has_previous=more, has_next=True)
    rows = list(queryset[: size + 1])
    return KeysetPage(rows=rows[:size], has_previous=False, has_next=len(rows) > size)
