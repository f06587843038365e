from django import forms
from django.utils.translation import gettext_lazy as _


class SalaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Salary information file (SIF)"),
        help_text=_(
            "A CSV file in UTF-8 named SIF_<CR>_<BANK>_<YYYYMMDD>_<NNN>.csv, as your bank "
            "prepares it; with or without the label rows."
        ),
    )
