from audit.models import AuditEvent

FIELD_LOG_LINE = {"entry", "target_type", "target_id", "old", "new"}


def service_events():
    """The audit trail without the field diffs django-auditlog adds to it."""
    return AuditEvent.objects.exclude(details__has_key="auditlog_entry").order_by("seq")


def the_event(action, **lookup) -> AuditEvent:
    """The one event of this business action, its details in the trail's one
    shape (AuditEvent.details): a change is "old" and "new", field -> value,
    naming the same fields; the rows auditlog logged are lines of "field_log"."""
    event = AuditEvent.objects.get(action=action, **lookup)
    details = event.details
    if "old" in details or "new" in details:
        old, new = details["old"], details["new"]
        assert isinstance(old, dict) and isinstance(new, dict), details
        assert set(old) == set(new), details
    for line in details.get("field_log", []):
        assert set(line) == FIELD_LOG_LINE, line
    return event


def changed(event: AuditEvent) -> tuple[dict, dict]:
    return event.details["old"], event.details["new"]
