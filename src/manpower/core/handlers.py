"""The partner API's own request handler: the site's middleware minus what only browsers need.

Partner agencies call with bearer keys: no session, cookie, CSRF token, sign-in throttle or
flash message applies to them, and that middleware cost about 0.45 ms of a visa reservation's
CPU (docs/benchmarks.md). `manpower.wsgi` sends /api/partners/ here and the rest to the site.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

PARTNER_API_PREFIX = "/api/partners/"


class PartnerAPIHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        with override_settings(MIDDLEWARE=settings.PARTNER_API_MIDDLEWARE):
            super().load_middleware(is_async)


def site_or_partner_api(site: WSGIHandler, partner_api: WSGIHandler):
    """One WSGI application choosing the handler by path."""

    def application(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PARTNER_API_PREFIX):
            return partner_api(environ, start_response)
        return site(environ, start_response)

    return application
