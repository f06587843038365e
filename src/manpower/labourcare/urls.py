"""Labour care's portal pages, under /labour-care/: each area (complaints, absconding,
inspections) adds its pages here, its views in `views/<area>.py`."""

from django.urls import path

from .views import complaints

app_name = "labourcare"

urlpatterns: list = [
    path("complaints/", complaints.index, name="complaints"),
    path("complaints/new", complaints.file_worker, name="complaint-new"),
    path("complaints/officer/", complaints.officer_queue, name="complaint-queue"),
    path("complaints/overdue/", complaints.overdue, name="complaint-overdue"),
    path(
        "complaints/establishments/<str:cr>/", complaints.establishment_list, name="complaints-of"
    ),
    path(
        "complaints/establishments/<str:cr>/new", complaints.file_employer, name="complaint-new-by"
    ),
    path("complaints/<str:number>/", complaints.detail, name="complaint"),
    path(
        "complaints/<str:number>/evidence/<int:evidence_id>",
        complaints.evidence_download,
        name="complaint-evidence",
    ),
    path(
        "complaints/<str:number>/evidence", complaints.add_evidence, name="complaint-add-evidence"
    ),
    path("complaints/<str:number>/withdraw", complaints.withdraw, name="complaint-withdraw"),
    path("complaints/<str:number>/assign", complaints.assign, name="complaint-assign"),
    path("complaints/<str:number>/meeting", complaints.meeting, name="complaint-meeting"),
    path("complaints/<str:number>/settle", complaints.settle, name="complaint-settle"),
    path("complaints/<str:number>/reject", complaints.reject, name="complaint-reject"),
    path("complaints/<str:number>/refer", complaints.refer, name="complaint-refer"),
]
