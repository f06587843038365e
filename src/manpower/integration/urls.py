"""The partner API assembled: integration's operations (api.py) and the domains' police routers;
`middleware.PartnerExchangeMiddleware` logs each of its exchanges."""

from django.urls import path

from manpower.contracts.partner_api import router as contracts_social_insurance
from manpower.labourcards.partner_api import router as labourcards_police
from manpower.labourcare.partner_api import router as labourcare_judicial
from manpower.licensing.partner_api import police as licensing_police
from manpower.licensing.partner_api import registry as licensing_registry
from manpower.wages.partner_api import router as wages_wps

from .api import api

# Every router of the partner API besides integration's own operations. The police's operations
# live with their domains, at one prefix; they differ in path and name. Social insurance's
# (contracts) have their own prefix.
api.add_router("/police/", licensing_police)
api.add_router("/police/", labourcards_police)
api.add_router("/social-insurance/", contracts_social_insurance)
# Licensing's operations on establishments (scope registry), beside integration's own.
api.add_router("/", licensing_registry)
api.add_router("/wps/", wages_wps)
api.add_router("/judicial/", labourcare_judicial)

# No app_name here: the API's own namespace ("partners") must be top-level for its OpenAPI paths.
urlpatterns = [path("", api.urls)]
