"""The code boxes of the reference lists (ISCO-08 occupations, nationalities) that every portal
form uses: one widget, drawn as the plain field and turned into an autocomplete by the portal's
`autocomplete.js` (the ARIA 1.2 combobox pattern over the `/api/v1/reference/…?q=` search).

Without JavaScript the field is what it was: a code box (or a select for the nationalities)
that the server checks. The server also takes words of the name, as the script would search
them: one match is that code, several are listed in the error so the person can pick one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import selectors
from .errors import DomainError
from .models import Nationality, Occupation

NUMBER_PAD = {"dir": "ltr", "inputmode": "numeric"}
# Matches named in the error of an ambiguous name typed without the script.
SUGGESTIONS = 5


def _folded(name: str) -> str:
    return selectors.normalise_search(name).upper()


def choose(message) -> dict:
    """The error messages of a list to choose from: nothing chosen, or a value not in it (which
    only a hand-made request sends); one message names the field for both."""
    return {"required": message, "invalid_choice": message}


def add_refusal(form: forms.Form, error: DomainError, fields: Mapping[str, str]) -> None:
    """A service's refusal shown by the field it is about, found by its stable code in
    `fields`; at the top of the form when it is about the whole request."""
    form.add_error(fields.get(error.code), error.text())


def render_form(
    request: HttpRequest, template: str, context: dict, *forms: forms.Form | None
) -> HttpResponse:
    """A page of forms, answered 400 when one that was sent is refused, so that the browser's
    history, the logs and the tests see a refusal and not a page like any other."""
    refused = any(form is not None and form.errors for form in forms)
    return render(request, template, context, status=400 if refused else 200)


def civil_number_field(label) -> forms.CharField:
    """A civil or resident card number box: left to right, with the phone's number pad."""
    return forms.CharField(label=label, max_length=12, widget=forms.TextInput(attrs=NUMBER_PAD))


def cr_number_field(label) -> forms.CharField:
    """A commercial registration number box, like the civil number's."""
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=NUMBER_PAD))


class AutocompleteMixin:
    """The attributes the script reads: where to search, and what to announce (in the page's
    language) to a screen reader as the list changes."""

    def __init__(self, *, source: str, query: str = "", attrs=None, **kwargs):
        self.source, self.query = source, query
        super().__init__(attrs=attrs, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse(self.source) + (f"?{self.query}" if self.query else "")
        context["widget"]["attrs"].update(
            {
                "data-autocomplete": url,
                "data-autocomplete-results": _(
                    "Matches: %(count)s. Move through them with the up and down arrow keys, "
                    "choose one with Enter."
                ),
                "data-autocomplete-none": _("Nothing matches. Try other words, or the code."),
                "data-autocomplete-chosen": _("Chosen: %(choice)s"),
                "data-autocomplete-list": _("Matches"),
            }
        )
        return context


class CodeAutocomplete(AutocompleteMixin, forms.TextInput):
    """A code box; with the script, a person types words and picks a match, which fills in its
    code."""

    def __init__(self, *, source: str, query: str = "", attrs=None):
        base = {"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(source=source, query=query, attrs=base | (attrs or {}))


class SelectAutocomplete(AutocompleteMixin, forms.Select):
    """A select (a short list); with the script, a box to search it by words."""


class ReferenceCodeField(forms.CharField):
    """A code of a reference list, typed or chosen; cleans to the code (or "" when empty).

    Subclasses say which rows count (`rows`), how to search them (`matching`) and what to say
    (`default_error_messages`: required, no_match, several, and unknown if `looks_like_code`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", selectors.SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)

    def rows(self):
        raise NotImplementedError

    def matching(self, text: str) -> list:
        raise NotImplementedError

    def looks_like_code(self, text: str) -> bool:
        """A code that is not one of the list's: said so, rather than searched as words."""
        return False

    def to_python(self, value) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        code = _folded(text)
        if self.rows().filter(code=code).exists():
            return code
        if self.looks_like_code(code):
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": text}
            )
        matches = self.matching(text)
        # "الهند" names India and is also a part of "British Indian Ocean Territory".
        named = [row for row in matches if code in (_folded(row.name_ar), _folded(row.name_en))]
        if len(matches) == 1 or len(named) == 1:
            return (named or matches)[0].code
        if not matches:
            raise forms.ValidationError(
                self.error_messages["no_match"], code="no_match", params={"text": text}
            )
        listed = pgettext_lazy("list separator", "; ").join(
            f"{row.code} {row.name}" for row in matches[:SUGGESTIONS]
        )
        raise forms.ValidationError(
            self.error_messages["several"],
            code="several",
            params={"text": text, "matches": listed},
        )


class OccupationCodeField(ReferenceCodeField):
    """An ISCO-08 unit group (four digits), the level licences and jobs are recorded at."""

    default_error_messages = {
        "required": _("Enter the occupation's four-digit ISCO-08 code, or words of its name."),
        "unknown": _("No occupation has the ISCO-08 code %(code)s."),
        "no_match": _(
            "No occupation matches “%(text)s”. Try other words of its name in Arabic or "
            "English, or its four-digit ISCO-08 code."
        ),
        "several": _(
            "Several occupations match “%(text)s”: %(matches)s. Choose one, or type its code."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Type words of the occupation's name in Arabic or English and choose it, or "
                "type its four-digit code in ISCO-08, the International Standard "
                "Classification of Occupations."
            ),
        )
        kwargs.setdefault(
            "widget",
            CodeAutocomplete(source="api:occupations", query=f"level={Occupation.Level.UNIT}"),
        )
        super().__init__(**kwargs)

    def rows(self):
        return selectors.occupations(level=Occupation.Level.UNIT)

    def matching(self, text: str) -> list:
        return selectors.occupations_matching(text, level=Occupation.Level.UNIT)

    def looks_like_code(self, text: str) -> bool:
        return text.isdigit() and len(text) == 4


class NationalityCodeField(ReferenceCodeField):
    """A nationality by its ISO 3166-1 alpha-3 code (IND), or by the country's name."""

    default_error_messages = {
        "required": _("Enter the nationality: the country's name or its three-letter code."),
        "no_match": _(
            "No country matches “%(text)s”. Try its name in Arabic or English, or its "
            "three-letter code (IND for India)."
        ),
        "several": _(
            "Several countries match “%(text)s”: %(matches)s. Choose one, or type its code."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Type the country's name in Arabic or English and choose it, or type its "
                "three-letter ISO 3166 code, such as IND for India."
            ),
        )
        kwargs.setdefault("widget", CodeAutocomplete(source="api:nationalities"))
        super().__init__(**kwargs)

    def rows(self):
        return Nationality.objects.all()

    def matching(self, text: str) -> list:
        """ "IND" that is not a code is searched too: it starts "India" and "Indonesia"."""
        return selectors.nationalities_matching(text)
