"""The daily signals e-mail reminds each executor of what is due tomorrow and
overdue, and the principal of the overdue count: counts and links only, never
a document's contents."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from execution import services

pytestmark = pytest.mark.django_db


def test_executors_and_the_principal_are_reminded_without_contents(
    settings, director, teacher, records_officer, register
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person in (director, teacher, records_officer):
        person.email = f"{person.username}@school.example"
        person.save()
    today = timezone.localdate()
    letter = register(
        records_officer,
        registered_on=today - timedelta(days=5),
        summary="Жашыруун мазмун",
        correspondent="Райондук бөлүм",
    )
    for deadline in (today - timedelta(days=1), today + timedelta(days=1)):
        services.give_resolution(
            actor=director,
            document=letter,
            text="Мазмуну катта",
            responsible=teacher,
            deadline=deadline,
        )

    call_command(
        "send_daily_signals", base_url="https://school.example", stdout=io.StringIO()
    )

    by_person = {message.to[0]: message.body for message in mail.outbox}
    body = by_person["teacher@school.example"]
    assert "Your overdue assignments: 1" in body
    assert "Your assignments due tomorrow: 1" in body
    assert "Overdue resolutions: 1" in by_person["director@school.example"]
    for text in by_person.values():
        assert "Жашыруун" not in text and "Мазмуну" not in text
