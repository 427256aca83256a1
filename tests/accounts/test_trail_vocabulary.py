"""Each action on people, done from its page, is in the trail by its name, with
the rows django-auditlog logged for it carried in its ``field_log`` and no
separate "Created" or "Changed" for them."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts import access, services
from accounts.models import AppointedRole, Appointment, Onboarding, ParentLink, User
from accounts.roles import Role
from audit.auditlog import COPIES
from audit.models import AuditAction, AuditEvent
from tests.account_security.browser import submit
from tests.factories import UserFactory
from tests.trail import the_event


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response


def rows(event) -> dict[str, dict]:
    """The event's field_log by the row's model."""
    return {line["target_type"]: line for line in event.details["field_log"]}


def no_copy_since(since: int) -> None:
    """Every row logged since ``since`` is carried by a business event."""
    assert not AuditEvent.objects.filter(
        seq__gt=since, action__in=COPIES.values()
    ).exists()


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()


def test_an_account_opened_from_its_page(client, administrator):
    client.force_login(administrator)
    since = last_seq()

    submit(
        client,
        page(client, "person_create"),
        {
            "username": "aidai",
            "last_name": "Маматова",
            "first_name": "Айдай",
            "school_class": "5А",
            "roles": ["student"],
        },
        having="username",
    )

    person = User.objects.get(username="aidai")
    event = the_event(AuditAction.ACCOUNT_OPEN, target_id=str(person.pk))
    assert (event.actor, event.details["roles"], event.details["class"]) == (
        administrator,
        ["student"],
        "5А",
    )
    account = rows(event)["accounts.user"]
    assert (account["old"], account["new"]["username"]) == ({}, "aidai")
    assert account["entry"] == LogEntry.objects.get_for_object(person).get().pk
    no_copy_since(since)


def test_roles_given_and_taken_from_the_person_page(client, administrator, teacher):
    client.force_login(administrator)
    since = last_seq()

    submit(
        client,
        page(client, "person_detail", teacher.pk),
        {"roles": [Role.ADMINISTRATOR.value]},
        action=reverse("person_roles", args=[teacher.pk]),
    )

    given = the_event(AuditAction.ROLE_ADD, target_id=str(teacher.pk))
    taken = the_event(AuditAction.ROLE_REMOVE, target_id=str(teacher.pk))
    assert (given.details["role"], taken.details["role"]) == ("administrator", "staff")
    # The back office goes with the administrator's role, in its event.
    account = rows(given)["accounts.user"]
    assert (account["old"], account["new"]) == (
        {"is_staff": "False"},
        {"is_staff": "True"},
    )
    no_copy_since(since)


def test_deactivated_from_the_person_page(client, administrator, teacher):
    client.force_login(administrator)
    since = last_seq()

    submit(
        client,
        page(client, "person_detail", teacher.pk),
        {},
        action=reverse("person_deactivate", args=[teacher.pk]),
    )

    event = the_event(AuditAction.DEACTIVATE, target_id=str(teacher.pk))
    assert rows(event)["accounts.user"]["new"] == {"is_active": "False"}
    no_copy_since(since)


def test_appointed_and_replaced_from_the_appointments_page(
    client, administrator, teacher
):
    client.force_login(administrator)
    other = UserFactory(username="other", roles=[Role.STAFF])
    since = last_seq()
    for person, starts_on in ((teacher, "2026-09-02"), (other, "2026-10-01")):
        submit(
            client,
            page(client, "appointments"),
            {
                "person": person.username,
                "role": AppointedRole.SECURITY_OFFICER.value,
                "starts_on": starts_on,
                "order_number": "15-к",
                "order_date": "2026-09-01",
                "replace_current": "on",
            },
            having="order_number",
        )

    first, second = Appointment.objects.order_by("pk")
    appointed = the_event(AuditAction.APPOINT, target_id=str(other.pk))
    assert (appointed.details["appointment"], appointed.details["order_number"]) == (
        second.pk,
        "15-к",
    )
    assert rows(appointed)["accounts.appointment"]["target_id"] == str(second.pk)
    ended = the_event(AuditAction.APPOINTMENT_END, target_id=str(teacher.pk))
    assert (ended.details["appointment"], ended.details["ends_on"]) == (
        first.pk,
        "2026-10-01",
    )
    line = rows(ended)["accounts.appointment"]
    assert (line["old"], line["new"]) == (
        {"ends_on": "None"},
        {"ends_on": "2026-10-01"},
    )
    assert AuditEvent.objects.filter(action=AuditAction.APPOINT).count() == 2
    no_copy_since(since)


def test_onboarding_steps_from_their_pages(client, teacher, security_officer):
    since = last_seq()
    client.force_login(teacher)
    for step in ("pledge_accept", "familiarization_confirm"):
        submit(
            client,
            page(client, "onboarding"),
            {"agree": "yes"},
            action=reverse(step),
        )
    client.force_login(security_officer)
    submit(
        client,
        page(client, "onboarding_register"),
        {},
        action=reverse("briefing_record", args=[teacher.pk]),
    )

    steps = AuditEvent.objects.filter(
        action=AuditAction.ONBOARDING, target_id=str(teacher.pk)
    ).order_by("seq")
    assert [(e.actor, e.details["step"]) for e in steps] == [
        (teacher, "pledge"),
        (teacher, "familiarization"),
        (security_officer, "briefing"),
    ]
    onboarding = Onboarding.objects.get(person=teacher)
    assert [rows(e)["accounts.onboarding"]["target_id"] for e in steps] == [
        str(onboarding.pk)
    ] * 3
    no_copy_since(since)


def test_a_parent_linked_and_unlinked_from_the_person_page(
    client, administrator, parent, student
):
    client.force_login(administrator)
    since = last_seq()

    submit(
        client,
        page(client, "person_detail", parent.pk),
        {"child": student.username},
        action=reverse("parent_link_add", args=[parent.pk]),
    )
    link = ParentLink.objects.get()
    submit(
        client,
        page(client, "person_detail", parent.pk),
        {},
        action=reverse("parent_link_remove", args=[link.pk]),
    )

    linked = the_event(AuditAction.LINK, target_id=str(student.pk))
    unlinked = the_event(AuditAction.UNLINK, target_id=str(student.pk))
    assert linked.details["parent"] == unlinked.details["parent"] == parent.pk
    assert rows(linked)["accounts.parentlink"]["old"] == {}
    assert rows(unlinked)["accounts.parentlink"]["new"] == {}
    no_copy_since(since)


def test_a_permission_granted_and_revoked_from_its_page(
    client, administrator, teacher, student
):
    client.force_login(administrator)
    url_args = ("accounts.user", student.pk)

    submit(
        client,
        page(client, "object_permissions", *url_args),
        {"permission": "accounts.view_user", "person": teacher.username},
        having="permission",
    )
    submit(
        client,
        page(client, "object_permissions", *url_args),
        {},
        action=reverse("object_permission_revoke", args=url_args),
    )

    granted = the_event(AuditAction.GRANT, target_id=str(student.pk))
    revoked = the_event(AuditAction.REVOKE, target_id=str(student.pk))
    for event in (granted, revoked):
        assert (event.details["permission"], event.details["user"]) == (
            "accounts.view_user",
            teacher.pk,
        )
    assert granted.details["by_role_of"] == "accounts.grant_object_permission"


def test_the_principal_appoints_only_through_a_hand_over_act(teacher, director):
    since = last_seq()

    with pytest.raises(access.Forbidden):
        services.appoint(
            actor=director,
            person=teacher,
            role=AppointedRole.SECURITY_OFFICER,
            starts_on=date(2026, 9, 2),
            order_number="15-к",
            order_date=date(2026, 9, 1),
        )

    assert not Appointment.objects.exists()
    assert list(
        AuditEvent.objects.filter(seq__gt=since).values_list("action", flat=True)
    ) == [AuditAction.DENIED]
