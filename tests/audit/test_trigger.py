"""On PostgreSQL the database itself refuses to change or remove an event."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def test_update_is_refused(trail):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[2].pk).update(target_label="changed")

    assert AuditEvent.objects.get(pk=trail[2].pk).target_label == trail[2].target_label


def test_delete_is_refused(trail):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[2].pk).delete()

    assert AuditEvent.objects.filter(pk=trail[2].pk).exists()


def test_delete_is_allowed_only_with_the_retention_flag(trail):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL portal.audit_retention = 'on'")
        AuditEvent.objects.filter(pk=trail[0].pk).delete()

    assert not AuditEvent.objects.filter(pk=trail[0].pk).exists()
    # audit_archive turns the flag off again right after its one DELETE.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_retention = 'off'")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[1].pk).delete()
