"""A deputy the principal appoints by order gives resolutions in the
principal's stead: the portal's appointments by order, with a post of its own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import access
from accounts import services as accounts_services
from accounts.models import AppointedRole
from execution import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_appointed_deputy_gives_resolutions_and_loses_the_power_with_the_post(
    administrator, director, teacher, letter
):
    from accounts.roles import Role

    deputy = UserFactory(username="deputy", roles=[Role.STAFF])
    assert not access.can(deputy, "execution.give_resolution", letter)
    today = timezone.localdate()

    accounts_services.appoint(
        actor=administrator,
        person=deputy,
        role=AppointedRole.DEPUTY_PRINCIPAL,
        starts_on=today,
        order_number="21-к",
        order_date=today,
    )

    deputy = type(deputy).objects.get(pk=deputy.pk)
    resolution = services.give_resolution(
        actor=deputy,
        document=letter,
        text="Жооп даярдалсын",
        responsible=teacher,
        deadline=today + timedelta(days=3),
    )
    assert resolution.author == deputy
    # Each changes only their own resolutions.
    assert access.can(deputy, "execution.change_resolution", resolution)
    assert not access.can(director, "execution.change_resolution", resolution)

    successor = UserFactory(username="successor", roles=[Role.STAFF])
    accounts_services.appoint(
        actor=administrator,
        person=successor,
        role=AppointedRole.DEPUTY_PRINCIPAL,
        starts_on=today,
        order_number="22-к",
        order_date=today,
        replace_current=True,
    )
    deputy = type(deputy).objects.get(pk=deputy.pk)
    assert not access.can(deputy, "execution.give_resolution", letter)
