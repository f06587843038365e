from django.urls import path

from . import views

app_name = "labourcards"
urlpatterns = [
    path("<str:cr>/", views.cards, name="cards"),
    path("<str:cr>/workers/<int:employment_id>/issue", views.issue, name="issue"),
    path("<str:cr>/cards/<str:number>/renew", views.renew, name="renew"),
    path("<str:cr>/cards/<str:number>/departure-form", views.departure_form, name="departure-form"),
    path("<str:cr>/cards/<str:number>/modify", views.modify, name="modify"),
    path("<str:cr>/cards/<str:number>/card.pdf", views.card_pdf, name="card-pdf"),
    path("<str:cr>/requests/<int:request_id>/complete", views.complete, name="complete"),
    path("<str:cr>/requests/<int:request_id>/form.pdf", views.request_pdf, name="request-pdf"),
    path("<str:cr>/transfers/new", views.transfer_new, name="transfer-new"),
    path(
        "<str:cr>/transfers/<int:transfer_id>/consent",
        views.transfer_consent,
        name="transfer-consent",
    ),
    path(
        "<str:cr>/transfers/<int:transfer_id>/refuse", views.transfer_refuse, name="transfer-refuse"
    ),
    path(
        "<str:cr>/transfers/<int:transfer_id>/complete",
        views.transfer_complete,
        name="transfer-complete",
    ),
    path(
        "<str:cr>/transfers/<int:transfer_id>/cancel", views.transfer_cancel, name="transfer-cancel"
    ),
]
