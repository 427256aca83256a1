"""audit_verify: recompute the chain, name the first broken seq."""

import pytest
from django.core.management import CommandError, call_command

from audit import services
from audit.models import AuditEvent, SignedHead, VerificationRun
from tests.audit.conftest import tampering


def test_an_intact_trail_verifies_and_the_run_is_kept(trail):
    run = services.verify_trail(batch_size=3)

    assert run.ok
    assert run.events_checked == len(trail)
    assert run.first_broken_seq is None
    assert VerificationRun.objects.get() == run


def test_the_command_says_the_trail_is_intact(trail, capsys):
    call_command("audit_verify")

    assert f"intact: {len(trail)} events" in capsys.readouterr().out


def test_a_changed_row_is_caught_at_its_seq(trail):
    victim = trail[5]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(details={"n": 99})

    with pytest.raises(CommandError, match=f"broken at seq {victim.seq} "):
        call_command("audit_verify")
    run = VerificationRun.objects.get()
    assert (run.ok, run.first_broken_seq, run.problem) == (False, victim.seq, "changed")


def test_a_row_rehashed_by_someone_without_the_key_is_caught(trail):
    victim = trail[5]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(
            target_label="someone else", entry_hash="f" * 64
        )

    assert services.verify_trail().first_broken_seq == victim.seq


def test_a_deleted_middle_row_is_caught_at_the_missing_seq(trail):
    victim = trail[4]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).delete()

    run = services.verify_trail(batch_size=2)

    assert (run.ok, run.first_broken_seq, run.problem) == (False, victim.seq, "missing")


def test_reordered_rows_are_caught(trail):
    a, b = trail[3], trail[4]
    with tampering():
        AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
        AuditEvent.objects.filter(pk=b.pk).update(seq=a.seq)
        AuditEvent.objects.filter(pk=a.pk).update(seq=b.seq)

    run = services.verify_trail()

    assert (run.ok, run.first_broken_seq) == (False, a.seq)


def test_a_cut_tail_is_caught_when_a_signed_head_exists(trail):
    head = services.sign_head(actor=None)
    with tampering():
        AuditEvent.objects.filter(seq__gte=trail[7].seq).delete()

    with pytest.raises(CommandError, match=f"broken at seq {trail[7].seq} "):
        call_command("audit_verify")
    assert VerificationRun.objects.get().problem == "cut_tail"
    assert head.seq > trail[7].seq


def test_without_a_signed_head_a_cut_tail_looks_like_a_shorter_trail(trail):
    # This is why the head is signed every day: the chain alone cannot tell.
    with tampering():
        AuditEvent.objects.filter(seq__gte=trail[7].seq).delete()

    assert services.verify_trail().ok


def test_a_forged_head_signature_is_caught(trail):
    head = services.sign_head(actor=None)
    SignedHead.objects.filter(pk=head.pk).update(signature="00" * 64)

    run = services.verify_trail()

    assert (run.ok, run.first_broken_seq, run.problem) == (
        False,
        head.seq,
        "bad_signature",
    )


def test_events_added_after_the_signed_head_still_verify(trail, teacher):
    services.sign_head(actor=None)
    services.record(actor=teacher, action="view")

    assert services.verify_trail().ok
