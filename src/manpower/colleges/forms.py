from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch, Student


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV with a header line. Students: civil_number,name_ar,name_en,programme,"
            "intake. Grades: civil_number,course,term,grade."
        ),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in Student.Status if s != Student.Status.GRADUATED],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
