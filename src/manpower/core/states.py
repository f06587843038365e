"""Moving a workflow object along its table of allowed transitions (DESIGN.md §3)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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
