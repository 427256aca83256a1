"""audit.record(): one chained event per call, inside the caller's transaction."""

import pytest
from django.db import transaction

from audit import chain
from audit.models import AuditAction, AuditEvent
from audit.services import MASK, record


def test_record_appends_a_chained_event_with_the_actors_roles(teacher, student):
    # Creating the two people already left events (auditlog): the chain goes on.
    head = AuditEvent.objects.order_by("-seq").first()
    first = record(actor=teacher, action=AuditAction.VIEW, target=student)
    second = record(actor=teacher, action=AuditAction.EXPORT, details={"rows": 3})

    assert (first.seq, second.seq) == (head.seq + 1, head.seq + 2)
    assert first.prev_hash == head.entry_hash
    assert second.prev_hash == first.entry_hash
    assert first.actor_roles == ["staff"]
    assert (first.target_type, first.target_id) == ("accounts.user", str(student.pk))
    assert first.target_label == str(student)
    stored = AuditEvent.objects.get(seq=second.seq)
    assert chain.entry_hash(stored.prev_hash, stored) == stored.entry_hash


def test_an_event_rolls_back_with_its_callers_transaction(teacher):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=teacher, action=AuditAction.UPDATE)
        raise RuntimeError

    assert AuditEvent.objects.count() == before


def test_secrets_in_details_are_masked(teacher):
    event = record(
        actor=teacher,
        action=AuditAction.PASSWORD_RESET,
        details={"new_password": "hunter2hunter2", "nested": {"token": "abc"}, "n": 1},
    )

    assert event.details == {"new_password": MASK, "nested": {"token": MASK}, "n": 1}
