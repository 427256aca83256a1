"""Each action of the registry, done from its page, is in the trail by its name
with the details of that action (audit.models.AuditEvent.details)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AppointedRole
from accounts.roles import Role
from accounts.services import appoint
from audit.models import AuditAction
from documents import acts, services
from documents.models import Copy, CopyFate, Custody, DocumentStatus
from tests.account_security.browser import submit
from tests.documents.act_factories import old_document
from tests.documents.conftest import make_pdf
from tests.factories import UserFactory
from tests.trail import changed, the_event


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response


def on_document(document):
    return {"target_type": "documents.document", "target_id": str(document.pk)}


@pytest.fixture
def issued(register, records_officer, teacher):
    document = register(records_officer)
    services.issue_document(actor=records_officer, document=document, to=teacher)
    return document


def test_registering_from_the_page_is_registered_and_its_file_attached(
    client, records_officer, incoming, letter_class
):
    client.force_login(records_officer)
    submit(
        client,
        page(client, "documents:register"),
        {
            "journal": str(incoming.pk),
            "document_class": str(letter_class.pk),
            "summary": "Олимпиада жөнүндө",
            "files": SimpleUploadedFile("scan.pdf", make_pdf(1)),
        },
        having="summary",
    )

    registered = the_event(AuditAction.REGISTER, actor=records_officer)
    document = registered.details
    assert (document["number"], document["journal"], document["official_use"]) == (
        "1",
        incoming.pk,
        False,
    )
    attached = the_event(AuditAction.ATTACH, actor=records_officer)
    assert (attached.details["file"], attached.details["number"]) == ("scan.pdf", "1")


def test_a_correction_from_its_page_is_corrected_with_old_and_new(
    client, register, records_officer
):
    document = register(records_officer)
    client.force_login(records_officer)

    submit(
        client,
        page(client, "documents:correct", document.pk),
        {"summary": "Жаңы кыскача мазмун", "reason": "Ката кетиптир"},
        having="reason",
    )

    event = the_event(AuditAction.CORRECT, **on_document(document))
    assert changed(event) == (
        {"summary": "Окуу жылынын башталышы жөнүндө"},
        {"summary": "Жаңы кыскача мазмун"},
    )
    assert event.details["reason"] == "Ката кетиптир"


def test_annulling_from_the_document_page_is_annulled(
    client, register, records_officer
):
    document = register(records_officer)
    client.force_login(records_officer)

    submit(
        client,
        page(client, "documents:document", document.pk),
        {"reason": "Эки жолу катталган"},
        action=reverse("documents:annul", args=[document.pk]),
    )

    event = the_event(AuditAction.ANNUL, **on_document(document))
    assert changed(event) == (
        {"status": DocumentStatus.REGISTERED},
        {"status": DocumentStatus.ANNULLED},
    )
    assert event.details["reason"] == "Эки жолу катталган"


def test_attaching_from_the_document_page_is_file_attached(
    client, register, records_officer
):
    document = register(records_officer)
    client.force_login(records_officer)

    submit(
        client,
        page(client, "documents:document", document.pk),
        {"files": SimpleUploadedFile("appendix.pdf", make_pdf(1))},
        action=reverse("documents:attach", args=[document.pk]),
    )

    event = the_event(AuditAction.ATTACH, target_type="documents.attachment")
    assert (event.details["file"], event.details["number"]) == (
        "appendix.pdf",
        document.number,
    )
    assert set(event.details) >= {"size", "sha256"}


def test_custody_from_issue_to_return_confirmed_names_each_step(
    client, register, records_officer, teacher, password
):
    document = register(records_officer)
    client.force_login(records_officer)
    submit(
        client,
        page(client, "documents:document", document.pk),
        {"to": str(teacher.pk)},
        action=reverse("documents:issue", args=[document.pk]),
    )
    custody = Custody.objects.get()
    client.force_login(teacher)
    submit(
        client,
        page(client, "documents:sign", custody.pk),
        {"password": password},
        having="password",
    )
    submit(
        client,
        page(client, "home"),
        {},
        action=reverse("documents:hand_back", args=[custody.pk]),
    )
    client.force_login(records_officer)
    submit(
        client,
        page(client, "documents:custody"),
        {},
        action=reverse("documents:confirm_return", args=[custody.pk]),
    )

    issued = the_event(AuditAction.ISSUE, **on_document(document))
    assert (issued.actor, issued.details["to"]) == (records_officer, teacher.pk)
    for action, actor in (
        (AuditAction.SIGN_FOR, teacher),
        (AuditAction.HAND_BACK, teacher),
        (AuditAction.CONFIRM_RETURN, records_officer),
    ):
        event = the_event(action, **on_document(document))
        assert (event.actor, event.details["custody"]) == (actor, custody.pk)
    assert the_event(AuditAction.CONFIRM_RETURN).details["late"] is False
    custody.refresh_from_db()
    assert custody.returned_at is not None


def test_a_paper_copy_and_its_fate_from_the_document_page(
    client, register, records_officer
):
    document = register(records_officer)
    client.force_login(records_officer)
    submit(
        client,
        page(client, "documents:document", document.pk),
        {"purpose": "Кеңешке", "count": "2"},
        action=reverse("documents:paper_copy", args=[document.pk]),
    )
    copy = Copy.objects.get()
    submit(
        client,
        page(client, "documents:document", document.pk),
        {"fate": CopyFate.DESTROYED},
        action=reverse("documents:copy_fate", args=[copy.pk]),
    )

    copied = the_event(AuditAction.COPY, **on_document(document))
    assert (copied.details["copy_numbers"], copied.details["purpose"]) == (
        copy.copy_numbers,
        "Кеңешке",
    )
    fate = the_event(AuditAction.COPY_FATE, **on_document(document))
    assert changed(fate) == ({"fate": CopyFate.KEPT}, {"fate": CopyFate.DESTROYED})
    assert fate.details["copy_numbers"] == copy.copy_numbers


def test_a_digital_copy_from_its_page_is_copied(
    client, official, records_officer, pdf_upload
):
    attachment = official(uploads=[pdf_upload]).attachments.get()
    client.force_login(records_officer)

    submit(
        client,
        page(client, "documents:attachment_copy", attachment.pk),
        {"purpose": "Кеңешке"},
        having="purpose",
    )

    event = the_event(AuditAction.COPY, **on_document(attachment.document))
    assert (event.details["copy_number"], event.details["stamped"]) == (1, True)
    assert event.details["official_use"] is True


@pytest.mark.parametrize(
    ("form", "values", "action", "model"),
    [
        (
            "documents:journal_add",
            {"kind": "other", "name": "Кызматкерлер боюнча буйруктар"},
            AuditAction.JOURNAL_OPEN,
            "documents.journal",
        ),
        (
            "documents:class_add",
            {"code": "memo", "name": "Кызматтык кат"},
            AuditAction.LIST_ADD,
            "documents.documentclass",
        ),
        (
            "documents:case_add",
            {"index": "02-07", "title": "Кызматкерлер", "retention_years": "75"},
            AuditAction.LIST_ADD,
            "documents.case",
        ),
        (
            "documents:place_add",
            {"room": "14", "cabinet": "2"},
            AuditAction.LIST_ADD,
            "documents.storageplace",
        ),
    ],
)
def test_each_reference_list_addition_from_its_form(
    client, records_officer, incoming, form, values, action, model
):
    client.force_login(records_officer)

    submit(
        client, page(client, "documents:reference_lists"), values, action=reverse(form)
    )

    event = the_event(action, target_type=model)
    assert event.actor == records_officer
    assert {name: str(event.details[name]) for name in values} == values


def test_a_destruction_act_from_its_pages_names_each_step(
    client, records_officer, teacher, support, director, password
):
    document = old_document(records_officer)
    client.force_login(records_officer)
    submit(
        client,
        page(client, "documents:destruction_act_new"),
        {
            "documents": str(document.pk),
            "members": [str(p.pk) for p in (records_officer, teacher, support)],
        },
        having="members",
    )
    act = acts.DestructionAct.objects.get()
    for person in (records_officer, teacher, support):
        client.force_login(person)
        submit(
            client,
            page(client, "documents:destruction_act", act.pk),
            {"password": password},
            action=reverse("documents:destruction_act_confirm", args=[act.pk]),
        )
    client.force_login(director)
    submit(
        client,
        page(client, "documents:destruction_act", act.pk),
        {"password": password},
        action=reverse("documents:destruction_act_approve", args=[act.pk]),
    )

    on_act = {"target_type": "documents.destructionact", "target_id": str(act.pk)}
    drafted = the_event(AuditAction.ACT_DRAFT, **on_act)
    assert (drafted.details["number"], drafted.details["documents"]) == (
        act.number,
        [document.pk],
    )
    signed = [
        the_event(AuditAction.ACT_SIGN, actor=person, **on_act).details
        for person in (records_officer, teacher, support)
    ]
    assert [s["commission_member"] for s in signed] == [
        records_officer.pk,
        teacher.pk,
        support.pk,
    ]
    approved = the_event(AuditAction.APPROVE, **on_act)
    assert (approved.actor, approved.details["status"]) == (director, "done")
    destroyed = the_event(AuditAction.DESTROY, **on_document(document))
    assert destroyed.details == {"number": document.number, "act": act.number}
    shredded = the_event(AuditAction.DESTROY, target_type="documents.attachment")
    assert shredded.details == {"file": "old.pdf", "act": act.number}


def test_a_hand_over_acts_list_rebuilt_from_its_page(
    client, administrator, records_officer, register, password
):
    appoint(
        actor=administrator,
        person=records_officer,
        role=AppointedRole.RECORDS_OFFICER,
        starts_on=date(2026, 9, 1),
        order_number="1-к",
        order_date=date(2026, 9, 1),
    )
    newcomer = UserFactory(username="newrecords", roles=[Role.STAFF])
    act = acts.draft_hand_over_act(
        actor=administrator,
        incoming=newcomer,
        order_number="2-к",
        order_date=date(2026, 9, 2),
        starts_on=date(2026, 9, 3),
    )
    acts.confirm_hand_over_act(actor=records_officer, act=act, password=password)
    register(records_officer)
    client.force_login(administrator)

    submit(
        client,
        page(client, "documents:hand_over", act.pk),
        {},
        action=reverse("documents:hand_over_refresh", args=[act.pk]),
    )

    event = the_event(AuditAction.ACT_REFRESH, target_id=str(act.pk))
    assert changed(event) == ({"documents": 0}, {"documents": 1})
    assert event.details["confirmations_withdrawn"] == ["outgoing"]
    assert (event.details["outgoing"], event.details["incoming"]) == (
        records_officer.pk,
        newcomer.pk,
    )
