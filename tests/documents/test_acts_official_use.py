"""Acts list official-use documents; only cleared people read their summaries
(regulation 2.5). An uncleared commission member or incoming officer signs for
the line — journal, number, date — not for what the document says."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import access, services
from accounts.models import AppointedRole
from documents import acts
from documents.models import DestructionAct, Document, Grif, StoragePlace
from tests.documents.act_factories import old_document

SECRET = "Staffing changes for next year"


@pytest.fixture
def official(records_officer, clear):
    clear(records_officer)
    document = old_document(records_officer)
    Document.objects.filter(pk=document.pk).update(
        grif=Grif.OFFICIAL_USE,
        summary=SECRET,
        storage_place=StoragePlace.objects.create(room="12", cabinet="1"),
    )
    return Document.objects.get(pk=document.pk)


def test_an_uncleared_commission_member_sees_the_line_not_the_summary(
    client, official, records_officer, teacher, support
):
    act = acts.draft_destruction_act(
        actor=records_officer,
        documents=[official],
        members=[records_officer, teacher, support],
    )
    for name in ("documents:destruction_act", "documents:destruction_act_print"):
        client.force_login(teacher)
        page = client.get(reverse(name, args=[act.pk])).content.decode()
        assert SECRET not in page
        assert official.display_number in page
        client.force_login(records_officer)
        assert SECRET in client.get(reverse(name, args=[act.pk])).content.decode()


def test_an_uncleared_drafter_can_not_put_an_unseen_document_on_an_act(
    official, records_officer, teacher, support
):
    records_officer.onboarding.delete()
    uncleared = type(records_officer).objects.get(pk=records_officer.pk)
    with pytest.raises(access.NotVisible):
        acts.draft_destruction_act(
            actor=uncleared,
            documents=[official],
            members=[uncleared, teacher, support],
        )
    assert not DestructionAct.objects.exists()


def test_an_uncleared_incoming_officer_sees_the_line_not_the_summary(
    client, official, administrator, records_officer, teacher
):
    services.appoint(
        actor=administrator,
        person=records_officer,
        role=AppointedRole.RECORDS_OFFICER,
        starts_on=date(2026, 9, 1),
        order_number="21-к",
        order_date=date(2026, 9, 1),
    )
    act = acts.draft_hand_over_act(
        actor=administrator,
        incoming=teacher,
        order_number="22-к",
        order_date=date(2026, 9, 10),
        starts_on=date(2026, 9, 20),
    )
    for name in ("documents:hand_over", "documents:hand_over_print"):
        client.force_login(teacher)
        page = client.get(reverse(name, args=[act.pk])).content.decode()
        assert SECRET not in page
        assert official.display_number in page
        client.force_login(records_officer)
        assert SECRET in client.get(reverse(name, args=[act.pk])).content.decode()
