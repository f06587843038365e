"""Labour care's portal pages, under /labour-care/: each area (complaints, absconding,
inspections) adds its pages here, its views in `views/<area>.py`."""

from django.urls import path

from .views import absconding, inspections

app_name = "labourcare"

urlpatterns: list = [
    path("absconding/", absconding.index, name="absconding"),
    path("absconding/mine/", absconding.mine, name="absconding-mine"),
    path("absconding/mine/<str:number>/object/", absconding.object_to, name="absconding-object"),
    path("absconding/officer/", absconding.queue, name="absconding-queue"),
    path("absconding/officer/<str:number>/", absconding.decide, name="absconding-decide"),
    path("absconding/officer/<str:number>/proof/", absconding.proof, name="absconding-proof"),
    path("absconding/<str:cr>/", absconding.establishment_reports, name="absconding-list"),
    path("absconding/<str:cr>/new/", absconding.file_report, name="absconding-file"),
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/queue/", inspections.queue, name="inspections-queue"),
    path("inspections/<str:number>/", inspections.detail, name="inspection"),
]
