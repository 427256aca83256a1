"""Every backup carries the trail's newest signed head, outside the database:
whoever keeps an archive can check a trail against the head of that day."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import signing
from audit.models import AuditEvent, SignedHead
from audit.services import sign_head
from tests.audit.conftest import tampering
from tests.personal.backup_world import Server, back_up, register_letter_with_files

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_archive_names_its_head_and_the_trail_is_checked_against_it(
    settings, tmp_path, records_officer, teacher
):
    Server(tmp_path / "school").use(settings)
    register_letter_with_files(records_officer, teacher)
    head = sign_head(actor=None)
    archive = back_up()
    out = io.StringIO()

    call_command("restore", str(archive), check=True, stdout=out)

    code = signing.head_code(head.seq, head.entry_hash)
    assert f"Audit head code of that day: {code}" in out.getvalue()
    # Later someone cuts the tail and deletes the signed heads with SQL.
    with tampering():
        AuditEvent.objects.filter(seq__gte=head.seq - 2).delete()
    SignedHead.objects.all().delete()
    with pytest.raises(CommandError, match=r"\(cut_tail\)"):
        call_command("audit_verify", head=code, stdout=io.StringIO())
