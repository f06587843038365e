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
ARCHIVE_MAX_BYTES = Setting(
    "WAGES_ARCHIVE_MAX_BYTES",
    2 * 1024 * 1024 * 1024,
    "Largest zip archive of salary files accepted (bytes, as sent).",
)
ARCHIVE_MAX_MEMBERS = Setting(
    "WAGES_ARCHIVE_MAX_MEMBERS",
    250_000,
    "Most files one archive may hold; an archive with more is rejected unread.",
)
ARCHIVE_MAX_UNCOMPRESSED_BYTES = Setting(
    "WAGES_ARCHIVE_MAX_UNCOMPRESSED_BYTES",
    8 * 1024 * 1024 * 1024,
    "Largest sum of an archive's files once uncompressed (as the zip declares them); above "
    "it the archive is rejected unread. Each file is also held to WAGES_MAX_FILE_BYTES as it "
    "is uncompressed, whatever the zip declares (a zip bomb).",
)
ARCHIVE_BATCH_BYTES = Setting(
    "WAGES_ARCHIVE_BATCH_BYTES",
    16 * 1024 * 1024,
    "About how many bytes of an archive's files are checked together, in one transaction "
    "(16 MB: some 150,000 lines): the progress grows by that much at a time.",
)
PAYMENT_DEADLINE_DAYS = Setting(
    "WAGES_PAYMENT_DEADLINE_DAYS",
    3,
    "Wages are due this many days after the end of the wage period; a file dated later pays late.",
)
NEW_HIRE_EXEMPT_DAYS = Setting(
    "WAGES_NEW_HIRE_EXEMPT_DAYS",
    30,
    "A worker whose employment started this many days or fewer before the month's end is "
    "exempt from that month's check.",
)
EXEMPTION_MIN_DAYS = Setting(
    "WAGES_EXEMPTION_MIN_DAYS",
    30,
    "A dispute, a work suspension or an absconding report exempts a worker only when its "
    "period is longer than this many days.",
)
COMPLIANT_PERMYRIAD = Setting(
    "WAGES_COMPLIANT_PERMYRIAD",
    9000,
    "An establishment is compliant in a month when at least this share (1/10000) of its "
    "workers were paid correctly and on time.",
)
ESCALATION_LADDER = Setting(
    "WAGES_ESCALATION_LADDER",
    [[1, "WARNING"], [15, "SUSPENSION"], [30, "FINE"]],
    "Days after the due date of a non-compliant month → the action taken (WARNING, "
    "SUSPENSION of new work-permit services, FINE per unpaid worker).",
)
FINE_REPEAT_MONTHS = Setting(
    "WAGES_FINE_REPEAT_MONTHS",
    12,
    "A fine within this many months of an earlier one is doubled.",
)
FREE_TRANSFER_MONTHS = Setting(
    "WAGES_FREE_TRANSFER_MONTHS",
    3,
    "Workers of an establishment non-compliant this many months running may transfer to "
    "another employer without its consent.",
)
