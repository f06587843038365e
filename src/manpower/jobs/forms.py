"""The job-market pages' forms: plain forms (the services check the rules and answer at the
top); wages are typed in OMR and sent to the services in baisa."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import OccupationCodeField
from manpower.core.models import Governorate, Occupation, Wilayat

from .models import QualificationLevel

LTR_NUMBER = {"dir": "ltr", "inputmode": "numeric"}
DATE = {"type": "date", "dir": "ltr"}


def _money(label, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=10,
        decimal_places=3,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )


def _levels():
    return QualificationLevel.objects.order_by("rank")


class SearchForm(forms.Form):
    """The vacancy search (and the officers' job-seeker search): every field optional."""

    q = forms.CharField(label=_("Words"), max_length=100, required=False)
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        required=False,
        queryset=Occupation.objects.filter(level=Occupation.Level.UNIT).order_by("code"),
    )
    governorate = forms.ModelChoiceField(
        label=_("Governorate"), required=False, queryset=Governorate.objects.order_by("code")
    )
    qualification = forms.ModelChoiceField(
        label=_("Qualification"), required=False, queryset=_levels()
    )
    wage = _money(_("Lowest wage wanted (OMR a month)"), required=False)
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class VacancyForm(forms.Form):
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    occupation = OccupationCodeField(label=_("Occupation"))
    qualification = forms.ModelChoiceField(label=_("Qualification required"), queryset=_levels())
    specialisation = forms.CharField(label=_("Specialisation"), max_length=200, required=False)
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=50,
        initial=0,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    governorate = forms.ModelChoiceField(
        label=_("Governorate"), queryset=Governorate.objects.order_by("code")
    )
    wilayat = forms.ModelChoiceField(
        label=_("Wilayat"),
        queryset=Wilayat.objects.select_related("governorate").order_by("governorate", "code"),
    )
    wage_min = _money(_("Lowest wage (OMR a month)"))
    wage_max = _money(_("Highest wage (OMR a month)"))
    posts = forms.IntegerField(
        label=_("Posts"),
        min_value=1,
        max_value=500,
        initial=1,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    closing_date = forms.DateField(label=_("Closing date"), widget=forms.DateInput(attrs=DATE))
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea({"rows": 4})
    )


class ProfileForm(forms.Form):
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=50,
        widget=forms.TextInput(attrs=LTR_NUMBER),
    )
    experience = forms.CharField(
        label=_("Experience"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3})
    )
    governorates = forms.ModelMultipleChoiceField(
        label=_("Preferred governorates"),
        required=False,
        queryset=Governorate.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    occupations = forms.CharField(
        label=_("Preferred occupations"),
        required=False,
        max_length=60,
        help_text=_("Four-digit ISCO-08 codes separated by spaces, at most ten."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def clean_occupations(self) -> list[str]:
        return self.cleaned_data["occupations"].replace(",", " ").split()


class QualificationForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=_levels())
    specialisation_en = forms.CharField(label=_("Specialisation (English)"), max_length=200)
    specialisation_ar = forms.CharField(
        label=_("Specialisation (Arabic)"), max_length=200, required=False
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=1950, max_value=2100, widget=forms.TextInput(attrs=LTR_NUMBER)
    )


class CvForm(forms.Form):
    cv = forms.FileField(label=_("CV (PDF)"), widget=forms.ClearableFileInput({"accept": ".pdf"}))


class InterviewForm(forms.Form):
    interview_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "dir": "ltr"}),
    )
    place = forms.CharField(label=_("Place"), max_length=300)


class OfferForm(forms.Form):
    wage = _money(_("Wage offered (OMR a month)"))
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs=DATE))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish the vacancy")), ("reject", _("Reject the vacancy"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea({"rows": 3})
    )
