import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import normalize_phone, validate_mainland_mobile

from .models import Availability, Skill, Volunteer
from .selectors import volunteer_stations


class DateInput(forms.DateInput):
    """A browser date field. Its value must be ISO 8601 (2026-11-29) in every language: a
    localised value such as 2026/11/29 shows as empty, and a required field then blocks."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return value


class JoinForm(forms.Form):
    """The resident's registration form; the service does the checks that need the database."""

    real_name = forms.CharField(label=_("Real name"), max_length=50)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Volunteer.Gender.choices, widget=forms.RadioSelect
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        validators=[validate_mainland_mobile],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits. You sign in with it."),
    )
    id_number = forms.CharField(
        label=_("Resident ID number (optional)"),
        max_length=18,
        required=False,
        help_text=_("Needed for certificates and insurance; stored encrypted, shown masked."),
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    home_station = forms.ModelChoiceField(
        label=_("Home station"), queryset=volunteer_stations(), empty_label=_("Choose a station")
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When you can serve"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_note = forms.CharField(
        label=_("Other notes on your time"), max_length=200, required=False
    )
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=50)
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_phone = forms.CharField(
        label=_("Guardian's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    guardian_consent = forms.BooleanField(
        label=_("My guardian agrees to my volunteering"), required=False
    )
    guardian_data_consent = forms.BooleanField(
        label=_("My guardian agrees to the processing of my personal information (under 14)"),
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice"),
        error_messages={"required": _("Please read and agree to the privacy notice to register.")},
    )

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data["mobile"]).replace("-", "")


class LoginForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        cleaned = super().clean()
        mobile = normalize_phone(cleaned.get("mobile", "")).replace("-", "")
        password = cleaned.get("password")
        if mobile and password:
            volunteer = Volunteer.objects.select_related("user").filter(mobile=mobile).first()
            user = None
            if volunteer is not None and volunteer.user is not None:
                user = authenticate(
                    self.request, username=volunteer.user.username, password=password
                )
            if user is None:
                raise forms.ValidationError(
                    _("The mobile number or the password is wrong; please try again.")
                )
            self.user = user
        return cleaned


class ReportHoursForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station served"), queryset=volunteer_stations())
    description = forms.CharField(label=_("What you did"), max_length=200)
    started_at = forms.DateTimeField(label=_("Started at"), widget=DateTimeInput)
    ended_at = forms.DateTimeField(label=_("Ended at"), widget=DateTimeInput)
    hours = forms.DecimalField(
        label=_("Hours of service (without travel)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
    )


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CorrectHoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class OpportunityFilterForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=volunteer_stations(),
        to_field_name="code",
        required=False,
        empty_label=_("All stations"),
    )
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput)
