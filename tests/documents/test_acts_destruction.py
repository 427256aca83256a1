"""Destruction acts (regulation 4.1): draft, commission, approval, crypto-shredding."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access
from audit.models import AuditAction, AuditEvent
from documents import acts, selectors, services, storage
from documents.models import (
    ActStatus,
    DestructionAct,
    Document,
    DocumentStatus,
)
from tests.documents.act_factories import old_document


@pytest.fixture
def commission(records_officer, teacher, support):
    return [records_officer, teacher, support]


@pytest.fixture
def act(records_officer, commission):
    return acts.draft_destruction_act(
        actor=records_officer,
        documents=[old_document(records_officer)],
        members=commission,
    )


def _confirm_all(act, commission, password):
    for person in commission:
        acts.confirm_destruction_act(actor=person, act=act, password=password)


def test_eligible_from_first_january_after_the_retention_ends(records_officer):
    ended = old_document(records_officer, years_ago=2, retention=1)
    running = old_document(records_officer, years_ago=1, retention=1)
    assert acts.refusal(ended) is None
    assert acts.refusal(running) is not None
    assert list(acts.eligible_documents()) == [ended]


def test_the_records_officer_drafts_an_act(act, records_officer, commission):
    assert act.status == ActStatus.DRAFT
    assert act.number.endswith(f"/{act.year}")
    assert act.items.count() == 1
    assert set(act.members.values_list("person", flat=True)) == {
        p.pk for p in commission
    }
    event = AuditEvent.objects.get(
        action=AuditAction.ACT_DRAFT, target_type="documents.destructionact"
    )
    assert (event.actor, event.details["number"]) == (records_officer, act.number)
    assert set(event.details["members"]) == {p.pk for p in commission}


@pytest.mark.parametrize("case", ["not_eligible", "destroyed", "in_custody"])
def test_a_document_that_may_not_be_destroyed_is_refused(
    case, records_officer, teacher, commission
):
    if case == "not_eligible":
        document = old_document(records_officer, years_ago=1, retention=1)
    else:
        document = old_document(records_officer)
    if case == "destroyed":
        Document.objects.filter(pk=document.pk).update(status=DocumentStatus.DESTROYED)
    if case == "in_custody":
        services.issue_document(actor=records_officer, document=document, to=teacher)
    with pytest.raises(ValidationError):
        acts.draft_destruction_act(
            actor=records_officer, documents=[document], members=commission
        )
    assert not DestructionAct.objects.exists()


def test_a_commission_of_fewer_than_three_is_refused(records_officer, teacher):
    document = old_document(records_officer)
    for members in ([records_officer, teacher], [records_officer] * 3):
        with pytest.raises(ValidationError):
            acts.draft_destruction_act(
                actor=records_officer, documents=[document], members=members
            )
    assert not DestructionAct.objects.exists()


def test_a_commission_member_must_be_staff(records_officer, teacher, student):
    document = old_document(records_officer)
    with pytest.raises(ValidationError):
        acts.draft_destruction_act(
            actor=records_officer,
            documents=[document],
            members=[records_officer, teacher, student],
        )
    assert not DestructionAct.objects.exists()


def test_only_the_records_officer_drafts(director, commission, records_officer):
    document = old_document(records_officer)
    with pytest.raises(access.Forbidden):
        acts.draft_destruction_act(
            actor=director, documents=[document], members=commission
        )
    assert not DestructionAct.objects.exists()


def test_confirming_twice_is_harmless(act, teacher, password):
    acts.confirm_destruction_act(actor=teacher, act=act, password=password)
    acts.confirm_destruction_act(actor=teacher, act=act, password="anything")
    assert act.members.get(person=teacher).confirmed_at is not None
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.ACT_SIGN, actor=teacher, target_id=str(act.pk)
        ).count()
        == 1
    )


def test_a_wrong_password_or_an_outsider_does_not_confirm(act, teacher, director):
    with pytest.raises(ValidationError):
        acts.confirm_destruction_act(actor=teacher, act=act, password="wrong")
    with pytest.raises(access.NotVisible):
        acts.confirm_destruction_act(actor=director, act=act, password="x")
    assert not act.members.filter(confirmed_at__isnull=False).exists()


def test_the_principal_approves_only_after_the_whole_commission(
    act, commission, director, password
):
    acts.confirm_destruction_act(actor=commission[0], act=act, password=password)
    with pytest.raises(ValidationError):
        acts.approve_destruction_act(actor=director, act=act, password=password)
    act.refresh_from_db()
    assert act.is_draft
    assert not Document.objects.filter(status=DocumentStatus.DESTROYED).exists()


def test_only_the_principal_approves(act, commission, records_officer, password):
    _confirm_all(act, commission, password)
    with pytest.raises(access.Forbidden):
        acts.approve_destruction_act(actor=records_officer, act=act, password=password)
    act.refresh_from_db()
    assert act.is_draft


def test_approval_rechecks_custody(
    act, commission, director, records_officer, password
):
    _confirm_all(act, commission, password)
    document = act.items.get().document
    services.issue_document(actor=records_officer, document=document, to=commission[1])
    with pytest.raises(ValidationError):
        acts.approve_destruction_act(actor=director, act=act, password=password)
    document.refresh_from_db()
    assert document.status == DocumentStatus.REGISTERED
    assert document.attachments.get().wrapped_key


def test_after_destruction_the_file_is_noise_and_the_line_stays(
    act, commission, director, password, attachment_dir, records_officer
):
    _confirm_all(act, commission, password)
    document = act.items.get().document
    attachment = document.attachments.get()
    path = next(attachment_dir.rglob(attachment.stored_name))

    acts.approve_destruction_act(actor=director, act=act, password=password)

    act.refresh_from_db()
    document.refresh_from_db()
    attachment.refresh_from_db()
    assert act.status == ActStatus.DONE and act.approved_by == director
    assert document.status == DocumentStatus.DESTROYED
    assert attachment.wrapped_key == "" and attachment.shredded_at
    with pytest.raises(storage.Shredded):
        storage.read(
            stored_name=attachment.stored_name,
            wrapped_key=attachment.wrapped_key,
            sha256=attachment.sha256,
        )
    raw = path.read_bytes()[len(storage.MAGIC) :]
    with pytest.raises(Exception):  # noqa: B017 - any failure will do
        storage._master().decrypt(raw)
    # The journal line stays, with the act's number.
    row = selectors.journal_rows(user=records_officer, filters={}).get(pk=document.pk)
    assert row.destruction_act_number == act.number
    assert DestructionAct.objects.get().pk == act.pk
    destroyed = AuditEvent.objects.filter(action=AuditAction.DESTROY)
    assert destroyed.filter(target_type="documents.document").count() == 1
    assert destroyed.filter(target_type="documents.attachment").count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.APPROVE, actor=director, target_id=str(act.pk)
    ).exists()
    # The journal page shows the act's number next to the status.
    from django.test import Client

    client = Client()
    client.force_login(records_officer)
    page = client.get(reverse("documents:journal"))
    assert act.number in page.content.decode()
