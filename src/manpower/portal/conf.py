"""Settings of the portal's pages (see manpower.core.conf)."""

from manpower.core.conf import Setting

NOT_FOUND_PAGE_IN_DEBUG = Setting(
    "PORTAL_NOT_FOUND_PAGE_IN_DEBUG",
    True,
    "With DEBUG on (the demo), unknown addresses show the bilingual 404 page, not Django's "
    "debug page; set False while developing to see the URL patterns tried.",
)
