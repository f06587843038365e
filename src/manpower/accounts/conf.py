"""The accounts settings."""

from manpower.core.conf import Setting

PKI_CHALLENGE_SECONDS = Setting(
    "PKI_CHALLENGE_SECONDS", 120, "Lifetime of a certificate sign-in challenge."
)
