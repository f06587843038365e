"""The certificate sign-in page: a fresh challenge, and the form that sends its signature.

Individuals and establishment representatives may sign in this way instead of with their
password; ministry staff are refused (they keep password + authenticator code).
"""

from django import forms
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from manpower.core.actor import Actor

from . import pki
from .views import _safe_next

# The user has proved who they are with the certificate; no password backend is involved.
BACKEND = "django.contrib.auth.backends.ModelBackend"


# PEM and base64 are left-to-right text on Arabic pages too.
_TEXT = {"dir": "ltr", "spellcheck": "false", "autocomplete": "off"}


class PkiSignInForm(forms.Form):
    challenge_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    certificate = forms.CharField(
        label=_("Your certificate (PEM)"),
        help_text=_("The authentication certificate of your ID card or mobile ID."),
        error_messages={"required": _("Paste your certificate (PEM).")},
        widget=forms.Textarea(attrs=_TEXT | {"rows": 6}),
    )
    intermediates = forms.CharField(
        label=_("Intermediate certificates (PEM, optional)"),
        required=False,
        widget=forms.Textarea(attrs=_TEXT | {"rows": 4}),
    )
    signature = forms.CharField(
        label=_("Signature (base64)"),
        help_text=_("The signature of the challenge above, in base64."),
        error_messages={"required": _("Paste the signature of the challenge (base64).")},
        widget=forms.Textarea(attrs=_TEXT | {"rows": 3}),
    )


def _page(request, form=None, status=200):
    """The page with a new challenge: a refused attempt has used up the one it signed. The
    template renders the challenge's id itself, never the bound form's old one."""
    return render(
        request,
        "accounts/pki_sign_in.html",
        {
            "form": form or PkiSignInForm(),
            "challenge": pki.pki_challenge_issue(now=timezone.now()),
            "seconds": int(pki.challenge_lifetime().total_seconds()),
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def pki_sign_in(request):
    """Explains the flow and shows a fresh challenge to sign."""
    return _page(request)


@never_cache
@require_POST
def pki_sign_in_submit(request):
    """Checks the signed challenge; signs the user in, or shows why not with a new challenge."""
    form = PkiSignInForm(data=request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        user = pki.pki_sign_in(
            actor=Actor.anonymous(request, label="certificate sign-in"),
            challenge_id=form.cleaned_data["challenge_id"],
            certificate_pem=form.cleaned_data["certificate"],
            intermediates_pem=form.cleaned_data["intermediates"],
            signature_b64=form.cleaned_data["signature"],
            now=timezone.now(),
        )
    except pki.PkiSignInRefused as refusal:
        form.add_error(None, refusal.text())
        return _page(request, form, status=refusal.status)
    auth_login(request, user, backend=BACKEND)
    return redirect(_safe_next(request, request.POST.get("next")))
