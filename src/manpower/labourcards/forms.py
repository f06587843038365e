from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manpower.core.forms import OccupationCodeField, SelectAutocomplete, choose
from manpower.core.identifiers import (
    normalise_civil_number,
    normalise_passport_number,
    validate_civil_number,
    validate_passport_number,
)
from manpower.core.models import Nationality

from .conf import TRANSFER_REASONS
from .models import LabourCard


class CardListForm(forms.Form):
    """The cards page's search box and filter (a GET form: a bad value just means no filter)."""

    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        help_text=_("A worker's name, or a card, resident card or passport number."),
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All open cards")),
            ("due", _("Cards to renew (expiring or expired)")),
            ("expired", _("Expired")),
            ("no-card", _("Workers without a card")),
        ],
    )


class IssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Card kind"),
        choices=LabourCard.Kind.choices,
        error_messages=choose(_("Choose the kind of labour card.")),
    )
    resident_card_number = forms.CharField(
        label=_("Resident card number"),
        help_text=_("Leave it empty if the police have not issued it yet."),
        max_length=20,
        required=False,
        validators=[validate_civil_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )

    def __init__(self, *args, household: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if household:  # a household's domestic workers hold private cards only
            self.fields["kind"].choices = [(LabourCard.Kind.PRIVATE, LabourCard.Kind.PRIVATE.label)]
            self.fields["kind"].initial = LabourCard.Kind.PRIVATE


class ModificationForm(forms.Form):
    """The worker's data as it is now; the service changes only what differs."""

    name_ar = forms.CharField(
        label=_("Name (Arabic)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
        error_messages={"required": _("Enter the worker's name in English, as in the passport.")},
    )
    civil_number = forms.CharField(
        label=_("Resident card number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    nationality = forms.ModelChoiceField(
        label=_("Nationality"),
        queryset=Nationality.objects.exclude(code="OMN").order_by("name_en", "code"),
        widget=SelectAutocomplete(source="api:nationalities"),
        error_messages={
            "required": _("Choose the worker's nationality."),
            "invalid_choice": _("Choose the worker's nationality from the list."),
        },
    )
    worker_status = forms.ChoiceField(
        label=_("Worker status"),
        choices=LabourCard.WorkerStatus.choices,
        error_messages=choose(_("Choose the worker's status from the list.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The select reads in the page's language: by the names it shows.
        by_name = "name_en" if (get_language() or "ar").startswith("en") else "name_ar"
        field = self.fields["nationality"]
        field.queryset = field.queryset.order_by(by_name, "code")

    @classmethod
    def for_card(cls, card: LabourCard, data=None):
        person = card.employment.person
        return cls(
            data,
            initial={
                "name_ar": person.name_ar,
                "name_en": person.name_en,
                "civil_number": person.civil_number or "",
                "passport_number": person.passport_number,
                "nationality": person.nationality_id,
                "worker_status": card.worker_status,
            },
        )

    def clean_civil_number(self) -> str:
        """Checked here, by its field, as the service checks it (which would say it at the top)."""
        number = normalise_civil_number(self.cleaned_data["civil_number"])
        if number:
            validate_civil_number(number)
        return number

    def clean_passport_number(self) -> str:
        number = normalise_passport_number(self.cleaned_data["passport_number"])
        if number:
            validate_passport_number(number)
        return number


class TransferForm(forms.Form):
    """The new employer asks for a worker by resident card number."""

    resident_card_number = forms.CharField(
        label=_("Resident card number"),
        max_length=20,
        validators=[validate_civil_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        error_messages={"required": _("Enter the resident card number of the worker to transfer.")},
    )
    licence_number = forms.CharField(
        label=_("Your licence number"),
        max_length=20,
        error_messages={
            "required": _("Enter the number of your licence that has a vacancy for the worker.")
        },
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]+$",
                _("A licence number has letters, digits and hyphens only, e.g. WP-2026000123."),
            )
        ],
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    occupation = OccupationCodeField(label=_("Occupation"))
    basic_wage = forms.DecimalField(
        label=_("Basic wage (OMR)"),
        min_value=0,
        max_digits=9,
        decimal_places=3,
        error_messages={
            "required": _("Enter the worker's basic wage in rials."),
            "invalid": _("Enter the basic wage in rials, in digits, such as 350 or 350.500."),
            "min_value": _("The basic wage cannot be negative."),
            "max_decimal_places": _("Give the basic wage with at most 3 decimals (baisa)."),
            "max_digits": _("The basic wage is too large."),
            "max_whole_digits": _("The basic wage is too large."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        error_messages=choose(_("Choose the reason from the list.")),
        choices=[("", _("The current employer agrees"))] + list(TRANSFER_REASONS.items()),
    )
