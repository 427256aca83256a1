"""Act pages: who sees them, the forms, the print views."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditAction, AuditEvent
from documents import acts
from documents.models import ActStatus, DestructionAct, DocumentStatus
from tests.documents.act_factories import old_document


@pytest.fixture
def act(records_officer, teacher, support):
    return acts.draft_destruction_act(
        actor=records_officer,
        documents=[old_document(records_officer)],
        members=[records_officer, teacher, support],
    )


def test_the_records_officer_drafts_an_act_from_the_form(
    client, records_officer, teacher, support
):
    document = old_document(records_officer)
    old_document(records_officer, years_ago=0)  # not offered: retention runs
    client.force_login(records_officer)
    url = reverse("documents:destruction_act_new")
    page = client.get(url)
    assert list(page.context["form"].fields["documents"].queryset) == [document]
    response = client.post(
        url,
        {
            "documents": [document.pk],
            "members": [records_officer.pk, teacher.pk, support.pk],
        },
    )
    act = DestructionAct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:destruction_act", args=[act.pk])


def test_a_commission_of_two_is_shown_as_an_error(client, records_officer, teacher):
    document = old_document(records_officer)
    client.force_login(records_officer)
    response = client.post(
        reverse("documents:destruction_act_new"),
        {"documents": [document.pk], "members": [records_officer.pk, teacher.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["members"]
    assert not DestructionAct.objects.exists()


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("security_officer", 200),
        ("director", 200),
        ("teacher", 200),  # a commission member
        ("administrator", 404),
        ("student", 404),
    ],
)
def test_who_sees_an_act(client, act, request, person, status):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("documents:destruction_act", args=[act.pk]))
    assert response.status_code == status


def test_the_security_officer_reads_but_can_not_act(
    client, act, security_officer, password
):
    client.force_login(security_officer)
    page = client.get(reverse("documents:destruction_act", args=[act.pk]))
    assert not page.context["may_confirm"] and not page.context["may_approve"]
    response = client.post(
        reverse("documents:destruction_act_approve", args=[act.pk]),
        {"password": password},
    )
    assert response.status_code == 403
    assert client.get(reverse("documents:destruction_act_new")).status_code == 403


def test_the_whole_procedure_through_the_pages(
    client, act, records_officer, teacher, support, director, password
):
    for person in (records_officer, teacher, support):
        client.force_login(person)
        page = client.get(reverse("documents:destruction_act", args=[act.pk]))
        assert page.context["may_confirm"]
        client.post(
            reverse("documents:destruction_act_confirm", args=[act.pk]),
            {"password": password},
        )
    client.force_login(director)
    page = client.get(reverse("documents:destruction_act", args=[act.pk]))
    assert page.context["may_approve"]
    client.post(
        reverse("documents:destruction_act_approve", args=[act.pk]),
        {"password": password},
    )
    act.refresh_from_db()
    assert act.status == ActStatus.DONE
    assert act.items.get().document.status == DocumentStatus.DESTROYED
    printed = client.get(reverse("documents:destruction_act_print", args=[act.pk]))
    assert printed.status_code == 200
    assert act.number in printed.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.PRINT, target_id=str(act.pk)
    ).exists()


def test_the_act_list_costs_the_same_for_many_acts(
    client, records_officer, teacher, support, django_assert_max_num_queries
):
    for _ in range(5):
        acts.draft_destruction_act(
            actor=records_officer,
            documents=[old_document(records_officer)],
            members=[records_officer, teacher, support],
        )
    client.force_login(records_officer)
    url = reverse("documents:destruction_acts")
    client.get(url)
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["acts"]) == 5


@pytest.mark.parametrize(
    ("language", "header"), [("ru", "Where filed"), ("ky", "Where filed")]
)
def test_the_printed_journal_has_translated_headers(
    client, records_officer, register, language, header
):
    document = register(records_officer, their_number="17-a")
    client.force_login(records_officer)
    url = reverse(
        "documents:journal_print",
        kwargs={"journal": document.journal_id, "year": timezone.localdate().year},
    )
    response = client.get(url, {"language": language})
    with translation.override(language):
        expected = translation.gettext(header)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"<th>{expected}</th>" in body
    assert "17-a" in body and "<thead>" in body
    assert AuditEvent.objects.filter(action=AuditAction.PRINT).exists()


def test_the_printed_journal_shows_only_what_the_person_sees(
    client, records_officer, register, teacher
):
    mine = register(records_officer, executor=teacher, summary="Mine")
    register(records_officer, summary="Not mine")
    client.force_login(teacher)
    url = reverse(
        "documents:journal_print",
        kwargs={"journal": mine.journal_id, "year": mine.year},
    )
    body = client.get(url).content.decode()
    assert "Mine" in body and "Not mine" not in body
