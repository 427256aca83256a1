"""Appointments of the two officers by school order (2.3, 4.3)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts import access, selectors, services
from accounts.models import AppointedRole, Appointment
from accounts.roles import Role
from audit.models import AuditAction
from tests.factories import UserFactory
from tests.trail import service_events

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
    event = service_events().get(action=AuditAction.APPOINT)
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
    assert list(service_events().values_list("action", flat=True)) == [
        AuditAction.APPOINT,
        AuditAction.APPOINTMENT_END,
        AuditAction.APPOINT,
    ]


def test_only_an_employee_can_be_appointed(administrator, student):
    with pytest.raises(ValidationError):
        appoint(administrator, student)


def test_the_principal_may_not_appoint(director, teacher):
    with pytest.raises(access.Forbidden):
        appoint(director, teacher)

    assert not Appointment.objects.exists()


def test_the_order_registered_in_the_orders_journal_is_linked(
    administrator, records_officer, teacher
):
    from documents import services as documents_services
    from documents.models import DocumentClass, Journal, JournalKind
    from tests.documents.conftest import ensure_registry_basics

    ensure_registry_basics()
    order = documents_services.register_document(
        actor=records_officer,
        journal=Journal.objects.get(kind=JournalKind.ORDERS, name=""),
        document_class=DocumentClass.objects.get(code="order"),
        summary="Маалыматтык коопсуздукка жооптууну дайындоо жөнүндө",
        registered_on=date(2026, 9, 1),
    )

    appointment = services.appoint(
        actor=administrator,
        person=teacher,
        role=AppointedRole.SECURITY_OFFICER,
        starts_on=date(2026, 9, 2),
        order_number=order.number,
        order_date=date(2026, 9, 1),
    )

    assert appointment.order_document == order


def test_an_order_not_in_the_journal_is_kept_by_number_only(administrator, teacher):
    appointment = appoint(administrator, teacher)

    assert appointment.order_number == "15-к"
    assert appointment.order_document is None
