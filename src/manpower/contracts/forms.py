"""The contract pages' forms: plain forms (the services check the rules and answer at the top);
amounts are typed in OMR and sent to the services in baisa."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import OccupationCodeField
from manpower.core.identifiers import normalise_civil_number, validate_civil_number
from manpower.core.models import Governorate, Wilayat

from . import conf
from .models import Contract

LTR_NUMBER = {"dir": "ltr", "inputmode": "numeric"}


def _money(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=12,
        decimal_places=3,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )


class TermsForm(forms.Form):
    """What an amendment may change (and a registration sets)."""

    occupation = OccupationCodeField(label=_("Occupation"))
    weekly_hours = forms.IntegerField(
        label=_("Working hours a week"),
        min_value=1,
        max_value=168,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    basic_wage = _money(_("Basic wage (OMR a month)"))
    allowances = _money(_("Allowances (OMR a month)"))


class RegistrationForm(TermsForm):
    civil_number = forms.CharField(
        label=_("Worker's civil number"),
        max_length=12,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    kind = forms.ChoiceField(label=_("Contract type"), choices=Contract.Kind.choices)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"})
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        help_text=_("Only for a fixed-term contract."),
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
    )
    probation_months = forms.IntegerField(
        label=_("Probation (months)"),
        min_value=0,
        max_value=24,
        initial=3,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    governorate = forms.ModelChoiceField(
        label=_("Governorate of work"), queryset=Governorate.objects.order_by("code")
    )
    wilayat = forms.ModelChoiceField(
        label=_("Wilayat of work"),
        queryset=Wilayat.objects.select_related("governorate").order_by("governorate", "code"),
    )

    field_order = [
        "civil_number",
        "occupation",
        "kind",
        "start_date",
        "end_date",
        "probation_months",
        "weekly_hours",
        "basic_wage",
        "allowances",
        "governorate",
        "wilayat",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probation_months"].help_text = _("At most %(months)s months.") % {
            "months": conf.PROBATION_MAX_MONTHS.value
        }

    def clean_civil_number(self) -> str:
        number = normalise_civil_number(self.cleaned_data["civil_number"])
        validate_civil_number(number)
        return number


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({"rows": 3}))


class ResignationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


class ObjectionForm(forms.Form):
    objection = forms.CharField(
        label=_("Your objection"),
        max_length=4000,
        help_text=_("Say why the termination is not justified."),
        widget=forms.Textarea({"rows": 5}),
    )


class TerminationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Lawful ground"))
    last_day = forms.DateField(
        label=_("Last working day"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"})
    )
    reason = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [
            (code, conf.GROUNDS.get(code, code)) for code in conf.TERMINATION_GROUNDS.value
        ]


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the contract")), ("reject", _("Reject the contract"))],
        widget=forms.RadioSelect,
    )
