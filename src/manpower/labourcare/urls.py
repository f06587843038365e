"""Labour care's portal pages, under /labour-care/: each area (complaints, absconding,
inspections) adds its pages here, its views in `views/<area>.py`."""

from django.urls import path

from .views import absconding, complaints, disputes, inspections, postings

app_name = "labourcare"

urlpatterns: list = [
    path("complaints/", complaints.index, name="complaints"),
    path("complaints/new", complaints.file_worker, name="complaint-new"),
    path("complaints/officer/", complaints.officer_queue, name="complaint-queue"),
    path("complaints/overdue/", complaints.overdue, name="complaint-overdue"),
    path("complaints/sanad/new", complaints.file_sanad, name="complaint-sanad"),
    path("complaints/postings/", postings.postings, name="postings"),
    path("complaints/postings/<int:posting_id>/end", postings.end_posting, name="posting-end"),
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
    path("absconding/", absconding.index, name="absconding"),
    path("absconding/mine/", absconding.mine, name="absconding-mine"),
    path("absconding/mine/<str:number>/object/", absconding.object_to, name="absconding-object"),
    path("absconding/officer/", absconding.queue, name="absconding-queue"),
    path("absconding/disputes/", disputes.disputes, name="disputes"),
    path("absconding/officer/<str:number>/", absconding.decide, name="absconding-decide"),
    path("absconding/officer/<str:number>/proof/", absconding.proof, name="absconding-proof"),
    path("absconding/<str:cr>/", absconding.establishment_reports, name="absconding-list"),
    path("absconding/<str:cr>/new/", absconding.file_report, name="absconding-file"),
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/queue/", inspections.queue, name="inspections-queue"),
    path("inspections/<str:number>/", inspections.detail, name="inspection"),
]
