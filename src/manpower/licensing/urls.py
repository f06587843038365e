from django.urls import path

from . import views

app_name = "licensing"
urlpatterns = [
    path("", views.licence_list, name="licences"),
    path("apply/", views.apply, name="apply"),
    path("applications/<str:number>/", views.application_detail, name="application"),
    path("applications/<str:number>/payment", views.application_payment, name="payment"),
    path("queue/", views.queue, name="queue"),
    path("queue/<str:number>/", views.decide, name="decide"),
    path("omanisation/", views.omanisation_list, name="omanisation-list"),
    path("omanisation/<str:cr>/", views.omanisation_detail, name="omanisation"),
    path("omanisation/<str:cr>/<str:number>.pdf", views.omanisation_pdf, name="omanisation-pdf"),
    path("<str:number>/", views.licence_detail, name="licence"),
    path("<str:number>/licence.pdf", views.licence_pdf, name="pdf"),
    path("<str:number>/cancel", views.licence_cancel, name="cancel"),
]
