from django.urls import path

from . import views

app_name = "wages"
urlpatterns = [
    path("<str:cr>/", views.files, name="files"),
    path("<str:cr>/files/<int:file_id>/", views.file_detail, name="file"),
    path("<str:cr>/files/<int:file_id>/report.csv", views.report, name="report"),
]
