from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("requests/", views.my_requests, name="requests"),
    path("services/", views.catalogue, name="catalogue"),
    path("services/<str:code>/", views.service, name="service"),
    path("establishments/<str:cr>/", views.establishment, name="establishment"),
    path("establishments/<str:cr>/workers/", views.workers, name="workers"),
]
