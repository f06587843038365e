from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/employments/<int:employment_id>/resign", views.resign, name="resign"),
    path("mine/ends/<int:end_id>/object", views.object_to, name="object"),
    path("mine/<str:number>/", views.mine_detail, name="mine-detail"),
    path("mine/<str:number>/accept", views.accept, name="accept"),
    path("mine/<str:number>/refuse", views.refuse, name="refuse"),
    path(
        "mine/<str:number>/amendment/<str:answer>",
        views.amendment_answer,
        name="amendment-answer",
    ),
    path("mine/<str:number>/certificate.pdf", views.mine_certificate, name="mine-certificate"),
    path("officer/waiting/", views.waiting, name="waiting"),
    path("officer/waiting/<str:number>/decide", views.decide, name="decide"),
    path("officer/objections/", views.objection_list, name="objections"),
    path("<str:cr>/", views.establishment_list, name="list"),
    path("<str:cr>/new", views.register, name="new"),
    path("<str:cr>/workers/<int:employment_id>/terminate", views.terminate, name="terminate"),
    path("<str:cr>/<str:number>/", views.detail, name="detail"),
    path("<str:cr>/<str:number>/amend", views.amend, name="amend"),
    path("<str:cr>/<str:number>/certificate.pdf", views.certificate, name="certificate"),
]
