"""Signed heads: an Ed25519 key derived from PORTAL_AUDIT_KEY, no other secret."""

import pytest
from django.core.management import call_command

from accounts.access import Forbidden
from audit import services, signing
from audit.models import AuditAction, AuditEvent, SignedHead


def test_the_key_is_derived_from_the_audit_key_and_stable(settings):
    first = signing.public_key_text()
    assert signing.public_key_text() == first
    settings.PORTAL_AUDIT_KEY = "another-key-entirely"
    assert signing.public_key_text() != first


def test_sign_head_signs_its_own_event_as_the_head(director):
    head = services.sign_head(actor=director)

    event = AuditEvent.objects.order_by("-seq").first()
    assert (head.seq, head.entry_hash) == (event.seq, event.entry_hash)
    assert (event.action, event.actor) == (AuditAction.SIGN_HEAD, director)
    assert signing.is_valid(
        signing.head_message(head.seq, head.entry_hash, head.signed_at),
        head.signature,
    )
    stored = SignedHead.objects.get()
    assert signing.is_valid(
        signing.head_message(stored.seq, stored.entry_hash, stored.signed_at),
        stored.signature,
    )


def test_sign_head_refuses_who_may_not_see_reports_and_changes_nothing(teacher):
    before = AuditEvent.objects.count()

    with pytest.raises(Forbidden):
        services.sign_head(actor=teacher)

    assert not SignedHead.objects.exists()
    # Only the refusal is added to the trail.
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("seq").action == AuditAction.DENIED


def test_the_daily_command_signs_and_prints_the_public_key(db, capsys):
    call_command("audit_sign_head")

    out = capsys.readouterr().out
    head = SignedHead.objects.get()
    assert f"seq {head.seq}" in out
    assert signing.public_key_text() in out
    assert head.signed_by is None
