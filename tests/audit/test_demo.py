"""seed_demo's trail: weeks of events, a sound chain, the cases the report shows."""

from django.utils import timezone

from accounts import demo as accounts_demo
from audit import demo, reports, services
from audit.models import AuditAction, AuditEvent
from audit.reports import Period


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
    late = list(reports.after_hours(reports.official_use(found)))
    assert [(e.actor.username, timezone.localtime(e.at).hour) for e in late] == [
        ("records", 21)
    ]
    assert services.verify_trail().ok
