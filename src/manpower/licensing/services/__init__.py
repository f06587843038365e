"""Every write of licensing: applications and their decisions, licences, visa reservations and
arrivals. One function per use case, one transaction, one audit event; one module per use-case
area, each with its own exceptions. Callers write `from manpower.licensing import services`.
"""

from .applications import (
    ApplicationPending,
    InvalidGrant,
    LineRequest,
    NotEligible,
    application_approve,
    application_payment_confirm,
    application_reject,
    application_settle_invoice,
    application_submit,
    applications_issue_paid,
    household_of,
)
from .arrivals import Arrival, InvalidWorkerData, WorkerDoesNotMatchVacancy, worker_arrive
from .licences import (
    licence_cancel,
    licence_cancel_by_holder,
    licence_cancel_by_ministry,
    licences_expire,
)
from .transitions import (
    APPLICATION_TRANSITIONS,
    LICENCE_TRANSITIONS,
    VISA_TRANSITIONS,
    StatusConflict,
)
from .visas import (
    AlreadyArrived,
    Answer,
    EstablishmentBlocked,
    LicenceCancelled,
    LicenceExpired,
    LicenceNotFound,
    NoVacancy,
    VisaCancelled,
    VisaNotFound,
    VisaNumberConflict,
    vacancy_hold_for_transfer,
    vacancy_release_held,
    vacancy_use_held,
    visa_cancel,
    visa_reserve,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "LICENCE_TRANSITIONS",
    "VISA_TRANSITIONS",
    "AlreadyArrived",
    "Answer",
    "ApplicationPending",
    "Arrival",
    "EstablishmentBlocked",
    "InvalidGrant",
    "InvalidWorkerData",
    "LicenceCancelled",
    "LicenceExpired",
    "LicenceNotFound",
    "LineRequest",
    "NoVacancy",
    "NotEligible",
    "StatusConflict",
    "VisaCancelled",
    "VisaNotFound",
    "VisaNumberConflict",
    "WorkerDoesNotMatchVacancy",
    "application_approve",
    "application_payment_confirm",
    "application_reject",
    "application_settle_invoice",
    "application_submit",
    "applications_issue_paid",
    "household_of",
    "licence_cancel",
    "licence_cancel_by_holder",
    "licence_cancel_by_ministry",
    "licences_expire",
    "vacancy_hold_for_transfer",
    "vacancy_release_held",
    "vacancy_use_held",
    "visa_cancel",
    "visa_reserve",
    "worker_arrive",
]
