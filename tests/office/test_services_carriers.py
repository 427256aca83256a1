"""The register of carriers (3): register, issue, return, check, destroy."""

import pytest
from django.core.exceptions import ValidationError

from accounts.access import Forbidden
from audit.models import AuditAction
from office import services
from office.models import Carrier, CarrierCategory, CarrierIssue, CarrierKind
from tests.office.conftest import clear, days
from tests.trail import service_events


def test_a_carrier_is_registered_with_a_unique_inventory_number(security_officer):
    carrier = services.carrier_register(
        actor=security_officer,
        inventory_number="USB-007",
        kind=CarrierKind.USB_DRIVE,
        category=CarrierCategory.PERSONAL_DATA,
        next_check_on=days(90),
    )

    event = service_events().get(action=AuditAction.ENTER)
    assert event.target_id == str(carrier.pk)
    assert event.details == {
        "kind": CarrierKind.USB_DRIVE,
        "category": CarrierCategory.PERSONAL_DATA,
    }
    with pytest.raises(ValidationError, match="usb-007 is taken"):
        services.carrier_register(
            actor=security_officer,
            inventory_number="usb-007",
            kind=CarrierKind.USB_DRIVE,
            category=CarrierCategory.OPEN,
            next_check_on=days(90),
        )
    assert Carrier.objects.count() == 1


def test_issued_to_a_cleared_teacher_and_recorded(security_officer, teacher, carrier):
    clear(teacher)

    issue = services.carrier_issue(
        actor=security_officer,
        carrier=carrier,
        holder=teacher,
        issued_on=days(0),
        due_back_on=days(7),
    )

    assert issue.holder == teacher
    event = service_events().get(action=AuditAction.ISSUE)
    assert (event.actor, event.target_id) == (security_officer, str(carrier.pk))
    assert event.details == {
        "holder": teacher.pk,
        "issued_on": days(0).isoformat(),
        "due_back_on": days(7).isoformat(),
    }


def test_not_issued_to_someone_whose_onboarding_is_incomplete(
    security_officer, teacher, carrier
):
    with pytest.raises(ValidationError, match="onboarding"):
        services.carrier_issue(
            actor=security_officer,
            carrier=carrier,
            holder=teacher,
            issued_on=days(0),
            due_back_on=days(7),
        )

    assert not CarrierIssue.objects.exists()
    assert not service_events().exists()


def test_not_issued_twice(security_officer, teacher, support, carrier):
    clear(teacher)
    clear(support)
    services.carrier_issue(
        actor=security_officer,
        carrier=carrier,
        holder=teacher,
        issued_on=days(0),
        due_back_on=days(7),
    )

    with pytest.raises(ValidationError, match="already issued"):
        services.carrier_issue(
            actor=security_officer,
            carrier=carrier,
            holder=support,
            issued_on=days(0),
            due_back_on=days(7),
        )

    assert CarrierIssue.objects.get().holder == teacher
    assert service_events().filter(action=AuditAction.ISSUE).count() == 1


@pytest.mark.parametrize(
    ("issued", "due"), [(1, 7), (0, -1)], ids=["future-issue", "due-before-issue"]
)
def test_dates_out_of_order_are_refused(
    security_officer, teacher, carrier, issued, due
):
    clear(teacher)

    with pytest.raises(ValidationError):
        services.carrier_issue(
            actor=security_officer,
            carrier=carrier,
            holder=teacher,
            issued_on=days(issued),
            due_back_on=days(due),
        )

    assert not CarrierIssue.objects.exists()


def test_a_student_never_receives_a_carrier(security_officer, student, carrier):
    with pytest.raises(ValidationError):
        services.carrier_issue(
            actor=security_officer,
            carrier=carrier,
            holder=student,
            issued_on=days(0),
            due_back_on=days(7),
        )


def test_the_principal_may_not_issue(director, teacher, carrier):
    clear(teacher)

    with pytest.raises(Forbidden):
        services.carrier_issue(
            actor=director,
            carrier=carrier,
            holder=teacher,
            issued_on=days(0),
            due_back_on=days(7),
        )

    assert not CarrierIssue.objects.exists()


def test_returned_then_issuable_again(security_officer, teacher, carrier):
    clear(teacher)
    services.carrier_issue(
        actor=security_officer,
        carrier=carrier,
        holder=teacher,
        issued_on=days(-3),
        due_back_on=days(7),
    )

    with pytest.raises(ValidationError):
        services.carrier_return(
            actor=security_officer, carrier=carrier, returned_on=days(-4)
        )
    services.carrier_return(
        actor=security_officer, carrier=carrier, returned_on=days(0)
    )

    issue = CarrierIssue.objects.get()
    assert (issue.returned_on, issue.returned_to) == (days(0), security_officer)
    assert service_events().get(action=AuditAction.RETURN).details["holder"] == (
        teacher.pk
    )
    with pytest.raises(ValidationError):
        services.carrier_return(
            actor=security_officer, carrier=carrier, returned_on=days(0)
        )
    services.carrier_issue(
        actor=security_officer,
        carrier=carrier,
        holder=teacher,
        issued_on=days(0),
        due_back_on=days(7),
    )
    assert CarrierIssue.objects.count() == 2


def test_a_check_moves_the_next_check(security_officer, carrier):
    services.carrier_check(
        actor=security_officer, carrier=carrier, checked_on=days(0), note="Бар, бүтүн"
    )

    carrier.refresh_from_db()
    assert carrier.next_check_on == days(90)
    event = service_events().get(action=AuditAction.CHECK)
    assert event.details["next_check_on"] == days(90).isoformat()


def test_a_check_needs_a_note_and_a_real_date(security_officer, carrier):
    for checked_on, note in [(days(0), "  "), (days(1), "ok"), (days(-11), "ok")]:
        with pytest.raises(ValidationError):
            services.carrier_check(
                actor=security_officer,
                carrier=carrier,
                checked_on=checked_on,
                note=note,
            )

    assert not carrier.checks.exists()
    assert not service_events().exists()


def test_destroyed_by_act_only_when_back_in_storage(security_officer, teacher, carrier):
    clear(teacher)
    services.carrier_issue(
        actor=security_officer,
        carrier=carrier,
        holder=teacher,
        issued_on=days(0),
        due_back_on=days(7),
    )
    with pytest.raises(ValidationError, match="back"):
        services.carrier_destroy(
            actor=security_officer,
            carrier=carrier,
            destroyed_on=days(0),
            act_number="3",
        )
    services.carrier_return(
        actor=security_officer, carrier=carrier, returned_on=days(0)
    )
    with pytest.raises(ValidationError, match="act"):
        services.carrier_destroy(
            actor=security_officer, carrier=carrier, destroyed_on=days(0), act_number=""
        )

    services.carrier_destroy(
        actor=security_officer,
        carrier=carrier,
        destroyed_on=days(0),
        act_number="3",
        note="Майдаланды",
    )

    carrier.refresh_from_db()
    assert (carrier.destroyed_on, carrier.destruction_act_number) == (days(0), "3")
    assert service_events().get(action=AuditAction.DESTROY).details == {
        "destroyed_on": days(0).isoformat(),
        "act_number": "3",
    }
    with pytest.raises(ValidationError, match="destroyed"):
        services.carrier_issue(
            actor=security_officer,
            carrier=carrier,
            holder=teacher,
            issued_on=days(0),
            due_back_on=days(7),
        )
