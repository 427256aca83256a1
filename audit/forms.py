from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import Role
from audit import reports
from audit.models import AuditAction, AuditOutcome
from audit.reports import Period
from school_portal.widgets import DateInput

DEFAULT_DAYS = 30
MAX_DAYS = 366
ANY = [("", _("Any"))]
# A name that matches more people than this asks for more of the name.
MAX_MATCHES = 20


class ReportFilterForm(forms.Form):
    """The report's filters, read from the query string. Bad values are form
    errors: a report never fails on what someone typed into the address bar."""

    # Typed, not chosen from a list: a list of every person of a big school
    # would weigh more than the rest of the page and take long to draw. Part
    # of a name is enough; when several people match, they are offered.
    person = forms.CharField(
        label=_("Person"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("A name, part of it or a username, for example Асанова."),
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

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # (person, query string that picks them) when a name matched several.
        self.matches: list[tuple[User, str]] = []

    def clean(self):
        data = super().clean()
        text = data.pop("person", "")
        data = self._clean_period(data)
        if text and "period" in data:
            data["person"] = self._person(text, data["period"])
        return data

    def _person(self, text: str, period: Period) -> User | None:
        """The one person the text names among those the report may name."""
        # A username typed whole wins over partial matches (as below): asked first.
        exact = reports.person_with_username(user=self.user, text=text, period=period)
        if exact is not None:
            return exact
        found = reports.people_matching(
            user=self.user, text=text, period=period, limit=MAX_MATCHES + 1
        )
        exact = found and found[0].username.casefold() == text.strip().casefold()
        if len(found) == 1 or exact:
            return found[0]
        if not found:
            self.add_error(
                "person", _("No one whom this report may name matches this name.")
            )
            return None
        self.add_error(
            "person",
            ngettext(
                "More than %(count)d person matches: type more of the name.",
                "More than %(count)d people match: type more of the name.",
                MAX_MATCHES,
            )
            % {"count": MAX_MATCHES}
            if len(found) > MAX_MATCHES
            else _("Several people match: choose one."),
        )
        for person in found[:MAX_MATCHES]:
            query = self.data.copy()
            query.pop("page", None)
            query["person"] = person.username
            self.matches.append((person, query.urlencode()))
        return None

    def _clean_period(self, data):
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
