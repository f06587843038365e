"""Forms of the work-abandonment pages: plain forms, the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import choose, civil_number_field, cr_number_field
from manpower.core.identifiers import normalise_civil_number

from ..models import DisputeRecord

DATE = forms.DateInput(attrs={"type": "date", "dir": "ltr"})


class ReportForm(forms.Form):
    employment = forms.TypedChoiceField(label=_("Worker"), coerce=int)
    last_working_date = forms.DateField(label=_("Last working day"), widget=DATE)
    salary_proof = forms.FileField(
        label=_("Proof of the salaries missing from the Wage Protection System (PDF)"),
        required=False,
        help_text=_("Needed only for months the Wage Protection System has no salary for."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    return_ticket = forms.BooleanField(
        label=_("I undertake to pay the worker's return ticket"), required=False
    )

    def __init__(self, *args, workers=(), pdf_accepted=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not pdf_accepted:  # the Wage Protection System's files are the proof
            del self.fields["salary_proof"]
        self.fields["employment"].choices = [
            (e.pk, f"{e.person.name} — {e.person.civil_number or e.person.passport_number}")
            for e in workers
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the report")), ("reject", _("Reject the report"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject."),
    )


class ObjectionForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why the report is wrong"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ObjectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold: revoke the report")),
            ("unjustified", _("Unjustified: fine the worker")),
        ],
        widget=forms.RadioSelect,
    )
    fine = forms.IntegerField(
        label=_("Fine (RO, whole rials)"),
        required=False,
        help_text=_("From RO 400 to RO 800, for an unjustified objection."),
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeForm(forms.Form):
    """A criminal case or debt claim, found by the establishment and the worker."""

    cr_number = cr_number_field(_("Establishment's commercial registration number"))
    civil_number = civil_number_field(_("Worker's civil or resident card number"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose the kind"))] + DisputeRecord.Kind.choices,
        error_messages=choose(_("Choose the kind of dispute from the list.")),
    )
    started_date = forms.DateField(label=_("Date it began"), widget=DATE)
    reference = forms.CharField(
        label=_("Police or court reference"),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    description = forms.CharField(
        label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_civil_number(self):
        return normalise_civil_number(self.cleaned_data["civil_number"])

    def clean_cr_number(self):
        return self.cleaned_data["cr_number"].strip()
