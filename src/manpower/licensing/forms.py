"""Plain forms of the licensing pages; the rules are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.models import Nationality, Occupation

from .models import Gender, Kind


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of licence"), choices=Kind.choices)
    establishment = forms.ChoiceField(label=_("Establishment (commercial licence)"), required=False)

    def __init__(self, *args, establishments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].choices = [("", "—")] + [
            (e.cr_number, f"{e.cr_number} — {e.name}") for e in establishments
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.COMMERCIAL and not data.get("establishment"):
            self.add_error("establishment", _("Choose the establishment that recruits."))
        return data


class LineForm(forms.Form):
    occupation_code = forms.CharField(
        label=_("Occupation (ISCO-08 code)"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO code, e.g. IND)"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    count = forms.IntegerField(label=_("Workers"), min_value=1, max_value=999, required=False)

    MISSING = {
        "occupation_code": _("Enter the occupation's four-digit ISCO-08 code."),
        "nationality": _("Enter the nationality's three-letter code, e.g. IND."),
        "count": _("Enter the number of workers."),
    }

    def clean_occupation_code(self):
        code = self.cleaned_data["occupation_code"].strip()
        if code and not Occupation.objects.filter(code=code, level=Occupation.Level.UNIT).exists():
            raise forms.ValidationError(
                _("No occupation has the ISCO-08 code %(code)s."), params={"code": code}
            )
        return code

    def clean_nationality(self):
        code = self.cleaned_data["nationality"].strip().upper()
        if code and not Nationality.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No nationality has the code %(code)s."), params={"code": code}
            )
        return code

    def clean(self):
        """A line begun is a line to finish: each empty field of it says what it needs (a field
        already refused keeps its own message)."""
        data = super().clean()
        typed = {name: self.data.get(self.add_prefix(name), "").strip() for name in self.MISSING}
        if any(typed.values()):
            for name, message in self.MISSING.items():
                if not typed[name] and name not in self.errors:
                    self.add_error(name, message)
        return data


LineFormSet = forms.formset_factory(LineForm, extra=3, max_num=10)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve (reduce a line if needed)")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"granted_{line.pk}"] = forms.IntegerField(
                label=f"{line.occupation} — {line.nationality} — {line.get_gender_display()}",
                min_value=0,
                max_value=line.granted,
                initial=line.granted,
            )

    def granted(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"granted_{line.pk}"] for line in self.lines}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
