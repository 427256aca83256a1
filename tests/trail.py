from audit.models import AuditEvent


def service_events():
    """The audit trail without the field diffs django-auditlog adds to it."""
    return AuditEvent.objects.exclude(details__has_key="auditlog_entry").order_by("seq")
