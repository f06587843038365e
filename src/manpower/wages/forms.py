from django import forms
from django.utils.translation import gettext_lazy as _


class SalaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Salary information file (SIF)"),
        help_text=_(
            "A CSV file in UTF-8 as your bank prepares it, named like "
            "SIF_1234567_BMUS_20261103_001.csv (CR number, bank code, date, serial); with or "
            "without the label rows."
        ),
    )
