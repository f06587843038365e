import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
site = get_wsgi_application()

from manpower.core.handlers import PartnerAPIHandler, site_or_partner_api  # noqa: E402

application = site_or_partner_api(site, PartnerAPIHandler())
