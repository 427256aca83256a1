"""Things the security office's tests share: cleared people, a resource, a carrier."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import PLEDGE_VERSION, AppointedRole, Appointment, Onboarding
from office.models import (
    Carrier,
    CarrierCategory,
    CarrierKind,
    ProtectedResource,
    ResourceKind,
)


def clear(person, *, briefed_days_ago: int = 0) -> None:
    """Onboarding complete (2.5): pledge, familiarization, briefing."""
    now = timezone.now()
    Onboarding.objects.update_or_create(
        person=person,
        defaults={
            "pledge_version": PLEDGE_VERSION,
            "pledge_accepted_at": now,
            "familiarized_at": now,
            "briefed_at": now - timedelta(days=briefed_days_ago),
        },
    )


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def appointed(security_officer, records_officer, administrator):
    """Both officers appointed by order, so "nobody appointed" signals are quiet."""
    for person, role in [
        (security_officer, AppointedRole.SECURITY_OFFICER),
        (records_officer, AppointedRole.RECORDS_OFFICER),
    ]:
        Appointment.objects.create(
            person=person,
            role=role,
            starts_on=days(-30),
            order_number="1-к",
            order_date=days(-31),
            appointed_by=administrator,
        )


@pytest.fixture
def resource(security_officer):
    return ProtectedResource.objects.create(
        name="Электрондук журнал",
        kind=ResourceKind.INFORMATION_SYSTEM,
        responsible=security_officer,
        location="Сервер",
        holds_personal_data=True,
        protection_measures="Логин жана сырсөз",
        access_holders="Мугалимдер",
        next_review_on=days(100),
    )


@pytest.fixture
def carrier(db):
    return Carrier.objects.create(
        inventory_number="USB-001",
        kind=CarrierKind.USB_DRIVE,
        category=CarrierCategory.OFFICIAL_USE,
        next_check_on=days(90),
        registered_on=days(-10),
    )
