from contextlib import contextmanager

import pytest
from django.db import connection

from audit.models import AuditAction, AuditEvent
from audit.services import record


@contextmanager
def tampering():
    """Lets a test play the attacker who got around the PostgreSQL trigger."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Deferred foreign-key checks are pending triggers, which block ALTER.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only"
            )


@pytest.fixture
def trail(teacher, student):
    """Ten more events after whatever creating the people left."""
    for n in range(10):
        record(actor=teacher, action=AuditAction.VIEW, target=student, details={"n": n})
    return list(AuditEvent.objects.order_by("seq"))
