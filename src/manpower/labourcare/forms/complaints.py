"""The complaint pages' forms: plain forms (the services check the rules and answer at the top);
amounts are typed in OMR and sent to the services in baisa; evidence files are sent as they are
(their type is checked by their content in `storage.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import choose, civil_number_field, cr_number_field
from manpower.core.identifiers import normalise_civil_number

LTR = {"dir": "ltr"}
DATE = forms.DateInput(attrs={"type": "date", "dir": "ltr"})


def _money(label, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=12,
        decimal_places=3,
        required=required,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(EvidenceField, self).clean(item, initial) for item in files]


def _category_choices(categories) -> list:
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.get_group_display(), []).append((category.code, category.name))
    return [("", _("Choose a category"))] + [(group, items) for group, items in groups.items()]


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), error_messages=choose(_("Choose the complaint's category."))
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    claimed_amount = _money(_("Amount claimed (OMR)"), required=False)
    arose_date = forms.DateField(
        label=_("Date the claim arose"),
        help_text=_("A claim lapses one year after it arises."),
        widget=DATE,
    )
    evidence = EvidenceField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPEG or PNG; at most 5 MB each and 10 files."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(categories)


class WorkerComplaintForm(ComplaintForm):
    field_order = ["employer"]
    employer = forms.ChoiceField(
        label=_("Employer"), error_messages=choose(_("Choose the employer you complain of."))
    )

    def __init__(self, *args, employments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [("", _("Choose the employer"))] + [
            (e.establishment.cr_number, f"{e.establishment.name} ({e.establishment.cr_number})")
            for e in employments
        ]


class EmployerComplaintForm(ComplaintForm):
    field_order = ["civil_number"]
    civil_number = civil_number_field(_("Worker's civil number"))

    def clean_civil_number(self):
        return normalise_civil_number(self.cleaned_data["civil_number"])


class EvidenceForm(forms.Form):
    evidence = EvidenceField(label=_("Evidence files"), help_text=_("PDF, JPEG or PNG."))


class AssignForm(forms.Form):
    officer = forms.ChoiceField(label=_("Officer"), error_messages=choose(_("Choose the officer.")))

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(str(o.pk), o.display_name) for o in officers]


class MeetingForm(forms.Form):
    meeting_at = forms.DateTimeField(
        label=_("Meeting date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "dir": "ltr"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200)


class SettleForm(forms.Form):
    amount = _money(_("Amount settled (OMR)"))
    due_date = forms.DateField(label=_("To be paid by"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class SanadComplaintForm(ComplaintForm):
    """A worker's complaint typed at a Sanad centre: the operator names both parties."""

    field_order = ["civil_number", "employer", "identity_checked"]
    civil_number = civil_number_field(_("Worker's civil or resident card number"))
    employer = cr_number_field(_("Employer's commercial registration number"))
    identity_checked = forms.BooleanField(
        label=_("I have seen the worker's identity card and the worker asks for this complaint"),
        error_messages={"required": _("Check the worker's identity card first.")},
    )

    def clean_civil_number(self):
        return normalise_civil_number(self.cleaned_data["civil_number"])


class PostingForm(forms.Form):
    """Post a labour-care officer, named by their user name, to a governorate."""

    username = forms.CharField(
        label=_("Officer's user name"), max_length=150, widget=forms.TextInput(attrs=LTR)
    )
    governorate = forms.ChoiceField(
        label=_("Governorate"), error_messages=choose(_("Choose the governorate."))
    )
    is_supervisor = forms.BooleanField(label=_("As a supervisor"), required=False)

    def __init__(self, *args, governorates, supervisors: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].choices = [("", _("Choose the governorate"))] + [
            (g.pk, g.name) for g in governorates
        ]
        if not supervisors:
            del self.fields["is_supervisor"]
