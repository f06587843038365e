"""Plain forms of the licensing pages; the rules are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import NationalityCodeField, OccupationCodeField, choose

from .models import Gender, Kind


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of licence"),
        choices=Kind.choices,
        error_messages=choose(_("Choose the kind of licence: commercial or private.")),
    )
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
    occupation_code = OccupationCodeField(label=_("Occupation"), required=False)
    nationality = NationalityCodeField(label=_("Nationality"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        required=False,
        error_messages=choose(_("Choose the workers' gender from the list.")),
    )
    count = forms.IntegerField(
        label=_("Workers"),
        min_value=1,
        max_value=999,
        required=False,
        error_messages={
            "invalid": _("Enter the number of workers in digits, such as 2."),
            "min_value": _("The number of workers is at least %(limit_value)s."),
            "max_value": _("The number of workers is at most %(limit_value)s on one line."),
        },
    )

    MISSING = {
        "occupation_code": OccupationCodeField.default_error_messages["required"],
        "nationality": NationalityCodeField.default_error_messages["required"],
        "count": _("Enter the number of workers."),
    }

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
        error_messages=choose(_("Choose whether to approve or reject the application.")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": _("Give the reason for the decision: the employer reads it.")},
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"granted_{line.pk}"] = forms.IntegerField(
                label=f"{line.occupation} — {line.nationality} — {line.get_gender_display()}",
                min_value=0,
                max_value=line.granted,
                initial=line.granted,
                error_messages={
                    "required": _("Enter the number of workers granted on this line."),
                    "invalid": _("Enter the number of workers granted in digits, such as 3."),
                    "min_value": _("The number granted is 0 or more."),
                    "max_value": _(
                        "A line can be reduced, not raised: grant %(limit_value)s workers at most."
                    ),
                },
            )

    def granted(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"granted_{line.pk}"] for line in self.lines}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason for cancelling the licence.")},
    )
