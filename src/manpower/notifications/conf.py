"""The notifications settings."""

from manpower.core.conf import Setting

SITE_URL = Setting(
    "NOTIFICATIONS_SITE_URL",
    "http://127.0.0.1:8000",
    "The portal's address in the links of notification e-mails (it differs per deployment).",
)
