"""Who sees personal data, the record of every view, and bad input."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import access
from accounts.models import PersonRecord
from accounts.personal import selectors, services
from accounts.personal.forms import RecordForm
from accounts.roles import Role
from audit.models import AuditAction
from audit.services import MASK, record
from tests.personal.conftest import BORN, PIN
from tests.trail import service_events


def test_the_person_their_parent_and_their_class_teacher_see_the_record(
    pupil, family, class_teacher
):
    for viewer in (pupil, family, class_teacher):
        assert access.can(viewer, "accounts.view_personrecord", pupil)


def test_other_staff_and_the_records_officer_see_nothing_by_default(
    pupil, records_officer, security_officer, director, administrator, teacher, outsider
):
    for viewer in (
        records_officer,
        security_officer,
        director,
        administrator,
        teacher,
        outsider,
    ):
        assert not access.can(viewer, "accounts.view_personrecord", pupil), viewer


def test_the_administrator_sees_personal_data_only_where_the_school_allows_it(
    pupil, administrator, settings
):
    settings.PORTAL_ADMIN_SEES_PERSONAL_DATA = True

    assert access.can(administrator, "accounts.view_personrecord", pupil)


def test_a_class_teacher_does_not_see_another_class(class_teacher, student):
    other = type(student).objects.create(username="other", school_class="8Б")

    assert not access.can(class_teacher, "accounts.view_personrecord", other)


def test_opening_and_revealing_are_recorded_without_the_value(pupil, family):
    services.record_open(actor=family, person=pupil)
    value = services.field_reveal(actor=family, person=pupil, field="pin")

    assert value == PIN
    events = service_events().filter(actor=family, action=AuditAction.VIEW)
    assert [event.details for event in events.order_by("seq")] == [{}, {"field": "pin"}]
    saved = PersonRecord.objects.get(person=pupil)
    assert {event.target_type for event in events} == {"accounts.personrecord"}
    assert {event.target_id for event in events} == {str(saved.pk)}
    assert all(PIN not in str(event.details) for event in service_events().all())


def test_a_stranger_can_not_open_or_reveal_and_nothing_is_recorded(pupil, teacher):
    with pytest.raises(access.NotVisible):
        services.record_open(actor=teacher, person=pupil)
    with pytest.raises(access.NotVisible):
        services.field_reveal(actor=teacher, person=pupil, field="pin")

    assert not service_events().filter(action=AuditAction.VIEW).exists()


def test_who_viewed_matches_the_audit_trail(pupil, family, class_teacher, settings):
    services.record_open(actor=class_teacher, person=pupil)
    services.field_reveal(actor=family, person=pupil, field="address")
    services.record_open(actor=pupil, person=pupil)  # one's own views are not listed

    viewings = selectors.who_viewed(person=pupil)

    trail = service_events().filter(action=AuditAction.VIEW).exclude(actor=pupil)
    assert [(v.at, v.field) for v in viewings] == [
        (event.at, event.details.get("field", "")) for event in trail.order_by("-seq")
    ]
    assert viewings[0].roles == [str(Role.PARENT.label)]
    assert viewings[1].roles == [str(Role.STAFF.label)]
    assert viewings[0].name == ""
    settings.PORTAL_SHOW_VIEWER_NAMES = True
    assert selectors.who_viewed(person=pupil)[0].name == "parent1"


def test_last_logins_come_from_the_trail(pupil, family):
    # Sign-ins are recorded by the accounts security feature; here, directly.
    mine = record(actor=pupil, action=AuditAction.LOGIN)
    record(actor=family, action=AuditAction.LOGIN)

    assert list(selectors.last_logins(person=pupil)) == [mine]


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("2030520120010", "pin_length"),
        ("203052012001077", "pin_length"),
        ("2030520120010a", "pin_length"),
        ("２０３０５２０１２００１０７", "pin_length"),
        ("30305201200107", "pin_gender"),
        ("03052012001070", "pin_gender"),
        ("23102201200107", "pin_date"),
        ("22902202300107", "pin_date"),
        ("20013201200107", "pin_date"),
    ],
)
def test_a_malformed_pin_is_a_clear_form_error(pin, code):
    form = RecordForm({"pin": pin})

    assert not form.is_valid()
    assert form.has_error("pin", code)


def test_a_future_birth_date_and_a_future_pin_are_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = RecordForm(
        {"birth_date": tomorrow.isoformat(), "pin": f"1{tomorrow:%d%m%Y}00001"}
    )

    assert not form.is_valid()
    assert form.has_error("birth_date", "birth_future")
    assert form.has_error("pin", "pin_future")


def test_a_pin_that_does_not_match_the_birth_date_saves_nothing(pupil, administrator):
    before = PersonRecord.objects.get(person=pupil)

    with pytest.raises(ValidationError) as error:
        services.record_update(
            actor=administrator, person=pupil, values={"pin": "20405201200107"}
        )

    assert "pin" in error.value.error_dict
    assert PersonRecord.objects.get(person=pupil).pin == before.pin
    assert not service_events().filter(action=AuditAction.PERSONAL_DATA_CHANGE).exists()


def test_the_administrator_writes_a_record_without_reading_it(teacher, administrator):
    services.record_update(
        actor=administrator,
        person=teacher,
        values={"birth_date": date(1990, 9, 9), "pin": "10909199000105"},
    )

    saved = PersonRecord.objects.get(person=teacher)
    assert saved.pin == "10909199000105"
    event = service_events().get(action=AuditAction.PERSONAL_DATA_CHANGE)
    hidden = {"birth_date": MASK, "pin": MASK}
    assert event.details == {"old": hidden, "new": hidden}


def test_the_same_pin_for_two_people_is_refused(pupil, administrator, teacher):
    with pytest.raises(ValidationError):
        services.record_update(
            actor=administrator,
            person=teacher,
            values={"birth_date": BORN, "pin": PIN},
        )


def test_only_the_administrator_writes_records(pupil, records_officer):
    with pytest.raises(access.Forbidden):
        services.record_update(
            actor=records_officer, person=pupil, values={"address": "x"}
        )
