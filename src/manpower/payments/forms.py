"""The Sanad counter's two forms: find an invoice by its number, confirm the money is in hand.
Both are checked here (the pages are `novalidate`: no browser bubble in another language)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CounterFindForm(forms.Form):
    number = forms.CharField(
        label=_("Invoice number"),
        max_length=40,
        help_text=_("For example INV-1A2B3C4D5E"),
        error_messages={
            "required": _("Enter the invoice number that the payer gives you."),
            "max_length": _("An invoice number has at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )


class CounterPaymentForm(forms.Form):
    received = forms.BooleanField(
        label=_("Money received"),
        error_messages={
            "required": _("Tick the box once you have received the amount from the payer."),
        },
    )
