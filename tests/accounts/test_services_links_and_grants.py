"""Parents and children; permissions given on one person's record."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts import access, services
from accounts.models import ParentLink
from accounts.roles import Role
from audit.models import AuditAction
from tests.factories import UserFactory
from tests.trail import service_events


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_a_parent_sees_their_own_child_and_no_one_elses(administrator, parent, student):
    other_child = UserFactory(username="student2", roles=[Role.STUDENT])
    services.parent_link(actor=administrator, parent=parent, child=student)

    assert access.can(fresh(parent), "accounts.view_user", student)
    assert not access.can(fresh(parent), "accounts.view_user", other_child)
    event = service_events().get()
    assert (event.action, event.target_id) == (AuditAction.LINK, str(student.pk))


@pytest.mark.parametrize("wrong", ["teacher", "parent"])
def test_only_a_parent_is_linked_and_only_to_a_student(
    administrator, parent, teacher, wrong
):
    people = {"teacher": teacher, "parent": parent}

    with pytest.raises(ValidationError):
        services.parent_link(actor=administrator, parent=parent, child=people[wrong])

    assert not ParentLink.objects.exists()


def test_linking_twice_is_refused_cleanly(administrator, parent, student):
    services.parent_link(actor=administrator, parent=parent, child=student)

    with pytest.raises(ValidationError):
        services.parent_link(actor=administrator, parent=parent, child=student)

    assert ParentLink.objects.count() == 1


def test_unlinking_is_recorded(administrator, parent, student):
    link = services.parent_link(actor=administrator, parent=parent, child=student)

    services.parent_unlink(actor=administrator, link=link)

    assert not ParentLink.objects.exists()
    assert not access.can(fresh(parent), "accounts.view_user", student)


def test_administrator_gives_a_teacher_view_of_one_students_record(
    administrator, teacher, student
):
    services.object_permission_grant(
        actor=administrator,
        obj=student,
        permission="accounts.view_user",
        grantee=teacher,
    )

    assert access.can(fresh(teacher), "accounts.view_user", student)
    other = UserFactory(username="student9", roles=[Role.STUDENT])
    assert not access.can(fresh(teacher), "accounts.view_user", other)

    services.object_permission_revoke(
        actor=administrator,
        obj=student,
        permission="accounts.view_user",
        grantee=teacher,
    )
    assert not access.can(fresh(teacher), "accounts.view_user", student)
    assert list(service_events().values_list("action", flat=True)) == [
        AuditAction.GRANT,
        AuditAction.REVOKE,
    ]


def test_a_permission_on_a_record_is_refused_to_a_student(administrator, student):
    classmate = UserFactory(username="student9", roles=[Role.STUDENT])

    with pytest.raises(ValidationError):
        services.object_permission_grant(
            actor=administrator,
            obj=classmate,
            permission="accounts.view_user",
            grantee=student,
        )

    assert not access.can(fresh(student), "accounts.view_user", classmate)
    assert not service_events().exists()


def test_a_permission_not_offered_for_the_object_is_refused(
    administrator, teacher, student
):
    with pytest.raises(ValidationError):
        services.object_permission_grant(
            actor=administrator,
            obj=student,
            permission="accounts.change_user",
            grantee=teacher,
        )


def test_a_role_may_be_given_the_permission_as_a_whole(administrator, teacher, student):
    staff = Group.objects.get(name=Role.STAFF)

    services.object_permission_grant(
        actor=administrator, obj=student, permission="accounts.view_user", grantee=staff
    )

    assert access.can(fresh(teacher), "accounts.view_user", student)


def test_a_teacher_may_not_give_permissions(teacher, student, director):
    with pytest.raises(access.Forbidden):
        services.object_permission_grant(
            actor=teacher,
            obj=student,
            permission="accounts.view_user",
            grantee=director,
        )
