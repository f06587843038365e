"""The integration settings: partner keys and their limits, the message log, webhook delivery,
calls to other agencies and the partner simulators of `make demo` (see docs/integration.md)."""

from manpower.core.conf import Setting

RATE_LIMIT_PER_MINUTE = Setting(
    "INTEGRATION_RATE_LIMIT_PER_MINUTE",
    600,
    "Partner API requests per key per minute, unless the key sets its own.",
)
KEY_DEFAULT_DAYS = Setting("INTEGRATION_KEY_DEFAULT_DAYS", 365, "Validity of a new partner key.")
CREDENTIAL_CACHE_SECONDS = Setting(
    "INTEGRATION_CREDENTIAL_CACHE_SECONDS",
    5,
    "How long a checked partner key is remembered before it is read from the database again.",
)
LOG_BODY_MAX_BYTES = Setting(
    "INTEGRATION_LOG_BODY_MAX_BYTES", 65536, "Bytes of each exchanged body kept in the message log."
)
BODY_RETENTION_DAYS = Setting(
    "INTEGRATION_BODY_RETENTION_DAYS", 90, "How long exchanged bodies are kept in the message log."
)
WEBHOOK_MAX_ATTEMPTS = Setting(
    "INTEGRATION_WEBHOOK_MAX_ATTEMPTS", 8, "Deliveries of an event before it is given up."
)
WEBHOOK_BACKOFF_SECONDS = Setting(
    "INTEGRATION_WEBHOOK_BACKOFF_SECONDS", 30, "First wait before a failed delivery is retried."
)
WEBHOOK_TIMEOUT_SECONDS = Setting(
    "INTEGRATION_WEBHOOK_TIMEOUT_SECONDS", 10, "How long one webhook call may take."
)
LEASE_SECONDS = Setting(
    "INTEGRATION_LEASE_SECONDS", 60, "How long a worker holds a delivery before another may."
)
ADAPTER_TIMEOUT_SECONDS = Setting(
    "INTEGRATION_ADAPTER_TIMEOUT_SECONDS", 5, "How long one call to another agency may take."
)
ADAPTER_RETRIES = Setting("INTEGRATION_ADAPTER_RETRIES", 2, "Retries of a failed agency call.")
ADAPTER_BACKOFF_SECONDS = Setting(
    "INTEGRATION_ADAPTER_BACKOFF_SECONDS", 0.2, "First wait before an agency call is retried."
)
BREAKER_THRESHOLD = Setting(
    "INTEGRATION_BREAKER_THRESHOLD", 5, "Failures in a row after which an agency is not called."
)
BREAKER_COOLDOWN_SECONDS = Setting(
    "INTEGRATION_BREAKER_COOLDOWN_SECONDS", 60, "How long an agency is not called after that."
)
SIMULATOR_PORT = Setting(
    "INTEGRATION_SIMULATOR_PORT", 8765, "Port of the partner simulators of `make demo`."
)
SIMULATOR_URL = Setting(
    "INTEGRATION_SIMULATOR_URL",
    "http://127.0.0.1:8765",
    "Where adapters call an agency that has no address of its own (the simulators).",
)
