"""The administrator creates people, gives roles and deactivates leavers."""

import pytest
from django.core.exceptions import ValidationError

from accounts import access, selectors, services
from accounts.roles import Role
from audit.models import AuditAction
from tests.trail import service_events


def test_administrator_creates_a_student_with_a_temporary_password(administrator):
    person, password = services.person_create(
        actor=administrator,
        username="aidai",
        last_name="Маматова",
        first_name="Айдай",
        school_class="5A",
        roles=[Role.STUDENT],
    )

    assert person.check_password(password)
    assert person.must_change_password
    assert selectors.roles_of(user=person) == [Role.STUDENT]
    event = service_events().get(action=AuditAction.ACCOUNT_OPEN)
    assert (event.actor, event.target_id) == (administrator, str(person.pk))
    assert (event.details["roles"], event.details["class"]) == (["student"], "5A")
    (account,) = event.details["field_log"]
    assert (account["target_type"], account["target_id"]) == (
        "accounts.user",
        str(person.pk),
    )
    assert (account["old"], account["new"]["username"]) == ({}, "aidai")
    assert password not in str(event.details)
    assert "password" not in account["new"]


def test_an_appointed_role_is_not_offered_on_the_people_pages(administrator):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=administrator,
            username="x1",
            last_name="A",
            first_name="B",
            roles=[Role.SECURITY_OFFICER],
        )

    assert not service_events().exists()


def test_a_teacher_may_not_create_people(teacher):
    with pytest.raises(access.Forbidden):
        services.person_create(
            actor=teacher,
            username="x2",
            last_name="A",
            first_name="B",
            roles=[Role.STAFF],
        )

    # The refusal alone is in the trail, recorded by the service itself.
    assert [e.action for e in service_events()] == [AuditAction.DENIED]


def test_roles_are_set_exactly_and_each_change_is_recorded(administrator, teacher):
    services.person_set_roles(
        actor=administrator, person=teacher, roles=[Role.STAFF, Role.SUPPORT]
    )
    services.person_set_roles(actor=administrator, person=teacher, roles=[Role.SUPPORT])

    assert selectors.roles_of(user=type(teacher).objects.get(pk=teacher.pk)) == [
        Role.SUPPORT
    ]
    actions = list(service_events().values_list("action", "details__role"))
    assert actions == [
        (AuditAction.ROLE_ADD, "support"),
        (AuditAction.ROLE_REMOVE, "staff"),
    ]


def test_setting_roles_keeps_an_appointed_role(administrator, security_officer):
    services.person_set_roles(
        actor=administrator, person=security_officer, roles=[Role.STAFF]
    )

    assert Role.SECURITY_OFFICER in selectors.roles_of(
        user=type(security_officer).objects.get(pk=security_officer.pk)
    )


def test_the_administrator_cant_drop_their_own_administrator_role(administrator):
    with pytest.raises(ValidationError):
        services.person_set_roles(
            actor=administrator, person=administrator, roles=[Role.STAFF]
        )


def test_a_leaver_is_deactivated_not_deleted(administrator, teacher):
    services.person_deactivate(actor=administrator, person=teacher)

    teacher.refresh_from_db()
    assert not teacher.is_active
    assert service_events().get().action == AuditAction.DEACTIVATE


def test_an_appointed_officer_cant_be_deactivated_before_a_successor(
    administrator, teacher
):
    from datetime import date

    from accounts.models import AppointedRole

    services.appoint(
        actor=administrator,
        person=teacher,
        role=AppointedRole.RECORDS_OFFICER,
        starts_on=date(2026, 9, 1),
        order_number="1-к",
        order_date=date(2026, 8, 30),
    )

    with pytest.raises(ValidationError):
        services.person_deactivate(actor=administrator, person=teacher)
    teacher.refresh_from_db()
    assert teacher.is_active
