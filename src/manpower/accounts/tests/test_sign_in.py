"""Sign-in, the second factor for staff, the throttle, sign-out, passwords, language, admin."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.accounts.views import PENDING_KEY
from manpower.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
SIGN_IN = reverse("accounts:sign-in")
CODE = reverse("accounts:sign-in-code")
ENROL = reverse("accounts:totp-enrol")
DASHBOARD = reverse("portal:dashboard")


@pytest.fixture
def make_user(django_user_model):
    def make(username="amal", role=Role.INDIVIDUAL, **fields):
        if role == Role.OFFICER:
            fields.setdefault("department", Department.LICENSING)
        return django_user_model.objects.create_user(
            username=username,
            email=f"{username}@example.om",
            password=PASSWORD,
            role=role,
            **fields,
        )

    return make


@pytest.fixture
def officer(make_user):
    return make_user("officer", role=Role.OFFICER)


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


def code_of(device, shift=0):
    return f"{(totp(device.bin_key) + shift) % 1_000_000:06d}"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"identifier": username, "password": password}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


# --- Individuals -----------------------------------------------------------------------------


def test_sign_in_page_has_labelled_fields_with_autocomplete_and_focus(client):
    html = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert '<label for="id_identifier">' in html
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*autofocus', html)
    assert 'autocomplete="current-password"' in html


def test_arabic_is_the_default_and_right_to_left(client):
    html = client.get(SIGN_IN).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html


def test_individual_signs_in_and_lands_on_the_dashboard(client, make_user):
    user = make_user()
    response = sign_in(client, "amal")
    assert response.status_code == 302
    assert response.url == DASHBOARD
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(DASHBOARD).status_code == 200


def test_representative_signs_in_with_the_email_address(client, make_user):
    make_user("rep", role=Role.ESTABLISHMENT_REP)
    response = sign_in(client, "REP@example.om")
    assert response.url == DASHBOARD
    assert signed_in(client)


def test_next_is_followed_only_within_the_site(client, make_user):
    make_user()
    response = client.post(
        SIGN_IN, {"identifier": "amal", "password": PASSWORD, "next": "/services/"}
    )
    assert response.url == "/services/"
    client.post(reverse("accounts:sign-out"))
    response = client.post(
        SIGN_IN, {"identifier": "amal", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == DASHBOARD


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "do not match an account"),
        ("ar", "لا يطابقان أي حساب"),
    ],
)
def test_wrong_password_is_refused_with_a_message_and_no_session(
    client, make_user, language, message
):
    make_user()
    response = sign_in(client, "amal", "wrong-password", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("language", "identifier", "password"),
    [
        ("en", "Enter your username or e-mail address.", "Enter your password."),
        ("ar", "أدخل اسم المستخدم أو البريد الإلكتروني.", "أدخل كلمة المرور."),
    ],
)
def test_empty_form_names_both_fields(client, language, identifier, password):
    response = client.post(SIGN_IN, {}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert 'href="#id_identifier"' in html
    assert 'href="#id_password"' in html
    assert html.count(identifier) == 2 and html.count(password) == 2  # summary and field


def test_inactive_user_cannot_sign_in(client, make_user):
    make_user(is_active=False)
    sign_in(client, "amal")
    assert not signed_in(client)


# --- The throttle (django-axes) --------------------------------------------------------------


def test_five_failures_lock_the_account_out_from_that_address(client, make_user):
    make_user()
    for _ in range(4):
        assert sign_in(client, "amal", "wrong").status_code == 200
    locked = sign_in(client, "amal", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()

    refused = sign_in(client, "amal", PASSWORD)
    assert refused.status_code == 429
    assert not signed_in(client)
    assert "حاول مرة أخرى" in refused.content.decode()


def test_the_email_spelling_counts_against_the_same_account(client, make_user):
    make_user()
    for _ in range(3):
        sign_in(client, "amal", "wrong")
    sign_in(client, "amal@example.om", "wrong")
    assert sign_in(client, "amal@example.om", "wrong").status_code == 429


def test_the_lockout_is_per_address(client, make_user):
    make_user()
    for _ in range(5):
        sign_in(client, "amal", "wrong")
    response = sign_in(client, "amal", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.url == DASHBOARD


# --- Staff: password, then the code of the authenticator app ---------------------------------


def test_staff_password_alone_does_not_sign_in(client, device):
    response = sign_in(client, "officer")
    assert response.url == CODE
    assert not signed_in(client)
    assert client.get(DASHBOARD).url.startswith(SIGN_IN)


def test_code_page_is_labelled_for_one_time_codes(client, device):
    sign_in(client, "officer")
    html = client.get(CODE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_code">' in html
    assert re.search(r'<input[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"', html)


def test_staff_with_the_right_code_is_signed_in_and_verified(client, device):
    sign_in(client, "officer")
    response = client.post(CODE, {"code": code_of(device)})
    assert response.url == DASHBOARD
    assert signed_in(client)
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert page.wsgi_request.user.is_verified()


def test_the_code_may_be_typed_in_arabic_digits(client, device):
    sign_in(client, "officer")
    arabic = code_of(device).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client.post(CODE, {"code": arabic[:3] + " " + arabic[3:]})
    assert signed_in(client)


def test_staff_next_is_kept_across_the_code_step(client, device):
    client.post(SIGN_IN, {"identifier": "officer", "password": PASSWORD, "next": "/services/"})
    assert client.post(CODE, {"code": code_of(device)}).url == "/services/"


def test_a_wrong_code_is_refused(client, device):
    sign_in(client, "officer")
    response = client.post(CODE, {"code": code_of(device, shift=7)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not signed_in(client)


def test_a_code_that_is_not_six_digits_is_refused(client, device):
    sign_in(client, "officer")
    response = client.post(CODE, {"code": "12ab"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter the 6 digits of the code." in response.content.decode()
    assert not signed_in(client)


def test_five_wrong_codes_drop_the_pending_sign_in(client, device):
    sign_in(client, "officer")
    for _ in range(4):
        assert client.post(CODE, {"code": code_of(device, shift=7)}).status_code == 200
    response = client.post(CODE, {"code": code_of(device, shift=7)})
    assert response.url == SIGN_IN
    assert PENDING_KEY not in client.session
    # Even the right code is no use now: the password step must be done again.
    assert client.post(CODE, {"code": code_of(device)}).url == SIGN_IN
    assert not signed_in(client)


def test_the_pending_sign_in_expires_after_five_minutes(client, device):
    sign_in(client, "officer")
    session = client.session
    session[PENDING_KEY]["started_at"] -= 301
    session.save()
    assert client.post(CODE, {"code": code_of(device)}).url == SIGN_IN
    assert not signed_in(client)


def test_the_code_page_without_a_password_step_sends_to_sign_in(client, device):
    assert client.get(CODE).url == SIGN_IN


def test_a_used_code_cannot_be_replayed(client, device):
    code = code_of(device)
    sign_in(client, "officer")
    client.post(CODE, {"code": code})
    assert signed_in(client)
    client.post(reverse("accounts:sign-out"))

    sign_in(client, "officer")
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert not signed_in(client)


def test_admin_site_users_need_the_code_whatever_their_role(client, make_user):
    make_user("root", is_staff=True, is_superuser=True)
    assert sign_in(client, "root").url == ENROL
    assert not signed_in(client)


# --- Enrolment ---------------------------------------------------------------------------------


def test_staff_without_a_device_enrols_and_is_signed_in(client, officer):
    assert sign_in(client, "officer").url == ENROL
    page = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert "otpauth://totp/Manpower%3Aofficer?secret=" in page
    assert "<svg" in page
    secret = re.search(r'<code class="ltr-data" dir="ltr">([A-Z2-7 ]+)</code>', page)[1]
    assert len(secret.replace(" ", "")) == 32

    # A reload shows the same secret: the app the user has just set up stays right.
    assert client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode().count(secret) == 1
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    response = client.post(ENROL, {"code": code_of(device)})
    assert response.url == DASHBOARD
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).wsgi_request.user.is_verified()
    assert AuditEvent.objects.filter(action="totp_device.confirmed").count() == 1


def test_enrolment_with_a_wrong_code_does_not_confirm(client, officer):
    sign_in(client, "officer")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(ENROL, {"code": code_of(device, shift=7)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert not signed_in(client)


def test_enrolment_needs_the_password_step(client, officer):
    assert client.get(ENROL).url == SIGN_IN
    assert not TOTPDevice.objects.exists()


def test_enrolled_staff_cannot_enrol_a_second_device(client, device):
    sign_in(client, "officer")
    assert client.get(ENROL).url == CODE
    assert TOTPDevice.objects.count() == 1


# --- Sign-out ------------------------------------------------------------------------------


def test_sign_out_is_post_only(client, make_user):
    make_user()
    sign_in(client, "amal")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert signed_in(client)
    response = client.post(reverse("accounts:sign-out"))
    assert response.url == reverse("portal:home")
    assert not signed_in(client)


# --- Passwords -----------------------------------------------------------------------------


def test_password_reset_sends_one_bilingual_email_whose_link_sets_a_new_password(client, make_user):
    user = make_user(full_name_ar="أمل", full_name_en="Amal")
    response = client.post(reverse("accounts:password-reset"), {"email": "amal@example.om"})
    assert response.url == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amal@example.om"]
    assert "Reset your password" in message.subject
    assert "إعادة تعيين كلمة المرور" in message.subject
    assert "Hello Amal," in message.body
    assert "مرحبًا أمل،" in message.body

    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)[1]
    set_password = client.get(link)
    assert set_password.status_code == 302
    new = "a-brand-new-passphrase-71"
    done = client.post(set_password.url, {"new_password1": new, "new_password2": new})
    assert done.url == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert not signed_in(client)
    # The link works once.
    assert (
        "not valid any more"
        in client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.om"})
    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_signed_in_user_changes_their_password(client, make_user):
    user = make_user()
    sign_in(client, "amal")
    new = "another-long-passphrase-42"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(new)
    assert signed_in(client)


def test_password_change_with_a_wrong_old_password_changes_nothing(client, make_user):
    user = make_user()
    sign_in(client, "amal")
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-1234",
            "new_password2": "x-long-pass-1234",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_needs_sign_in(client):
    assert client.get(reverse("accounts:password-change")).url.startswith(SIGN_IN)


# --- Language ------------------------------------------------------------------------------


def test_language_choice_is_kept_on_the_account_and_used_from_any_browser(
    client, make_user, django_user_model
):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/services/"})
    assert response.url == "/services/"
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEvent.objects.filter(action="user.language_changed").count() == 1

    other_browser = type(client)()
    other_browser.force_login(user)
    html = other_browser.get(reverse("portal:catalogue")).content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_language_switch_does_not_follow_a_next_to_another_site(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/x"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_an_unknown_language_is_ignored(client, make_user):
    user = make_user()
    client.force_login(user)
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "ar"


def test_anonymous_language_switch_uses_the_cookie(client):
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert '<html lang="en" dir="ltr">' in client.get(SIGN_IN).content.decode()


def test_on_a_forms_answer_the_language_switch_goes_back_to_the_form(client):
    """The answer to a POST is shown at an address that may take POST only (a consent, a
    decision): switching language there must not end on "method not allowed"."""
    form = "http://testserver/accounts/sign-in/?next=/services/"
    html = client.post(SIGN_IN, {"username": "nobody"}, HTTP_REFERER=form).content.decode()
    assert f'name="next" value="{form}"' in html
    assert client.post(reverse("accounts:language"), {"language": "en", "next": form}).url == form
    assert 'name="next" value="/accounts/sign-in/"' in client.get(SIGN_IN).content.decode()


def test_language_switch_is_post_only(client):
    assert client.get(reverse("accounts:language")).status_code == 405


# --- Admin -----------------------------------------------------------------------------------


def test_admin_login_sends_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == SIGN_IN + "?next=/admin/accounts/user/"


def test_admin_index_for_anonymous_ends_at_the_portal_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == SIGN_IN


def test_admin_lists_users_and_tokens_and_tokens_cannot_be_added(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
    assert client.get("/admin/accounts/apitoken/").status_code == 200
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
