"""The people, appointments, onboarding and permissions pages: allowed, 403, 404."""

from django.urls import reverse

from accounts import selectors
from accounts.models import Appointment, ParentLink
from accounts.roles import Role
from audit.models import AuditAction, AuditOutcome
from tests.factories import UserFactory
from tests.trail import service_events


def test_the_people_list_costs_the_same_for_5_and_50_rows(
    client, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    UserFactory.create_batch(5, roles=[Role.STUDENT])
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("people"))
    UserFactory.create_batch(45, roles=[Role.STUDENT])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("people"))

    assert len(response.context["rows"]) == 50


def test_a_person_page_is_recorded_as_a_read(client, administrator, student):
    client.force_login(administrator)

    client.get(reverse("person_detail", args=[student.pk]))

    event = service_events().get(action=AuditAction.VIEW)
    assert (event.actor, event.target_id) == (administrator, str(student.pk))


def test_another_childs_page_is_404_for_a_parent_and_recorded(client, parent, student):
    other = UserFactory(username="student2", roles=[Role.STUDENT])
    ParentLink.objects.create(parent=parent, child=student, linked_by=parent)
    client.force_login(parent)

    assert client.get(reverse("person_detail", args=[student.pk])).status_code == 200
    assert client.get(reverse("person_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[99999])).status_code == 404

    denied = service_events().filter(outcome=AuditOutcome.DENIED)
    assert denied.count() == 2
    assert denied.filter(details__status=404, target_label=str(other)).exists()


def test_a_parent_who_sees_a_child_may_not_change_its_roles(client, parent, student):
    ParentLink.objects.create(parent=parent, child=student, linked_by=parent)
    client.force_login(parent)

    response = client.post(
        reverse("person_roles", args=[student.pk]), {"roles": ["staff"]}
    )

    assert response.status_code == 403
    assert selectors.roles_of(user=type(student).objects.get(pk=student.pk)) == [
        Role.STUDENT
    ]


def test_forged_fields_cant_make_a_superuser(client, administrator):
    client.force_login(administrator)

    client.post(
        reverse("person_create"),
        {
            "username": "newbie",
            "last_name": "Жаңы",
            "first_name": "Адам",
            "roles": ["staff"],
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    newbie = type(administrator).objects.get(username="newbie")
    assert not newbie.is_superuser and not newbie.is_staff


def test_an_offered_role_list_cant_be_forged(client, administrator, teacher):
    client.force_login(administrator)

    client.post(
        reverse("person_roles", args=[teacher.pk]), {"roles": ["records_officer"]}
    )

    assert Role.RECORDS_OFFICER not in selectors.roles_of(
        user=type(teacher).objects.get(pk=teacher.pk)
    )


def test_the_appointments_page_appoints_and_refuses_an_occupied_role(
    client, administrator, teacher, security_officer
):
    Appointment.objects.create(
        person=security_officer,
        role="security_officer",
        starts_on="2026-09-01",
        order_number="1",
        order_date="2026-09-01",
        appointed_by=administrator,
    )
    client.force_login(administrator)
    form = {
        "person": "teacher",
        "role": "security_officer",
        "starts_on": "2026-11-02",
        "order_number": "77-к",
        "order_date": "2026-11-01",
    }

    client.post(reverse("appointments"), form)
    assert (
        Appointment.objects.filter(ends_on__isnull=True).get().person
        == security_officer
    )

    client.post(reverse("appointments"), {**form, "replace_current": "on"})
    assert Appointment.objects.filter(ends_on__isnull=True).get().person == teacher


def test_the_principal_sees_appointments_but_may_not_appoint(client, director, teacher):
    client.force_login(director)

    assert client.get(reverse("appointments")).status_code == 200
    response = client.post(
        reverse("appointments"),
        {
            "person": "teacher",
            "role": "security_officer",
            "starts_on": "2026-11-02",
            "order_number": "77-к",
            "order_date": "2026-11-01",
        },
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_the_onboarding_gate_page_says_whether_one_is_cleared(
    client, teacher, security_officer
):
    client.force_login(teacher)
    assert not client.get(reverse("onboarding")).context["cleared"]

    client.post(reverse("pledge_accept"), {"agree": "yes"})
    client.post(reverse("familiarization_confirm"), {"agree": "yes"})
    client.force_login(security_officer)
    client.post(reverse("briefing_record", args=[teacher.pk]))
    client.force_login(teacher)

    assert client.get(reverse("onboarding")).context["cleared"]


def test_a_pledge_without_the_tick_is_not_recorded(client, teacher):
    client.force_login(teacher)

    client.post(reverse("pledge_accept"))

    assert not client.get(reverse("onboarding")).context["onboarding"].pledge_current


def test_permissions_page_of_an_unknown_kind_of_object_is_404(client, administrator):
    client.force_login(administrator)

    url = reverse("object_permissions", args=["auth.group", 1])
    assert client.get(url).status_code == 404


def test_administrator_grants_on_the_permissions_page(
    client, administrator, teacher, student
):
    client.force_login(administrator)
    url = reverse("object_permissions", args=["accounts.user", student.pk])

    client.post(url, {"permission": "accounts.view_user", "person": "teacher"})
    client.force_login(teacher)
    assert client.get(reverse("person_detail", args=[student.pk])).status_code == 200

    client.force_login(administrator)
    client.post(
        reverse("object_permission_revoke", args=["accounts.user", student.pk]),
        {"permission": "accounts.view_user", "user": teacher.pk},
    )
    client.force_login(teacher)
    assert client.get(reverse("person_detail", args=[student.pk])).status_code == 404
