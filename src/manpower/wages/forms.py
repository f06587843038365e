from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Exemption


class SalaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Salary information file (SIF)"),
        help_text=_(
            "A CSV file in UTF-8 as your bank prepares it, named like "
            "SIF_1234567_BMUS_20261103_001.csv (CR number, bank code, date, serial); with or "
            "without the label rows."
        ),
    )


class ExemptionForm(forms.Form):
    """An officer exempts a worker of an establishment from the wage checks for a period."""

    cr_number = forms.CharField(label=_("Commercial registration number"), max_length=10)
    civil_number = forms.CharField(label=_("Worker's civil or resident card number"), max_length=12)
    reason = forms.ChoiceField(label=_("Reason"), choices=Exemption.Reason.choices)
    note = forms.CharField(
        label=_("Why (the case, the decision)"), max_length=300, widget=forms.Textarea
    )
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
