"""Moving a workflow object along its table of allowed transitions (DESIGN.md §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import audit
from .actor import Actor
from .errors import DomainError


def transition(
    obj: models.Model,
    to: str,
    *,
    table: Mapping[str, set[str] | frozenset[str] | tuple[str, ...]],
    error: type[DomainError],
    **fields,
) -> None:
    """Set `obj.status` to `to` (and `fields`) when `table` allows it.

    The update is conditional on the status still being the one read, so of two concurrent
    changes only one succeeds; the other gets `error`.
    """
    names = {
        "thing": capfirst(obj._meta.verbose_name),
        "number": str(obj),
        "state": obj.get_status_display(),
    }
    if to not in table[obj.status]:
        raise error(_("%(thing)s %(number)s is %(state)s and cannot change that way."), **names)
    moved = type(obj)._default_manager.filter(pk=obj.pk, status=obj.status)
    if not moved.update(status=to, **fields):
        raise error(_("%(thing)s %(number)s was changed meanwhile; reload it."), **names)
    obj.refresh_from_db()


def sweep(
    due: models.QuerySet,
    to: str,
    *,
    table: Mapping[str, set[str] | frozenset[str] | tuple[str, ...]],
    error: type[DomainError],
    actor: Actor,
    action: str,
    at: dt.datetime,
    **fields,
) -> int:
    """Move every object of `due` to `to`, each in its own transaction with its audit event;
    returns how many moved. An object changed meanwhile (renewed, paid, cancelled) is skipped.

    Periodic jobs (licence, card and invoice expiry) keep only their query.
    """
    moved = 0
    for obj in due.order_by("pk").iterator():
        before = obj.status
        with transaction.atomic():
            try:
                transition(obj, to, table=table, error=error, **fields)
            except error:
                continue
            audit.record(
                actor=actor, action=action, obj=obj, at=at, changes={"status": [before, to]}
            )
            moved += 1
    return moved
