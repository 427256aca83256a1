"""The principal's and the security officer's reports: the queries, the day
chart as server-made SVG, and the rows for CSV and XLSX export."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Incident, IncidentStatus
from audit.models import AuditAction, AuditEvent, AuditOutcome
from school_portal import spreadsheets

SECTION_ROWS = 20
TOP_READERS = 10
READING = [
    AuditAction.VIEW,
    AuditAction.DOWNLOAD,
    AuditAction.PRINT,
    AuditAction.COPY,
    AuditAction.EXPORT,
]
# A spreadsheet runs a cell that starts with one of these as a formula.


def school_hours() -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(v) for v in settings.PORTAL_SCHOOL_HOURS)
    except (TypeError, ValueError):
        start = end = None
    if start is None or start >= end:
        raise ImproperlyConfigured(
            "PORTAL_SCHOOL_HOURS must be two times, start before end, e.g. 08:00,18:00"
        )
    return start, end


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(1), time.min))

    def days(self) -> list[date]:
        return [
            self.first + timedelta(n) for n in range((self.last - self.first).days + 1)
        ]

    def local(self, day: date, at: time) -> datetime:
        """That local time of that day, as an aware datetime."""
        return timezone.make_aware(datetime.combine(day, at))

    def day_starts(self) -> list[datetime]:
        """Where each local day of the period begins, and where the last ends."""
        return [self.local(day, time.min) for day in self.days()] + [self.end]


def _findable(*, user, period: Period):
    """The people a name search of this reader may find: those who acted in the
    period (the report names them anyway) and those the people policy lets the
    reader see. Nobody else's existence is told by a name search."""
    from accounts import access
    from accounts.models import User

    # Asked person by person on the (actor, at) index: short look-ups, where
    # "every actor of the period" read the whole period's trail.
    acted = AuditEvent.objects.filter(
        actor=OuterRef("pk"), at__gte=period.start, at__lt=period.end
    )
    seen = access.visible(user, "accounts.view_user", User.objects.all())
    return User.objects.filter(Q(Exists(acted)) | Q(pk__in=seen.values("pk")))


def person_with_username(*, user, text: str, period: Period):
    """The findable person whose username the text is, in any letter case, or
    None. One short query: a typed username need not read the whole school."""
    wanted = text.strip().casefold()
    if not wanted:
        return None
    candidates = (
        _findable(user=user, period=period)
        .filter(username__iexact=wanted)
        .order_by("last_name", "first_name", "pk")
    )
    return next((p for p in candidates if p.username.casefold() == wanted), None)


def people_matching(*, user, text: str, period: Period, limit: int) -> list:
    """Findable people (see _findable) whose name or username holds the text."""
    from accounts import selectors

    people = _findable(user=user, period=period)
    return selectors.people_named(people=people, text=text, limit=limit)


def events(*, filters: dict, period: Period) -> QuerySet[AuditEvent]:
    """The events the filters select, newest first."""
    found = AuditEvent.objects.filter(at__gte=period.start, at__lt=period.end)
    if filters.get("person"):
        found = found.filter(actor=filters["person"])
    if filters.get("role"):
        # Roles are kept as a JSON list of names; a quoted name matches one role.
        found = found.filter(actor_roles__icontains=f'"{filters["role"]}"')
    for name in ("action", "outcome", "target_type", "target_id"):
        if filters.get(name):
            found = found.filter(**{name: filters[name]})
    return found.order_by("-at", "-seq")


# Local time is worked out here, once per day of the period, and the database
# compares timestamps with those bounds: no time-zone function per event (SQLite
# has none; Django's stand-in parses every row in Python) and the index on
# ``at`` still serves. Exact for any time zone, summer time included. The SQL is
# written as text with its bounds as parameters: built from a Q or a When per
# day, the ORM's own work cost more than the query (6 ms for a month's chart).
AT = '"audit_auditevent"."at"'


def _bound(moment: datetime):
    """A bound as the database compares it with the ``at`` column."""
    return connection.ops.adapt_datetimefield_value(moment)


