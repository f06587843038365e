"""The partner API; `middleware.PartnerExchangeMiddleware` logs each of its exchanges."""

from django.urls import path

from .api import api

# No app_name here: the API's own namespace ("partners") must be top-level for its OpenAPI paths.
urlpatterns = [path("", api.urls)]
