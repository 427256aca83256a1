"""The records officer keeps the journals, classes, cases and storage places."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access
from audit.models import AuditAction, AuditEvent
from documents import services
from documents.models import (
    Case,
    DocumentClass,
    Journal,
    JournalKind,
    StoragePlace,
)

ADDITIONS = {
    "journal": (
        services.add_journal,
        Journal,
        {"kind": JournalKind.OTHER, "name": "Staff orders", "number_format": "К-{seq}"},
    ),
    "class": (
        services.add_document_class,
        DocumentClass,
        {"code": "memo", "name": "Memo"},
    ),
    "case": (
        services.add_case,
        Case,
        {"index": "02-07", "title": "Orders on staff", "retention_years": 75},
    ),
    "place": (
        services.add_storage_place,
        StoragePlace,
        {"room": "14", "cabinet": "2"},
    ),
}


@pytest.mark.parametrize("what", ADDITIONS)
def test_the_records_officer_adds_to_each_list(records_officer, what):
    service, model, fields = ADDITIONS[what]

    added = service(actor=records_officer, **fields)

    for name, value in fields.items():
        assert getattr(added, name) == value
    event = AuditEvent.objects.get(
        target_type=model._meta.label_lower, target_id=str(added.pk)
    )
    assert event.actor == records_officer
    assert event.action == (
        AuditAction.JOURNAL_OPEN if what == "journal" else AuditAction.LIST_ADD
    )


@pytest.mark.parametrize("what", ADDITIONS)
def test_a_teacher_may_not_add_and_nothing_is_saved(teacher, what):
    service, model, fields = ADDITIONS[what]
    before = model.objects.count()

    with pytest.raises(access.Forbidden):
        service(actor=teacher, **fields)

    assert model.objects.count() == before
    assert not AuditEvent.objects.filter(target_type=model._meta.label_lower).exists()


@pytest.mark.parametrize("what", ADDITIONS)
def test_a_duplicate_is_refused_and_nothing_is_saved(records_officer, what):
    service, model, fields = ADDITIONS[what]
    service(actor=records_officer, **fields)
    before = model.objects.count()
    events = AuditEvent.objects.count()
    shouted = {k: v.upper() if isinstance(v, str) else v for k, v in fields.items()}

    with pytest.raises(ValidationError):
        service(actor=records_officer, **shouted)

    assert model.objects.count() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("service", "fields"),
    [
        (services.add_journal, {"kind": JournalKind.OTHER, "name": ""}),
        (services.add_journal, {"kind": "diary", "name": "Diary"}),
        (
            services.add_journal,
            {"kind": JournalKind.OTHER, "name": "X", "number_format": "{n}"},
        ),
        (services.add_document_class, {"code": "не slug", "name": "Memo"}),
        (services.add_document_class, {"code": "memo", "name": " "}),
        (services.add_case, {"index": "", "title": "Orders"}),
        (services.add_case, {"index": "01", "title": "Orders", "retention_years": 0}),
        (services.add_storage_place, {"room": "14", "cabinet": ""}),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(records_officer, service, fields):
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        service(actor=records_officer, **fields)

    assert AuditEvent.objects.count() == events


def test_the_page_shows_the_lists_to_the_records_officer(
    client, records_officer, django_assert_max_num_queries
):
    services.add_case(actor=records_officer, index="03-02", title="Certificates")
    services.add_storage_place(actor=records_officer, room="14", cabinet="2")
    client.force_login(records_officer)
    url = reverse("documents:reference_lists")
    client.get(url)  # warm the session and permission caches

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert [c.index for c in response.context["cases"]] == ["03-02"]
    assert "Certificates" in response.text
    assert len(response.context["places"]) == 1


def test_the_journal_list_links_to_the_page_only_for_the_records_officer(
    client, records_officer, teacher
):
    link = reverse("documents:reference_lists")
    client.force_login(records_officer)
    assert link in client.get(reverse("documents:journal")).text
    client.force_login(teacher)
    assert link not in client.get(reverse("documents:journal")).text


def test_a_teacher_gets_404_for_the_page_and_its_forms(client, teacher):
    client.force_login(teacher)

    assert client.get(reverse("documents:reference_lists")).status_code == 404
    response = client.post(
        reverse("documents:place_add"), {"room": "14", "cabinet": "2"}
    )

    assert response.status_code == 404
    assert not StoragePlace.objects.exists()


def test_the_form_adds_an_entry_and_returns_to_the_page(client, records_officer):
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:case_add"),
        {"index": "02-07", "title": "Orders on staff", "retention_years": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("documents:reference_lists")
    case = Case.objects.get(index="02-07")
    assert case.retention_years is None
    assert "Permanently" in response.text


def test_a_duplicate_from_the_form_is_shown_as_a_message(client, records_officer):
    services.add_document_class(actor=records_officer, code="memo", name="Memo")
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:class_add"), {"code": "memo2", "name": "memo"}, follow=True
    )

    assert "A document kind with this name already exists." in response.text
    assert DocumentClass.objects.filter(name__iexact="memo").count() == 1
