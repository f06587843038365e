"""The public API at /api/v1/: one NinjaAPI, routers from each app, problem-details errors."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Manpower e-services API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)
