from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch, Programme, Student


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


LTR = {"dir": "ltr"}
LTR_NUMBER = {"dir": "ltr", "inputmode": "numeric"}
CODE_HELP = _("Letters, digits and hyphens, as the students and grades files write it.")


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code"), max_length=16, help_text=CODE_HELP, widget=forms.TextInput(attrs=LTR)
    )


def _credits_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, widget=forms.TextInput(attrs=LTR_NUMBER))


class ProgrammeForm(forms.Form):
    """Plain fields: the catalogue service checks the rules and answers by the field."""

    code = _code_field()
    level = forms.ChoiceField(label=_("Level"), choices=Programme.Level.choices)
    specialisation_ar = forms.CharField(label=_("Specialisation (Arabic)"), max_length=200)
    specialisation_en = forms.CharField(
        label=_("Specialisation (English)"), max_length=200, widget=forms.TextInput(attrs=LTR)
    )
    credits_required = _credits_field(_("Credits to graduate"))


class IntakeForm(forms.Form):
    code = _code_field()
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"})
    )


class CourseForm(forms.Form):
    code = _code_field()
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, widget=forms.TextInput(attrs=LTR)
    )
    credits = _credits_field(_("Credits"))
