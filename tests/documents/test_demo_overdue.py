"""The demo shows the overdue list with something on it (issue 20)."""

import io

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from documents import selectors
from documents.models import Grif


def test_seed_demo_leaves_one_official_use_document_overdue_with_the_teacher(
    db, client
):
    for _run in range(2):  # idempotent: a second run adds no second one
        call_command(
            "seed_demo", password="demo-password-for-tests", stdout=io.StringIO()
        )
    records = User.objects.get(username="records")

    overdue = list(selectors.open_custody(user=records, overdue_only=True))

    assert [(c.holder.username, c.document.grif) for c in overdue] == [
        ("teacher", Grif.OFFICIAL_USE)
    ]
    assert overdue[0].received_at is not None
    issued = AuditEvent.objects.filter(
        action=AuditAction.ISSUE, target_id=str(overdue[0].document_id)
    )
    assert issued.count() == 1  # through the service, with its event
    client.force_login(records)
    page = client.get(reverse("documents:custody")).content.decode()
    assert overdue[0].document.coded_number in page
