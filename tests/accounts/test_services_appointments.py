"""Appointments of the two officers by school order (2.3, 4.3)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts import access, selectors, services
from accounts.models import AppointedRole, Appointment
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

ORDER = {"order_number": "15-к", "order_date": date(2026, 9, 1)}


def appoint(actor, person, **extra):
    return services.appoint(
        actor=actor,
        person=person,
        role=AppointedRole.SECURITY_OFFICER,
        starts_on=date(2026, 9, 2),
        **ORDER,
        **extra,
    )


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_administrator_appoints_the_security_officer_by_order(administrator, teacher):
    appointment = appoint(administrator, teacher)

    assert appointment.is_current
    assert Role.SECURITY_OFFICER in selectors.roles_of(user=fresh(teacher))
    event = AuditEvent.objects.get(action=AuditAction.APPOINT)
    assert event.actor == administrator
    assert event.details["order_number"] == "15-к"


def test_a_second_appointment_to_an_occupied_role_is_refused(administrator, teacher):
    appoint(administrator, teacher)
    other = UserFactory(username="other", roles=[Role.STAFF])

    with pytest.raises(ValidationError):
        appoint(administrator, other)

    assert Appointment.objects.count() == 1
    assert Role.SECURITY_OFFICER not in selectors.roles_of(user=fresh(other))


def test_replacing_ends_the_current_and_starts_the_next_in_one_action(
    administrator, teacher
):
    first = appoint(administrator, teacher)
    other = UserFactory(username="other", roles=[Role.STAFF])

    services.appoint(
        actor=administrator,
        person=other,
        role=AppointedRole.SECURITY_OFFICER,
        starts_on=date(2027, 1, 10),
        replace_current=True,
        **ORDER,
    )

    first.refresh_from_db()
    assert first.ends_on == date(2027, 1, 10)
    assert Role.SECURITY_OFFICER not in selectors.roles_of(user=fresh(teacher))
    assert Role.SECURITY_OFFICER in selectors.roles_of(user=fresh(other))
    assert Appointment.objects.count() == 2
    assert list(
        AuditEvent.objects.order_by("seq").values_list("action", flat=True)
    ) == [AuditAction.APPOINT, AuditAction.APPOINTMENT_END, AuditAction.APPOINT]


def test_only_an_employee_can_be_appointed(administrator, student):
    with pytest.raises(ValidationError):
        appoint(administrator, student)


def test_the_principal_may_not_appoint(director, teacher):
    with pytest.raises(access.Forbidden):
        appoint(director, teacher)

    assert not Appointment.objects.exists()
