"""Reads across services for one user's pages: "My requests" (every request the user or the
establishments they represent made, in every service) and the dashboard's alerts. Each service
is read through its own selectors, scoped as they scope it; nothing here is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import CharField, F, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from manpower.labourcards import selectors as cards
from manpower.labourcards.models import CardRequest, Transfer
from manpower.licensing import selectors as licensing
from manpower.licensing.models import LicenceApplication
from manpower.payments import selectors as payments
from manpower.payments.models import Invoice
from manpower.registry import selectors as registry
from manpower.registry.models import Establishment

# Chamber memberships that expire within this many days are flagged.
CHAMBER_WARNING_DAYS = 30


class RequestKind(models.TextChoices):
    LICENCE_APPLICATION = "LICENCE_APPLICATION", _("Licence application")
    CARD_REQUEST = "CARD_REQUEST", _("Labour card request")
    TRANSFER = "TRANSFER", _("Transfer of services")
    INVOICE = "INVOICE", _("Invoice")


class RequestState(models.TextChoices):
    OPEN = "OPEN", _("Open")
    CLOSED = "CLOSED", _("Closed")


@dataclass(frozen=True)
class RequestRow:
    kind: RequestKind
    number: str
    status: str
    status_label: str
    state: RequestState
    date: dt.datetime
    next_step: str
    url: str
    establishment: str
    # The next step is the user's (pay, consent), not someone else's.
    needs_user: bool


A = LicenceApplication.Status
APPLICATION_NEXT = {
    A.IN_REVIEW: _("Wait for the officer's decision"),
    A.AWAITING_PAYMENT: _("Pay the licence fee"),
    A.ISSUED: _("See the licence"),
    A.REJECTED: _("See the reason"),
}
CARD_NEXT = {CardRequest.Status.AWAITING_PAYMENT: _("Pay the invoice")}
T = Transfer.Status
TRANSFER_NEXT = {T.AWAITING_PAYMENT: _("Pay the transfer fee")}
OPEN_STATUSES = {
    A.IN_REVIEW,
    A.AWAITING_PAYMENT,
    CardRequest.Status.AWAITING_PAYMENT,
    T.AWAITING_CONSENT,
    Invoice.Status.UNPAID,
}


def _row(kind, number, obj, date, next_step, url, establishment, needs_user) -> RequestRow:
    return RequestRow(
        kind=kind,
        number=number,
        status=obj.status,
        status_label=str(obj.get_status_display()),
        state=RequestState.OPEN if obj.status in OPEN_STATUSES else RequestState.CLOSED,
        date=date,
        next_step=str(next_step or ""),
        url=url,
        establishment=establishment.name if establishment else "",
        needs_user=needs_user,
    )


def _establishments(user, cr_number: str | None) -> list[Establishment]:
    """The establishments the user represents, or the one asked for (NotFound if not theirs)."""
    if cr_number:
        return [registry.establishment_for_user(user=user, cr_number=cr_number)]
    return list(registry.establishments_visible_to(user).order_by("cr_number"))


def _employers(user, establishments: list[Establishment], cr_number: str | None):
    employers = [cards.Employer(establishment=e) for e in establishments]
    household = None if cr_number else registry.household_for_user(user=user)
    if household is not None:
        employers.append(cards.Employer(household=household))
    return employers


def _application_row(application: LicenceApplication) -> RequestRow:
    return _row(
        RequestKind.LICENCE_APPLICATION,
        application.number,
        application,
        application.submitted_at,
        APPLICATION_NEXT.get(application.status),
        reverse("licensing:application", args=[application.number]),
        application.establishment,
        application.status == A.AWAITING_PAYMENT,
    )


def _card_request_row(request: CardRequest) -> RequestRow:
    employment = request.employment
    employer = cards.Employer.of(employment)
    return _row(
        RequestKind.CARD_REQUEST,
        str(request.get_kind_display()),
        request,
        request.requested_at,
        CARD_NEXT.get(request.status),
        reverse("labourcards:cards", args=[employer.key]),
        employer.establishment,
        request.status == CardRequest.Status.AWAITING_PAYMENT,
    )


def _transfer_row(transfer: Transfer, establishment_ids: set[int]) -> RequestRow:
    """A transfer is the current employer's to consent to, then the new employer's to pay."""
    asked_of_us = transfer.from_employment.establishment_id in establishment_ids
    ours = transfer.from_employment.establishment if asked_of_us else transfer.to_establishment
    next_step = TRANSFER_NEXT.get(transfer.status)
    needs_user = transfer.status == T.AWAITING_PAYMENT and not asked_of_us
    if transfer.status == T.AWAITING_CONSENT:
        needs_user = asked_of_us
        next_step = (
            _("Consent to the transfer or refuse it")
            if asked_of_us
            else _("Wait for the current employer's consent")
        )
    return _row(
        RequestKind.TRANSFER,
        transfer.from_employment.person.name,
        transfer,
        transfer.requested_at,
        next_step,
        reverse("labourcards:cards", args=[ours.cr_number]),
        ours,
        needs_user,
    )


def _invoice_row(invoice: Invoice, now: dt.datetime) -> RequestRow:
    payable = invoice.status == Invoice.Status.UNPAID and invoice.expires_at > now
    return _row(
        RequestKind.INVOICE,
        invoice.number,
        invoice,
        invoice.created_at,
        _("Pay online or at a Sanad centre") if payable else "",
        reverse("payments:invoice", args=[invoice.number]),
        None,
        payable,
    )


class RequestList:
    """The user's requests across services, paged in the database: one UNION ALL of each
    service's (date, kind, id) gives the count and the page's keys in order, then only the
    page's rows are read, a query per kind on the page. A Paginator and the API's pagination
    slice it like a queryset."""

    def __init__(self, parts: dict[str, tuple[QuerySet, str, Callable]]):
        # kind → (the kind's scoped queryset, its date field, the row builder)
        self.parts = parts

    def _keys(self) -> QuerySet | None:
        keys = [
            queryset.order_by()
            .prefetch_related(None)
            .annotate(
                request_date=F(date_field), request_kind=Value(kind, output_field=CharField())
            )
            .values_list("id", "request_date", "request_kind")
            for kind, (queryset, date_field, _build) in self.parts.items()
        ]
        if not keys:
            return None
        return keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]

    def count(self) -> int:
        keys = self._keys()
        return 0 if keys is None else keys.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[RequestRow]:
        keys = self._keys()
        if keys is None:
            return []
        page = list(keys.order_by("-request_date", "-request_kind", "-id")[index])
        found: dict[tuple[str, int], RequestRow] = {}
        for kind, (queryset, _date_field, build) in self.parts.items():
            ids = [pk for pk, _date, key_kind in page if key_kind == kind]
            if ids:
                found.update({(kind, obj.pk): build(obj) for obj in queryset.filter(pk__in=ids)})
        return [found[(kind, pk)] for pk, _date, kind in page]


def requests_of(
    *, user, cr_number: str | None = None, kind: str = "", state: str = "", now: dt.datetime
) -> RequestList:
    """Every request of the user (and of the establishments they represent, or only of
    `cr_number`), newest first, narrowed by kind and state. Ministry staff have none here: they
    see cases through their queues."""
    if not user.is_authenticated or user.is_ministry_staff:
        return RequestList({})
    establishments = _establishments(user, cr_number)
    wanted = {kind} if kind in RequestKind.values else set(RequestKind.values)
    parts: dict[str, tuple[QuerySet, str, Callable]] = {}
    if RequestKind.LICENCE_APPLICATION in wanted:
        applications = licensing.applications_visible_to(user)
        if cr_number:
            applications = applications.filter(establishment__in=establishments)
        parts[RequestKind.LICENCE_APPLICATION] = (applications, "submitted_at", _application_row)
    if RequestKind.CARD_REQUEST in wanted:
        employers = _employers(user, establishments, cr_number)
        requests = cards.requests_of_employers(employers=employers).select_related(
            "employment__establishment", "employment__household"
        )
        parts[RequestKind.CARD_REQUEST] = (requests, "requested_at", _card_request_row)
    if RequestKind.TRANSFER in wanted:
        ids = {establishment.pk for establishment in establishments}
        transfers = cards.transfers_for_establishments(establishments=establishments)
        parts[RequestKind.TRANSFER] = (
            transfers,
            "requested_at",
            lambda transfer: _transfer_row(transfer, ids),
        )
    if RequestKind.INVOICE in wanted:
        invoices = payments.invoices_payable_by(user)
        if cr_number:
            invoices = invoices.filter(payer_cr_number=cr_number)
        parts[RequestKind.INVOICE] = (
            invoices,
            "created_at",
            lambda invoice: _invoice_row(invoice, now),
        )
    if state == RequestState.OPEN:
        parts = {k: (q.filter(status__in=OPEN_STATUSES), *rest) for k, (q, *rest) in parts.items()}
    elif state == RequestState.CLOSED:
        parts = {k: (q.exclude(status__in=OPEN_STATUSES), *rest) for k, (q, *rest) in parts.items()}
    return RequestList(parts)


@dataclass(frozen=True)
class Alert:
    message: str
    action: str
    url: str


def alerts_for(*, user, today: dt.date, now: dt.datetime) -> list[Alert]:
    """What needs the user's attention, each with the page where it is done; a fixed number of
    queries whatever the number of establishments."""
    if not user.is_authenticated:
        return []
    if user.is_ministry_staff:
        waiting = licensing.officer_queue(user=user).count()
        if not waiting:
            return []
        return [
            Alert(
                ngettext(
                    "%(count)s licence application is waiting for a decision.",
                    "%(count)s licence applications are waiting for a decision.",
                    waiting,
                )
                % {"count": waiting},
                str(_("Decide them")),
                reverse("licensing:queue"),
            )
        ]
    establishments = _establishments(user, None)
    alerts = []
    due = cards.cards_due_counts(establishments=establishments, today=today)
    for establishment in establishments:
        warning = chamber_warning(establishment, today=today)
        if warning:
            alerts.append(
                Alert(
                    warning,
                    str(_("See the establishment")),
                    reverse("portal:establishment", args=[establishment.cr_number]),
                )
            )
        if due.get(establishment.pk):
            alerts.append(
                Alert(
                    ngettext(
                        "%(name)s: %(count)s labour card is due for renewal or has expired.",
                        "%(name)s: %(count)s labour cards are due for renewal or have expired.",
                        due[establishment.pk],
                    )
                    % {"name": establishment.name, "count": due[establishment.pk]},
                    str(_("Renew the cards")),
                    reverse("labourcards:cards", args=[establishment.cr_number]),
                )
            )
    unpaid = (
        payments.invoices_payable_by(user)
        .filter(status=Invoice.Status.UNPAID, expires_at__gt=now)
        .count()
    )
    if unpaid:
        alerts.append(
            Alert(
                ngettext(
                    "%(count)s invoice is waiting to be paid.",
                    "%(count)s invoices are waiting to be paid.",
                    unpaid,
                )
                % {"count": unpaid},
                str(_("Pay them")),
                reverse("payments:invoices"),
            )
        )
    ids = {establishment.pk for establishment in establishments}
    decisions = [
        _application_row(application)
        for application in licensing.applications_visible_to(user).filter(status=A.AWAITING_PAYMENT)
    ] + [
        _transfer_row(transfer, ids)
        for transfer in cards.transfers_for_establishments(establishments=establishments).filter(
            status__in=[T.AWAITING_CONSENT, T.AWAITING_PAYMENT]
        )
    ]
    for row in decisions:
        if row.needs_user:
            alerts.append(
                Alert(
                    _("%(kind)s %(number)s: %(step)s.")
                    % {"kind": row.kind.label, "number": row.number, "step": row.next_step},
                    str(_("Open it")),
                    row.url,
                )
            )
    return alerts


def chamber_warning(establishment: Establishment, *, today: dt.date) -> str:
    """What the establishment must do about its chamber membership, if anything."""
    expiry = establishment.chamber_expiry_date
    if expiry is None or not establishment.chamber_number:
        return str(
            _(
                "%(name)s has no Chamber of Commerce membership on record: register it with "
                "the Chamber of Commerce and Industry before applying for a licence."
            )
            % {"name": establishment.name}
        )
    if expiry < today:
        return str(
            _(
                "The Chamber of Commerce membership of %(name)s expired on %(date)s: renew it "
                "with the Chamber of Commerce and Industry; until then no licence can be issued."
            )
            % {"name": establishment.name, "date": expiry.strftime("%d/%m/%Y")}
        )
    if expiry <= today + dt.timedelta(days=CHAMBER_WARNING_DAYS):
        return str(
            _(
                "The Chamber of Commerce membership of %(name)s expires on %(date)s: renew it "
                "with the Chamber of Commerce and Industry before then to keep recruiting."
            )
            % {"name": establishment.name, "date": expiry.strftime("%d/%m/%Y")}
        )
    return ""
