"""The daily e-mail of signals: counts and links, once a day, no personal data."""

import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from office import health
from office.models import CarrierIssue, PeriodicControl
from tests.office.conftest import clear, days


def send() -> str:
    out = io.StringIO()
    call_command("send_daily_signals", base_url="https://school.example", stdout=out)
    return out.getvalue()


def test_each_responsible_person_gets_their_signals_once_a_day(
    settings, everyone, appointed, carrier
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person in everyone.values():
        person.email = f"{person.username}@school.example"
        person.save()
        clear(person)
    teacher = everyone["teacher"]
    teacher.first_name, teacher.last_name = "Бермет", "Осмонова"
    teacher.save()
    PeriodicControl.objects.filter(key="backups").update(next_due_on=days(-2))
    CarrierIssue.objects.create(
        carrier=carrier,
        holder=teacher,
        issued_on=days(-9),
        due_back_on=days(-1),
        issued_by=everyone["security_officer"],
    )

    assert "Sent 3 message(s)." in send()

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "admin@school.example",
        "director@school.example",
        "security@school.example",
    ]
    officer = next(m for m in mail.outbox if m.to == ["security@school.example"])
    assert "https://school.example/office/controls/" in officer.body
    assert "https://school.example/office/carriers/" in officer.body
    for message in mail.outbox:
        assert "Осмонова" not in message.body and "USB-001" not in message.body

    assert "Sent 0 message(s)." in send()
    assert len(mail.outbox) == 3


def test_nobody_is_mailed_when_nothing_needs_them(
    settings, everyone, appointed, monkeypatch
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person in everyone.values():
        person.email = f"{person.username}@school.example"
        person.save()
        clear(person)
    fresh = health.Run(at=timezone.now(), ok=True)
    monkeypatch.setattr(health, "latest_runs", lambda source: (fresh, fresh))

    send()

    assert mail.outbox == []
