"""auditlog's change entries enter the one trail, each once: as an event of its
own, or carried by the business event it belongs to; masked fields leave no trace."""

import json
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from accounts import services
from accounts.models import AppointedRole
from accounts.roles import Role
from accounts.security import services as security_services
from audit import auditlog as audit_auditlog
from audit import field_log
from audit.auditlog import COPIES
from audit.context import RequestInfo, current_request
from audit.models import AuditAction, AuditEvent
from audit.services import MASK, record
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
        "auditlog_entry": entry.pk,
        "old": {"position": ""},
        "new": {"position": "физика мугалими"},
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
    assert (update.details["old"], update.details["new"]) == (
        {"first_name": MASK},
        {"first_name": MASK},
    )


def test_a_creation_lists_the_models_own_fields_only(db):
    person = UserFactory(username="fresh")

    event = AuditEvent.objects.get(target_id=str(person.pk), action=AuditAction.CREATE)
    assert event.details["old"] == {}
    assert "username" in event.details["new"]
    assert "password" not in event.details["new"]
    assert "last_login" not in event.details["new"]
    assert "appointments" not in event.details["new"]


# A business action carries its rows' diffs: no business action twice


def events_naming(entry: LogEntry) -> list[AuditEvent]:
    """The trail's events that hold this LogEntry: its copy, or the business
    event whose field_log carries it."""
    return [
        event
        for event in AuditEvent.objects.order_by("seq")
        if event.details.get("auditlog_entry") == entry.pk
        or any(
            line.get("entry") == entry.pk for line in event.details.get("field_log", [])
        )
    ]


def test_an_appointment_is_one_event_carrying_its_row(administrator, teacher):
    appointment = services.appoint(
        actor=administrator,
        person=teacher,
        role=AppointedRole.SECURITY_OFFICER,
        starts_on=date(2026, 9, 2),
        order_number="15-к",
        order_date=date(2026, 9, 1),
    )

    entry = LogEntry.objects.get_for_object(appointment).get()
    (event,) = events_naming(entry)
    assert (event.action, event.actor, event.target_id) == (
        AuditAction.APPOINT,
        administrator,
        str(teacher.pk),
    )
    (row,) = event.details["field_log"]
    assert row["entry"] == entry.pk
    assert (row["target_type"], row["target_id"]) == (
        "accounts.appointment",
        str(appointment.pk),
    )
    assert row["old"] == {}
    assert row["new"]["role"] == AppointedRole.SECURITY_OFFICER
    assert not AuditEvent.objects.filter(target_type="accounts.appointment").exists()


def test_every_log_entry_a_service_makes_is_in_exactly_one_business_event(
    administrator, security_officer
):
    parent = UserFactory(username="ata", roles=[Role.PARENT])
    child = UserFactory(username="bala", roles=[Role.STUDENT])
    successor = UserFactory(username="next", roles=[Role.STAFF])
    leaver = UserFactory(username="leaver", roles=[Role.STAFF])
    since = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    person, _temporary = services.person_create(
        actor=administrator,
        username="aidai",
        last_name="Маматова",
        first_name="Айдай",
        roles=[Role.STAFF],
    )
    services.person_set_roles(
        actor=administrator, person=person, roles=[Role.ADMINISTRATOR, Role.STAFF]
    )
    services.pledge_accept(actor=person)
    services.familiarization_confirm(actor=person)
    services.briefing_record(actor=security_officer, person=person)
    for who, starts_on in ((person, date(2026, 9, 2)), (successor, date(2026, 9, 9))):
        services.appoint(
            actor=administrator,
            person=who,
            role=AppointedRole.SECURITY_OFFICER,
            starts_on=starts_on,
            order_number="15-к",
            order_date=date(2026, 9, 1),
            replace_current=True,
        )
    link = services.parent_link(actor=administrator, parent=parent, child=child)
    services.parent_unlink(actor=administrator, link=link)
    services.person_deactivate(actor=administrator, person=leaver)
    security_services.change_password(
        actor=person, new_password="a-new-long-password-1", current_session_key=None
    )

    entries = LogEntry.objects.filter(pk__gt=since)
    assert entries.count() >= 12
    for entry in entries:
        (event,) = events_naming(entry)
        assert event.action not in COPIES.values(), (event.action, entry.changes)


def test_a_deleted_row_keeps_its_id_in_the_event(administrator):
    parent = UserFactory(username="ata", roles=[Role.PARENT])
    child = UserFactory(username="bala", roles=[Role.STUDENT])
    link = services.parent_link(actor=administrator, parent=parent, child=child)
    link_pk = link.pk

    services.parent_unlink(actor=administrator, link=link)

    event = AuditEvent.objects.get(action=AuditAction.UNLINK)
    (row,) = event.details["field_log"]
    assert (row["target_type"], row["target_id"]) == (
        "accounts.parentlink",
        str(link_pk),
    )
    assert row["new"] == {} and row["old"]["child"] == str(child.pk)


def test_a_diff_no_event_takes_is_copied_when_the_action_ends(teacher):
    with transaction.atomic(), field_log.business_action():
        teacher.position = "завуч"
        teacher.save()
        assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()

    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert (event.target_id, event.details["new"]) == (
        str(teacher.pk),
        {"position": "завуч"},
    )


def test_a_nested_action_that_fails_keeps_the_outer_diffs_only(teacher, student):
    with transaction.atomic(), field_log.business_action():
        teacher.position = "завуч"
        teacher.save()
        with (
            pytest.raises(RuntimeError),
            transaction.atomic(),
            field_log.business_action(),
        ):
            student.school_class = "9Б"
            student.save()
            record(actor=teacher, action=AuditAction.VIEW, target=student)
            raise RuntimeError("the nested action fails")
        record(actor=teacher, action=AuditAction.ROLE_ADD, target=teacher)

    event = AuditEvent.objects.get(action=AuditAction.ROLE_ADD)
    (row,) = event.details["field_log"]
    assert (row["target_id"], row["new"]) == (str(teacher.pk), {"position": "завуч"})
    assert (
        not AuditEvent.objects.filter(target_id=str(student.pk))
        .exclude(action=AuditAction.CREATE)
        .exists()
    )


def test_a_masked_field_is_masked_in_the_business_event_too(
    masked_first_name, administrator
):
    services.person_create(
        actor=administrator,
        username="masked",
        last_name="Маматова",
        first_name="Гүлжамал",
        roles=[Role.STAFF],
    )

    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_OPEN)
    (row,) = event.details["field_log"]
    assert row["new"]["first_name"] == MASK
    assert "Гүлжамал" not in json.dumps(event.details, ensure_ascii=False)