def after_hours(found: QuerySet[AuditEvent], period: Period) -> QuerySet[AuditEvent]:
    """Outside school hours (local time) or at the weekend: the stretches of
    the period between one school day's end and the next one's start, each a
    range the database finds on its index."""
    start, end = school_hours()
    stretches, since = [], period.start
    for day in period.days():
        if day.isoweekday() < 6:
            stretches.append((since, period.local(day, start)))
            since = period.local(day, end)
    stretches.append((since, period.end))
    sql = " OR ".join([f"({AT} >= %s AND {AT} < %s)"] * len(stretches))
    params = [_bound(moment) for stretch in stretches for moment in stretch]
    # Only constant text and integers in the SQL; every bound is a parameter.
    stretch = RawSQL(f"({sql})", params, output_field=BooleanField())  # noqa: S611
    return found.filter(stretch)


def official_use(found: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return found.filter(details__official_use=True)


def activity_by_day(found: QuerySet[AuditEvent], period: Period) -> list[tuple]:
    """Events per local day, counted in one query: each event is numbered by
    the day it falls in, found by halving the period (five comparisons for a
    month, nine for a year) against the days' bounds."""
    days, bounds = period.days(), period.day_starts()
    params = []

    def day_of(first: int, last: int) -> str:  # the days first..last-1
        if last - first == 1:
            return str(first)
        middle = (first + last) // 2
        params.append(_bound(bounds[middle]))
        before, after = day_of(first, middle), day_of(middle, last)
        return f"CASE WHEN {AT} < %s THEN {before} ELSE {after} END"

    day = RawSQL(day_of(0, len(days)), params, output_field=IntegerField())  # noqa: S611
    counts = dict(
        found.order_by()
        .annotate(day=day)
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return [(day, counts.get(n, 0)) for n, day in enumerate(days)]


def top_readers(found: QuerySet[AuditEvent]) -> list[dict]:
    # The cheap test first: SQLite reads the JSON details only of the reads.
    return list(
        official_use(found.filter(action__in=READING))
        .order_by()
        .values("actor_label")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_label")[:TOP_READERS]
    )


def sections(found: QuerySet[AuditEvent], period: Period) -> dict:
    """The report's fixed sections: one query each, whatever the data."""
    return {
        "top_readers": top_readers(found),
        "after_hours": list(official_use(after_hours(found, period))[:SECTION_ROWS]),
        "failed_logins": list(
            found.filter(action__in=[AuditAction.LOGIN_FAILED, AuditAction.LOCKED_OUT])[
                :SECTION_ROWS
            ]
        ),
        "denied": list(
            found.filter(outcome=AuditOutcome.DENIED).exclude(
                action__in=[AuditAction.LOGIN_FAILED, AuditAction.LOCKED_OUT]
            )[:SECTION_ROWS]
        ),
    }


def breach_reports(*, filters: dict, period: Period) -> list:
    """Account-breach reports (5.2.3) of the period, and every one still open,
    each with where it stands against its working-day deadline."""
    incidents = Incident.objects.filter(
        Q(opened_at__gte=period.start, opened_at__lt=period.end)
        | Q(status=IncidentStatus.OPEN)
    )
    if filters.get("person"):
        incidents = incidents.filter(reporter=filters["person"])
    rows = list(
        incidents.select_related("reporter").order_by("-opened_at")[:SECTION_ROWS]
    )
    now = timezone.now()
    for incident in rows:
        if incident.status == IncidentStatus.OPEN:
            incident.deadline = "overdue" if incident.due_at < now else "open"
        elif incident.closed_at and incident.closed_at > incident.due_at:
            incident.deadline = "late"
        else:
            incident.deadline = "in_time"
    return rows


def chart_svg(days: list[tuple[date, int]]) -> SafeString:
    """Bars of events per day, as inline SVG: no script, scales to the screen."""
    bar, gap, height = 10, 2, 100
    top = max((n for _day, n in days), default=0) or 1
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                i * (bar + gap),
                height - round(n * height / top),
                bar,
                round(n * height / top),
                date_format(day, "SHORT_DATE_FORMAT"),
                n,
            )
            for i, (day, n) in enumerate(days)
        ),
    )
    width = max(len(days) * (bar + gap), bar)
    total = sum(n for _day, n in days)
    label = ngettext(
        "Events by day over %(days)s day: %(total)s in all, at most %(top)s a day",
        "Events by day over %(days)s days: %(total)s in all, at most %(top)s a day",
        len(days),
    ) % {
        "total": total,
        "days": len(days),
        "top": top if total else 0,
    }
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" preserveAspectRatio="none" '
        'role="img" aria-label="{}"><title>{}</title>{}</svg>',
        width,
        height,
        label,
        label,
        bars,
    )


