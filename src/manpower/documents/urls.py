from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/public-key.pem", views.public_key, name="public-key"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/signed.json", views.signed_payload, name="signed-payload"),
]
