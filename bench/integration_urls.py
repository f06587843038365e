"""The project's URLs plus `/bench/bare/<cr>`: the yardstick of the partner read benchmark."""

from django.http import JsonResponse
from django.urls import path

from manpower.registry.models import Establishment
from manpower.urls import urlpatterns as project_urlpatterns

FIELDS = ("cr_number", "name_ar", "name_en", "status", "chamber_number", "chamber_expiry_date")


def bare(request, cr_number: str):
    """One indexed SELECT (the unique index on cr_number) and its row as JSON; no auth, no log."""
    row = Establishment.objects.filter(cr_number=cr_number).values(*FIELDS).first()
    return JsonResponse(row or {}, status=200 if row else 404, json_dumps_params={"default": str})


urlpatterns = [path("bench/bare/<str:cr_number>", bare), *project_urlpatterns]
