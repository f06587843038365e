"""Forms of the inspection pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Inspection
from .absconding import DATE


class OpenForm(forms.Form):
    cr_number = forms.CharField(
        label=_("Commercial registration number"),
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    inspector = forms.TypedChoiceField(label=_("Inspector"), coerce=int)
    visit_date = forms.DateField(label=_("Visit date"), widget=DATE)

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [
            (u.pk, u.full_name_en or u.get_username()) for u in inspectors
        ]


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=Inspection.Result.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
