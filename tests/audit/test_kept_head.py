"""A head kept outside the database: cutting the tail and deleting the signed
heads with SQL no longer passes `audit_verify --head`."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import signing
from audit.models import AuditAction, AuditEvent, SignedHead
from audit.services import record, sign_head
from office.notifications import send_daily_signals
from tests.audit.conftest import tampering


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kept(trail):
    """The head signed at the end of the trail, and its code kept on paper."""
    head = sign_head(actor=None)
    return head, signing.head_code(head.seq, head.entry_hash)


def cut_the_tail_and_its_heads(from_seq: int) -> None:
    with tampering():
        AuditEvent.objects.filter(seq__gte=from_seq).delete()
    SignedHead.objects.all().delete()


def test_the_code_is_the_number_and_sixteen_hex_digits_in_groups():
    code = signing.head_code(48213, "9f2c4a1b7d3e5f60" + "0" * 48)

    assert code == "48213-9f2c-4a1b-7d3e-5f60"
    assert signing.read_kept_head(" 48213 - 9F2C 4A1B-7d3e 5f60 ") == (
        signing.KeptHead(48213, "9f2c4a1b7d3e5f60")
    )


@pytest.mark.parametrize("text", ["48213", "48213-9f2c", "head", "x-9f2c4a1b7d3e5f60"])
def test_something_else_is_not_taken_for_a_code(text):
    with pytest.raises(signing.NotAHead):
        signing.read_kept_head(text)


def test_a_tail_cut_with_its_signed_heads_passes_without_a_kept_head(kept, trail):
    cut_the_tail_and_its_heads(trail[7].seq)

    assert "audit trail intact" in verify()


def test_the_kept_code_shows_the_cut_tail(kept, trail):
    _head, code = kept
    cut_the_tail_and_its_heads(trail[7].seq)

    with pytest.raises(CommandError, match=r"broken at seq \d+ \(cut_tail\)"):
        verify("--head", code)


def test_the_head_file_from_a_backup_shows_the_cut_tail(kept, trail, tmp_path):
    head, _code = kept
    kept_file = tmp_path / "audit-head.json"
    kept_file.write_text(signing.head_file(head))
    cut_the_tail_and_its_heads(trail[7].seq)

    with pytest.raises(CommandError, match=r"\(cut_tail\)"):
        verify("--head", str(kept_file))


def test_an_intact_trail_holds_its_kept_head(kept, teacher):
    _head, code = kept

    assert "holds the kept head" in verify("--head", code)


def test_a_rewritten_tail_does_not_match_the_kept_code(kept, trail):
    """With the audit key, an attacker could rebuild the tail; the code keeps
    the hash it had, so the rebuilt event differs at the head's number."""
    head, code = kept
    cut_the_tail_and_its_heads(trail[7].seq)

    while AuditEvent.objects.order_by("-seq").first().seq < head.seq:
        record(actor=None, action=AuditAction.VIEW, target_label="forged")

    with pytest.raises(CommandError, match=rf"broken at seq {head.seq} \(changed\)"):
        verify("--head", code)


def test_a_head_file_with_a_forged_signature_is_refused(kept, tmp_path):
    head, _code = kept
    head.signature = "00" * 64
    forged = tmp_path / "audit-head.json"
    forged.write_text(signing.head_file(head))

    with pytest.raises(CommandError, match="signature does not hold"):
        verify("--head", str(forged))


def test_signing_the_head_prints_its_code(trail):
    out = io.StringIO()

    call_command("audit_sign_head", stdout=out)

    head = SignedHead.objects.get()
    assert f"head code: {signing.head_code(head.seq, head.entry_hash)}" in (
        out.getvalue()
    )


def test_the_principal_gets_the_code_every_day_and_a_teacher_does_not(
    kept, settings, director, teacher
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person in (director, teacher):
        person.email = f"{person.username}@school.example"
        person.save()
    _head, code = kept

    send_daily_signals(base_url="https://school.example")

    [message] = [m for m in mail.outbox if m.to == ["director@school.example"]]
    assert f"Audit head code: {code}" in message.body
    assert not any(code in m.body for m in mail.outbox if m.to != message.to)


def test_the_signed_head_file_written_by_the_timer_shows_a_cut_tail(trail, tmp_path):
    kept_file = tmp_path / "head.json"
    call_command("audit_sign_head", output=str(kept_file), stdout=io.StringIO())
    cut_the_tail_and_its_heads(trail[5].seq)

    with pytest.raises(CommandError, match=r"\(cut_tail\)"):
        verify("--head", str(kept_file))
