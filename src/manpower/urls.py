from django.contrib import admin
from django.urls import include, path

from manpower.api import api
from manpower.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("manpower.accounts.urls")),
    path("api/partners/v1/", include("manpower.integration.urls")),
    path("payments/", include("manpower.payments.urls")),
    path("licences/", include("manpower.licensing.urls")),
    path("labour-cards/", include("manpower.labourcards.urls")),
    path("contracts/", include("manpower.contracts.urls")),
    path("notifications/", include("manpower.notifications.urls")),
    path("wages/", include("manpower.wages.urls")),
    path("labour-care/", include("manpower.labourcare.urls")),
    path("jobs/", include("manpower.jobs.urls")),
    path("colleges/", include("manpower.colleges.urls")),
    path("", include("manpower.documents.urls")),
    path("admin/", admin.site.urls),
    path("", include("manpower.portal.urls")),
]
