from django.urls import path

from . import views

app_name = "colleges"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:student_id>/consent/", views.consent, name="consent"),
    path("<str:code>/", views.college, name="college"),
    path("<str:code>/report/", views.report, name="report"),
    path("<str:code>/catalogue/", views.catalogue, name="catalogue"),
    path("<str:code>/imports/<int:batch_id>/", views.import_detail, name="import"),
    path("<str:code>/imports/<int:batch_id>/errors.csv", views.report_csv, name="report_csv"),
    path("<str:code>/students/<str:civil_number>/", views.student, name="student"),
]
