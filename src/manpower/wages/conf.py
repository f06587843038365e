"""The Wage Protection System's settings: what a salary information file (SIF) may be."""

from manpower.core.conf import Setting

MAX_FILE_BYTES = Setting(
    "WAGES_MAX_FILE_BYTES",
    50 * 1024 * 1024,
    "Largest salary information file accepted (bytes); a bigger one is refused unread.",
)
FILE_DIR = Setting(
    "WAGES_FILE_DIR",
    None,
    "Folder where received salary files are kept; empty: `wages/` under MANPOWER_VAR_DIR.",
)
PAYMENT_TYPES = Setting(
    "WAGES_PAYMENT_TYPES",
    ["Salary"],
    "Payment Type values a file's header may carry.",
)
CHECK_STALE_MINUTES = Setting(
    "WAGES_CHECK_STALE_MINUTES",
    30,
    "A file still being checked after this long is checked again from the start (its worker "
    "is taken to have stopped).",
)
