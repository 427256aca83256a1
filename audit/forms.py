from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditAction, AuditOutcome
from audit.reports import Period
from school_portal.widgets import DateInput

DEFAULT_DAYS = 30
MAX_DAYS = 366
ANY = [("", _("Any"))]


class ReportFilterForm(forms.Form):
    """The report's filters, read from the query string. Bad values are form
    errors: a report never fails on what someone typed into the address bar."""

    # Typed, not chosen from a list: a list of every person of a big school
    # would weigh more than the rest of the page and take long to draw.
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.all(),
        to_field_name="username",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Their username, for example teacher."),
        error_messages={"invalid_choice": _("No one has this username.")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ANY + Role.choices, required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=ANY + AuditAction.choices, required=False
    )
    target_type = forms.RegexField(
        label=_("Object type"),
        regex=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
        max_length=100,
        required=False,
        help_text=_("For example accounts.user"),
        error_messages={"invalid": _("Write it as app.model, e.g. accounts.user.")},
    )
    target_id = forms.RegexField(
        label=_("Object id"),
        regex=r"^[A-Za-z0-9_-]+$",
        max_length=64,
        required=False,
        error_messages={"invalid": _("Only letters, digits, - and _.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput,
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput,
        help_text=_("Without dates: the last 30 days."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ANY + AuditOutcome.choices, required=False
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        today = timezone.localdate()
        if first is None and last is None:
            last = today
        if last is None:
            last = max(first, today)
        if first is None:
            first = last - timedelta(DEFAULT_DAYS - 1)
        if first > last:
            self.add_error("date_to", _("The end is before the start."))
        elif (last - first).days >= MAX_DAYS:
            self.add_error("date_to", _("Choose at most a year."))
        else:
            data["period"] = Period(first, last)
        return data

    def as_details(self) -> dict:
        """The filters as they go into the audit event of viewing the report."""
        data = self.cleaned_data
        details = {
            name: str(data[name])
            for name in ("role", "action", "target_type", "target_id", "outcome")
            if data.get(name)
        }
        if data.get("person"):
            details["person"] = data["person"].pk
        period = data["period"]
        details["from"] = period.first.isoformat()
        details["until"] = period.last.isoformat()
        return details
