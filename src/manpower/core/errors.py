"""The base of every rule violation a service reports to a person.

A `DomainError` carries a stable machine `code` and a translatable message; channels show it in
the reader's language and APIs return both languages in problem details (RFC 9457).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, message, *, code: str | None = None, status: int | None = None, **params):
        # `code` and `status` override the class's; a message placeholder must not be named so.
        assert "%(code)" not in str(message) and "%(status)" not in str(message), message
        self.message = message
        self.params = params
        if code:
            self.code = code
        if status:
            self.status = status
        super().__init__(self.text("en"))

    def text(self, language: str | None = None) -> str:
        if language is None:
            return str(self.message) % self.params if self.params else str(self.message)
        with translation.override(language):
            return self.text()

    def bilingual(self) -> dict[str, str]:
        return {"ar": self.text("ar"), "en": self.text("en")}


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class ReasonRequired(DomainError):
    code = "reason_required"


def required_reason(reason: str, *, max_length: int = 500) -> str:
    """The reason a staff member gives for a decision or change, trimmed; refused when blank,
    so every such decision in the audit log says why."""
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(_("Give the reason for this decision or change."))
    return reason[:max_length]
