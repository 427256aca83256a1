import io

from django.core.management import call_command
from django.utils import timezone

from documents.models import ActStatus, DestructionAct, DocumentStatus


def test_the_demo_has_a_completed_act_from_last_year_and_a_draft(db):
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())

    done = DestructionAct.objects.get(status=ActStatus.DONE)
    draft = DestructionAct.objects.get(status=ActStatus.DRAFT)
    assert done.year == timezone.localdate().year - 1
    assert done.number.endswith(f"/{done.year}")
    assert {i.document.status for i in done.items.all()} == {DocumentStatus.DESTROYED}
    assert draft.items.count() == 2
    assert not draft.members.filter(confirmed_at__isnull=False).exists()
