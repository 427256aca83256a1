"""seed_demo's trail: weeks of events, a sound chain, the cases the report shows."""

import csv
import io
from collections import Counter

from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Appointment, User
from audit import demo, reports, services
from audit.auditlog import COPIES
from audit.models import AuditAction, AuditEvent
from audit.reports import Period

DEMO_PASSWORD = "demo-password-for-tests"


def test_the_demo_trail_is_plausible_sound_and_seeded_once(db):
    accounts_demo.seed(password="demo-password-for-tests")

    added = demo.seed()

    assert added > 100
    assert demo.seed() == 0
    seeded = AuditEvent.objects.filter(request_id__startswith="demo-")
    assert seeded.count() == added
    assert seeded.filter(action=AuditAction.LOGIN_FAILED, actor=None).exists()
    assert seeded.filter(action=AuditAction.DENIED).exists()
    first = min(seeded.values_list("at", flat=True))
    last = max(seeded.values_list("at", flat=True))
    assert (last - first).days >= 14
    period = Period(timezone.localdate(first), timezone.localdate(last))
    found = reports.events(filters={}, period=period)
    late = list(reports.after_hours(reports.official_use(found), period))
    assert [(e.actor.username, timezone.localtime(e.at).hour) for e in late] == [
        ("records", 21)
    ]
    assert services.verify_trail().ok


def test_the_demo_schools_trail_names_every_business_action(client, db):
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())

    generic = AuditEvent.objects.filter(action__in=COPIES.values())
    assert list(generic.values_list("action", "target_type")) == []
    # Every row django-auditlog logged is carried by exactly one business event.
    carried = Counter(
        line["entry"]
        for details in AuditEvent.objects.values_list("details", flat=True)
        for line in details.get("field_log", [])
    )
    assert set(carried) == set(LogEntry.objects.values_list("pk", flat=True))
    assert set(carried.values()) == {1}
    # Each appointment once: its APPOINT event, which carries its row.
    for appointment in Appointment.objects.all():
        naming = [
            event
            for event in AuditEvent.objects.all()
            if any(
                (line["target_type"], line["target_id"])
                == ("accounts.appointment", str(appointment.pk))
                for line in event.details.get("field_log", [])
            )
            or (event.target_type, event.target_id)
            == ("accounts.appointment", str(appointment.pk))
        ]
        assert [(e.action, e.target_id) for e in naming] == [
            (AuditAction.APPOINT, str(appointment.person_id))
        ]
    # The report's export, as the principal reads it, names no generic action.
    client.force_login(User.objects.get(username="director"))
    response = client.get(reverse("audit:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    actions = {row[4] for row in rows[1:]}
    assert {"Registered", "Appointed", "Signed for", "Account opened"} <= actions
    assert not actions & {"Created", "Changed", "Deleted"}
