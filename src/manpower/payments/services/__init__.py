"""Every write of the payments app, one module per use-case area: fees and invoices, payments
received from every channel (gateway sessions and callbacks, the Sanad counter, the sandbox
bank), refunds, and the reconciliation of settlement files. Callers write
`from manpower.payments import services` and find every public function and exception here.
"""

from .invoices import (
    TRANSITIONS,
    FeeNotPositive,
    InvalidPayer,
    InvoiceNotPayable,
    InvoiceStatusConflict,
    NoFee,
    S,
    fee_effective,
    fee_set,
    invoice_cancel,
    invoice_create,
    invoice_create_lines,
    invoices_expire,
)
from .received import (
    SESSION_TRANSITIONS,
    CallbackAnswer,
    P,
    PaymentResult,
    SanadOnly,
    SessionClosed,
    SignedCallback,
    UnknownTestCard,
    gateway_callback_receive,
    payment_session_start,
    sanad_counter_payment,
    sanad_payment_record,
    sandbox_charge,
)
from .refunds import (
    NoRefundDue,
    RefundAlreadySettled,
    RefundNotAllowed,
    RefundTooLarge,
    invoice_refund,
    payment_refund_settle,
)
from .settlement import (
    BadSettlementFile,
    settlement_import,
)

__all__ = [
    "S",
    "TRANSITIONS",
    "NoFee",
    "FeeNotPositive",
    "InvalidPayer",
    "InvoiceNotPayable",
    "InvoiceStatusConflict",
    "fee_set",
    "fee_effective",
    "invoice_create",
    "invoice_create_lines",
    "invoice_cancel",
    "invoices_expire",
    "P",
    "SESSION_TRANSITIONS",
    "UnknownTestCard",
    "SessionClosed",
    "SanadOnly",
    "PaymentResult",
    "payment_session_start",
    "CallbackAnswer",
    "gateway_callback_receive",
    "sanad_counter_payment",
    "sanad_payment_record",
    "SignedCallback",
    "sandbox_charge",
    "RefundNotAllowed",
    "RefundTooLarge",
    "NoRefundDue",
    "RefundAlreadySettled",
    "invoice_refund",
    "payment_refund_settle",
    "BadSettlementFile",
    "settlement_import",
]
