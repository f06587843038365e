from django.urls import path

from . import views, views_compliance

app_name = "wages"
urlpatterns = [
    # Before `<cr>/…`, which would take "officers" and "my" for a CR number.
    path("officers/compliance/", views_compliance.officers_compliance, name="officers"),
    path("officers/exemptions/", views_compliance.exemptions, name="exemptions"),
    path("my/salary/", views_compliance.my_salary, name="my-salary"),
    path("<str:cr>/", views.files, name="files"),
    path("<str:cr>/compliance/", views_compliance.establishment_compliance, name="compliance"),
    path("<str:cr>/files/<int:file_id>/", views.file_detail, name="file"),
    path("<str:cr>/files/<int:file_id>/report.csv", views.report, name="report"),
]
