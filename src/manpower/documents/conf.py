"""The documents settings."""

from manpower.core.conf import Setting

VERIFY_BASE_URL = Setting(
    "DOCUMENTS_VERIFY_BASE_URL",
    "http://127.0.0.1:8000",
    "The address of the public verification page printed in documents' QR codes.",
)
