"""The partner API, each operation wrapped so that every exchange lands in the message log."""

from django.urls import URLPattern, include, path

from .api import api, logged

UNLOGGED = {"openapi-json", "openapi-view"}

_patterns, _app_name, _namespace = api.urls

# No app_name here: the API's own namespace ("partners") must be top-level for its OpenAPI paths.
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    p
                    if p.name in UNLOGGED
                    else URLPattern(p.pattern, logged(p.callback), p.default_args, p.name)
                    for p in _patterns
                ],
                _app_name,
            ),
            namespace=_namespace,
        ),
    )
]
