"""Forms of the sign-in and account pages. Every first field takes the focus."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .selectors import username_for_identifier

# People type the code on Arabic keyboards too: Arabic-Indic and Persian digits count.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


class FirstFieldFocus:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = next(iter(self.fields.values()))
        first.widget.attrs["autofocus"] = True


class SignInForm(FirstFieldFocus, forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        error_messages={"required": _("Enter your username or e-mail address.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid": _(
            "The username or e-mail and the password do not match an account. Check them and "
            "try again; after several failed attempts sign-in is paused for a while."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        identifier = self.cleaned_data.get("identifier")
        password = self.cleaned_data.get("password")
        if identifier and password:
            # `request` lets django-axes count the failure and lock the account and address out.
            self.user = authenticate(
                self.request, username=username_for_identifier(identifier), password=password
            )
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return self.cleaned_data


class CodeForm(FirstFieldFocus, forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        help_text=_("The code that your authenticator app shows now."),
        error_messages={"required": _("Enter the 6 digits of the code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "size": 8,
            }
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"].translate(_DIGITS))
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits of the code."), code="format")
        return code


class TokenCreateForm(forms.Form):
    """On the account page, below the facts: no autofocus there, it would skip the page."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        error_messages={"required": _("Give the token a name, such as the phone it is for.")},
        help_text=_("Such as the phone it is for, so that you can tell your tokens apart."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SaysWhatIsMissing:
    """Django's password forms say only "This field is required."; ours say what to enter."""

    MISSING = {
        "email": _("Enter the e-mail address of your account."),
        "old_password": _("Enter your current password."),
        "new_password1": _("Enter a new password."),
        "new_password2": _("Enter the new password again, to confirm it."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.MISSING:
                field.error_messages = {**field.error_messages, "required": self.MISSING[name]}


class PasswordResetForm(SaysWhatIsMissing, FirstFieldFocus, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(SaysWhatIsMissing, FirstFieldFocus, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(SaysWhatIsMissing, FirstFieldFocus, auth_forms.PasswordChangeForm):
    pass
