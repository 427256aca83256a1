"""auditlog's change entries enter the one trail; masked fields leave no trace."""

import json

import pytest
from auditlog.models import LogEntry

from audit import auditlog as audit_auditlog
from audit.context import RequestInfo, current_request
from audit.models import AuditAction, AuditEvent
from audit.services import MASK
from tests.factories import UserFactory


@pytest.fixture
def masked_first_name(settings):
    settings.PORTAL_AUDIT_MASKED_FIELDS = ["accounts.user.first_name"]
    audit_auditlog.register_models()
    yield
    settings.PORTAL_AUDIT_MASKED_FIELDS = []
    audit_auditlog.register_models()


def test_a_change_becomes_a_log_entry_and_an_audit_event(teacher):
    teacher.position = "физика мугалими"
    teacher.save()

    entry = LogEntry.objects.get_for_object(teacher).order_by("-pk").first()
    event = AuditEvent.objects.order_by("-seq").first()
    assert entry.changes_dict == {"position": ["", "физика мугалими"]}
    assert (event.action, event.target_type, event.target_id) == (
        AuditAction.UPDATE,
        "accounts.user",
        str(teacher.pk),
    )
    assert event.details == {
        "changes": {"position": ["", "физика мугалими"]},
        "auditlog_entry": entry.pk,
    }


def test_creating_and_deleting_are_create_and_delete_events(db):
    person = UserFactory(username="temp")
    pk = person.pk
    person.delete()

    actions = list(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.DELETE]


def test_password_and_last_login_are_never_tracked(teacher):
    teacher.set_password("a-brand-new-password")
    teacher.save()

    assert not LogEntry.objects.filter(changes_text__contains="password").exists()
    assert "a-brand-new-password" not in json.dumps(
        list(AuditEvent.objects.values_list("details", flat=True))
    )


def test_a_change_made_in_a_request_names_its_person(director, teacher):
    token = current_request.set(RequestInfo(request_id="r1", user=director))
    try:
        teacher.position = "завуч"
        teacher.save()
    finally:
        current_request.reset(token)

    entry = LogEntry.objects.get_for_object(teacher).order_by("-pk").first()
    event = AuditEvent.objects.order_by("-seq").first()
    assert entry.actor == director
    assert event.actor == director


def test_no_plaintext_of_a_masked_field_in_either_log(masked_first_name, db):
    person = UserFactory(username="masked", first_name="Гүлжамал")
    person.first_name = "Айпери"
    person.save()

    entries = json.dumps(
        [e.changes for e in LogEntry.objects.get_for_object(person)],
        ensure_ascii=False,
    )
    events = json.dumps(
        list(
            AuditEvent.objects.filter(target_id=str(person.pk)).values_list(
                "details", flat=True
            )
        ),
        ensure_ascii=False,
    )
    for plaintext in ("Гүлжамал", "Айпери", "жамал", "пери"):
        assert plaintext not in entries
        assert plaintext not in events
    update = AuditEvent.objects.filter(
        target_id=str(person.pk), action=AuditAction.UPDATE
    ).get()
    assert update.details["changes"]["first_name"] == [MASK, MASK]


def test_a_creation_lists_the_models_own_fields_only(db):
    person = UserFactory(username="fresh")

    event = AuditEvent.objects.get(target_id=str(person.pk), action=AuditAction.CREATE)
    assert "username" in event.details["changes"]
    assert "password" not in event.details["changes"]
    assert "last_login" not in event.details["changes"]
    assert "appointments" not in event.details["changes"]
