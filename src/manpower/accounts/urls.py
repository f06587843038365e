from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, pki_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-in/authenticator/", views.totp_enrol, name="totp-enrol"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("language/", views.set_language, name="language"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.SetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/created/", views.token_created, name="token-created"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]

# National PKI certificate sign-in (see pki_views.py and docs/pki.md).
urlpatterns += [
    path("sign-in/certificate/", pki_views.pki_sign_in, name="pki-sign-in"),
    path("sign-in/certificate/verify/", pki_views.pki_sign_in_submit, name="pki-sign-in-submit"),
]
