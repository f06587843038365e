"""The public API at /api/v1/: one NinjaAPI, routers from each app, problem-details errors."""

from django.http import Http404
from ninja import Router

from manpower.accounts.api import pki_router
from manpower.accounts.api import router as tokens_router
from manpower.colleges.api import router as colleges_router
from manpower.contracts.api import router as contracts_router
from manpower.core.api import router as reference_router
from manpower.core.problems import ProblemAPI
from manpower.jobs.api import router as jobs_router
from manpower.labourcards.api import router as labourcards_router
from manpower.labourcare.api.absconding import router as absconding_router
from manpower.labourcare.api.complaints import router as complaints_router
from manpower.licensing.api import router as licensing_router
from manpower.notifications.api import router as notifications_router
from manpower.portal.api import requests_router
from manpower.portal.api import router as services_router
from manpower.registry.api import router as registry_router
from manpower.wages.api import router as wages_router

api = ProblemAPI(
    title="Manpower e-services API",
    version="1",
    description=(
        "The ministry's public API for the mobile app and the portal's own pages. "
        "Authenticate with `Authorization: Bearer mp_…` (a token made in the portal) or the "
        "portal session. Every error is `application/problem+json` (RFC 9457) with a stable "
        "`code` and the message in Arabic and English."
    ),
    urls_namespace="api",
    docs_url="/docs",
)

api.add_router("", registry_router)
api.add_router("/tokens", tokens_router)
api.add_router("/pki", pki_router)
api.add_router("/reference", reference_router)
api.add_router("/services", services_router)
api.add_router("/requests", requests_router)
api.add_router("", licensing_router)
api.add_router("", labourcards_router)
api.add_router("", contracts_router)
api.add_router("", notifications_router)
api.add_router("", wages_router)
api.add_router("", jobs_router)
api.add_router("", complaints_router)
api.add_router("", colleges_router)
api.add_router("", absconding_router)

# Mounted last, so it only sees paths no other route took: they get a 404 problem, not the
# portal's HTML page.
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def no_such_endpoint(request, rest: str):
    raise Http404(rest)


api.add_router("", _fallback)
