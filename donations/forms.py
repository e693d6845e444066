"""Public forms. They check the shape of what was typed; services decide what may be saved."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MESSAGE_MAX_LENGTH

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
OTHER = "other"


class RefusesNulForm(forms.Form):
    """Refuse a NUL byte in any submitted value, also in fields that would ignore it (a
    checkbox), so such a request saves nothing."""

    def clean(self):
        cleaned = super().clean()
        for values in self.data.lists() if hasattr(self.data, "lists") else self.data.items():
            if any("\x00" in str(value) for value in values[1]):
                raise ValidationError(_("The form contains a character that is not allowed."))
        return cleaned


class GiveForm(RefusesNulForm):
    target = forms.ChoiceField(label=_("What do you want to give to?"), widget=forms.RadioSelect)
    amount_preset = forms.ChoiceField(label=_("Amount"), required=False, widget=forms.RadioSelect)
    amount_other = forms.CharField(
        label=_("Other amount (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    donor_name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    is_anonymous = forms.BooleanField(
        label=_("Give anonymously (shown as 爱心人士)"), required=False
    )
    mobile = forms.CharField(
        label=_("Mobile number (optional)"),
        required=False,
        max_length=20,
        help_text=_("For your receipt and to look up your gifts later. Never shown publicly."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    receipt_wanted = forms.TypedChoiceField(
        label=_("Receipt"),
        choices=[("1", _("I want a receipt")), ("0", _("No receipt needed"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    provider = forms.ChoiceField(label=_("How do you want to pay?"), widget=forms.RadioSelect)
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, targets, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.fields["target"].choices = [(t.key, t.title) for t in targets]
        if targets:
            self.fields["target"].initial = targets[0].key
        presets = [(str(a), f"¥{a}") for a in settings.DONATIONS_PRESET_AMOUNTS]
        self.fields["amount_preset"].choices = [*presets, (OTHER, _("Other amount"))]
        self.fields["provider"].choices = [(p.name, p.label) for p in providers]
        if providers:
            self.fields["provider"].initial = providers[0].name

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not TOKEN_RE.match(token):
            raise ValidationError(_("This form has expired; please open the page again."))
        return token

    def clean(self):
        cleaned = super().clean()
        other = (cleaned.get("amount_other") or "").strip()
        preset = cleaned.get("amount_preset") or ""
        if other:
            cleaned["amount"] = other
        elif preset and preset != OTHER:
            cleaned["amount"] = preset
        elif "amount_preset" not in self.errors and "amount_other" not in self.errors:
            self.add_error("amount_other", _("Choose an amount or type another amount."))
        return cleaned


class LookupStartForm(RefusesNulForm):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class LookupCodeForm(RefusesNulForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
