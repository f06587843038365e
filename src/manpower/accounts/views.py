"""Sign-in (password, then a TOTP code for staff), the account page and its API tokens.

Staff are never signed in by the password alone: the password step keeps only a pending
sign-in in the session, and `login()` runs after the second step, so every signed-in staff user
is OTP-verified by construction.
"""

import math
from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from manpower.core.actor import Actor

from . import forms, selectors, services

PENDING_KEY = "accounts_pending_sign_in"
PENDING_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5
NEW_TOKEN_KEY = "accounts_new_api_token"


def _signing_in_actor(request, user) -> Actor:
    """The user half-way through signing in: not yet `request.user`."""
    return Actor.for_user(user, request_id=getattr(request, "request_id", None))


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


# --- Sign-in ---------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    """The password step. Individuals and representatives are signed in here; staff go on to
    the code step (or to enrolment) with only a pending sign-in in the session."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = forms.SignInForm(request, data=_post_or_none(request))
    if form.is_valid():
        user = form.user
        if not services.needs_second_factor(user):
            auth_login(request, user)
            return redirect(_safe_next(request, next_url))
        request.session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "started_at": timezone.now().timestamp(),
            "next": next_url,
            "failures": 0,
        }
        if selectors.totp_device_of(user=user) is None:
            return redirect("accounts:totp-enrol")
        return redirect("accounts:sign-in-code")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


def _pending(request):
    """The user of a pending sign-in that has not expired, or None (and the state is dropped)."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    age = timezone.now().timestamp() - pending["started_at"]
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if age > PENDING_SECONDS or user is None:
        del request.session[PENDING_KEY]
        return None
    return user


def _restart(request):
    messages.error(request, _("Your sign-in has expired or was not started. Sign in again."))
    return redirect("accounts:sign-in")


def _wrong_code(request, form):
    """Count a wrong code; after MAX_CODE_FAILURES the pending sign-in is dropped."""
    pending = request.session[PENDING_KEY]
    pending["failures"] += 1
    if pending["failures"] >= MAX_CODE_FAILURES:
        del request.session[PENDING_KEY]
        messages.error(request, _("Too many wrong codes. Sign in again with your password."))
        return redirect("accounts:sign-in")
    request.session[PENDING_KEY] = pending
    form.add_error(
        "code",
        _(
            "The code is not right, or it has already been used. Wait for the next code in "
            "your app and try again."
        ),
    )
    return None


def _finish_sign_in(request, user, device):
    pending = request.session.pop(PENDING_KEY)
    user.otp_device = device  # django-otp marks the session verified when login() runs.
    auth_login(request, user, backend=pending["backend"])
    return redirect(_safe_next(request, pending["next"]))


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request):
    """The second step for staff: the current code of their authenticator app."""
    user = _pending(request)
    if user is None:
        return _restart(request)
    if selectors.totp_device_of(user=user) is None:
        return redirect("accounts:totp-enrol")
    form = forms.CodeForm(data=_post_or_none(request))
    if form.is_valid():
        device = services.totp_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return _finish_sign_in(request, user, device)
        if restart := _wrong_code(request, form):
            return restart
    return render(request, "accounts/sign_in_code.html", {"form": form})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("code")
@never_cache
def totp_enrol(request):
    """First sign-in of staff without an authenticator: show the secret, confirm with a code."""
    user = _pending(request)
    if user is None:
        return _restart(request)
    now = timezone.now()
    try:
        device = services.totp_device_for_enrolment(
            actor=_signing_in_actor(request, user), user=user, now=now
        )
    except services.AlreadyEnrolled:
        return redirect("accounts:sign-in-code")
    form = forms.CodeForm(data=_post_or_none(request))
    if form.is_valid():
        code = form.cleaned_data["code"]
        if services.totp_device_confirm(
            actor=_signing_in_actor(request, user), device=device, code=code, now=now
        ):
            device.refresh_from_db()
            return _finish_sign_in(request, user, device)
        if restart := _wrong_code(request, form):
            return restart
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            # In groups of four, as authenticator apps show it; they ignore the spaces.
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": device.config_url,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # qrcode's own markup only.
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when an account and address have failed too often."""
    cool_off = get_cool_off(request)
    context = {}
    if cool_off:
        context = {
            "minutes": math.ceil(cool_off.total_seconds() / 60),
            "until": timezone.now() + cool_off,
        }
    return render(request, "accounts/locked_out.html", context, status=429)


@require_POST
def set_language(request):
    """Django's language switch (it only follows a `next` on this site), and for a signed-in
    user the choice is kept on the account."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.user_set_language(
            actor=Actor.from_request(request),
            user=request.user,
            language=request.POST.get("language", ""),
            now=timezone.now(),
        )
    return response


# --- Passwords -------------------------------------------------------------------------------


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your password has been changed.")


# --- The account page and API tokens ----------------------------------------------------------


def _profile(request, form, status=200):
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": selectors.api_tokens_of(user=request.user), "now": timezone.now()},
        status=status,
    )


@login_required
def profile(request):
    return _profile(request, forms.TokenCreateForm())


@login_required
@require_POST
def token_create(request):
    form = forms.TokenCreateForm(data=request.POST)
    if form.is_valid():
        try:
            token, key = services.api_token_create(
                actor=Actor.from_request(request),
                user=request.user,
                name=form.cleaned_data["name"],
                now=timezone.now(),
            )
        except services.TokenNameRequired as exc:
            form.add_error("name", exc.text())
        else:
            # Kept in the session for the next page only, which removes it.
            request.session[NEW_TOKEN_KEY] = {"id": token.pk, "key": key}
            return redirect("accounts:token-created")
    return _profile(request, form, status=400)


@login_required
@never_cache
def token_created(request):
    """Shows the new key once: a reload finds nothing and goes back to the account page."""
    new = request.session.pop(NEW_TOKEN_KEY, None)
    token = new and selectors.api_tokens_of(user=request.user).filter(pk=new["id"]).first()
    if not token:
        return redirect("accounts:profile")
    return render(request, "accounts/token_created.html", {"token": token, "key": new["key"]})


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = services.api_token_revoke(
        actor=Actor.from_request(request), user=request.user, token_id=token_id, now=timezone.now()
    )
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect(reverse("accounts:profile"))
