from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import previous_complete
from .registry import kind_choices
from .selectors import funds_for, hosts_for, projects_for, stations_for


class DateInput(forms.DateInput):
    """A browser date field. Its value must be ISO 8601 (2026-11-29) in every language: a
    localised value such as 2026/11/29 shows as empty, and a required field then blocks."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class AdHocReportForm(forms.Form):
    """Kind, scope (the user's own stations and funds only) and period of an ad-hoc report."""

    kind = forms.ChoiceField(label=_("kind"))
    station = forms.ModelChoiceField(
        label=_("station"),
        queryset=None,
        required=False,
        help_text=_("For a station report: the station and everything below it."),
    )
    fund = forms.ModelChoiceField(
        label=_("fund"), queryset=None, required=False, help_text=_("For a fund report.")
    )
    project = forms.ModelChoiceField(
        label=_("project"), queryset=None, required=False, help_text=_("For a project report.")
    )
    host = forms.TypedChoiceField(
        label=_("host charity"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For the host's annual work report: covers all the host's funds."),
    )
    period_start = forms.DateField(label=_("first day"), widget=DateInput)
    period_end = forms.DateField(label=_("last day"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["station"].queryset = stations_for(user)
        self.fields["fund"].queryset = funds_for(user)
        self.fields["project"].queryset = projects_for(user)
        self._hosts = {host.pk: host for host in hosts_for(user)}
        self.fields["host"].choices = [("", "---------")] + [
            (pk, host.name) for pk, host in self._hosts.items()
        ]
        last_month = previous_complete("month", timezone.localdate())
        self.fields["period_start"].initial = last_month.start
        self.fields["period_end"].initial = last_month.end

    def clean_host(self):
        host_id = self.cleaned_data.get("host")
        return self._hosts.get(host_id) if host_id is not None else None


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("correction note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the new version: say what was wrong and what changed."),
    )