# How the report shows what an action changed


@dataclass(frozen=True)
class Change:
    """One field of what an event changed, as the reader sees it."""

    field: str
    old: str
    new: str
    row: str = ""  # the row django-auditlog logged, when not the event's object

    def __str__(self) -> str:
        line = f"{self.field}: {self.old} → {self.new}"
        return f"{self.row} · {line}" if self.row else line


NOTHING = "—"


def changes(event: AuditEvent) -> list[Change]:
    """The event's ``old``/``new`` (AuditEvent.details), then each row of its
    ``field_log``, field by field, labelled in the reader's language."""
    details = event.details if isinstance(event.details, dict) else {}
    found = _changed_fields(event.target_type, details)
    for line in details.get("field_log") or []:
        if isinstance(line, dict):
            found += _changed_fields(
                line.get("target_type", ""), line, row=_row_name(line)
            )
    return found


def _changed_fields(target_type: str, holder: dict, row: str = "") -> list[Change]:
    old, new = holder.get("old"), holder.get("new")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    model = _model(target_type)
    return [
        Change(
            field=_field_label(model, name),
            old=_shown(model, name, old.get(name)),
            new=_shown(model, name, new.get(name)),
            row=row,
        )
        for name in dict.fromkeys([*old, *new])
    ]


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(model, name: str) -> str:
    field = _field(model, name)
    return str(capfirst(getattr(field, "verbose_name", None) or name))


def _row_name(line: dict) -> str:
    model = _model(line.get("target_type", ""))
    name = str(model._meta.verbose_name) if model else line.get("target_type", "")
    return f"{capfirst(name)} #{line.get('target_id', '')}"


def _shown(model, name: str, value) -> str:
    # django-auditlog keeps an empty value as the text "None".
    if value in (None, "", "None", [], {}):
        return NOTHING
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    field = _field(model, name)
    if isinstance(field, DateField) and isinstance(value, str):
        return _date_shown(value, with_time=isinstance(field, DateTimeField))
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def _date_shown(value: str, *, with_time: bool) -> str:
    """A kept date or time as the portal shows dates: 26.08.2022 14:05, school
    time. django-auditlog keeps a time as naive UTC ("2026-12-03 06:01:55.79"),
    the services as ISO with its offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if not with_time:
        return date_format(moment.date(), "SHORT_DATE_FORMAT")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def export_header() -> list[str]:
    return [
        _("Number"),
        _("Time"),
        _("Person"),
        _("Roles"),
        _("Action"),
        _("Outcome"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Address"),
        _("Request"),
        _("Changes"),
        _("Details"),
    ]


def export_rows(found: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    """The header and one row per event. A streamed response reads this after
    the view has returned, so the person's language is captured now."""
    return _rows(found, translation.get_language())


def _rows(found: QuerySet[AuditEvent], language: str) -> Iterator[list[str]]:
    with translation.override(language):
        yield export_header()
        for event in found.iterator(chunk_size=2000):
            yield _row(event)


def _row(event: AuditEvent) -> list:
    return [
        event.seq,
        event.at,  # to the second (spreadsheets, seconds=True)
        event.actor_label,
        ", ".join(event.actor_roles),
        event.get_action_display(),
        event.get_outcome_display(),
        event.target_type,
        event.target_id,
        event.target_label,
        event.client_address,
        event.request_id,
        "; ".join(str(change) for change in changes(event)),
        json.dumps(event.details, ensure_ascii=False, sort_keys=True)
        if event.details
        else "",
    ]


def xlsx_bytes(rows: Iterable[list]) -> bytes:
    return spreadsheets.xlsx_bytes(rows, title=_("Audit report"), seconds=True)


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    return spreadsheets.csv_lines(rows, seconds=True)
