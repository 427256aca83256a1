"""Demo trail for seed_demo: three weeks of plausible events for the demo people.

Sign-ins and sign-outs on school days, a teacher and a parent opening a
student's record, official-use reads (one late in the evening), a few failed
sign-ins and a denied attempt. Every event goes through record(), so the chain
is sound. Idempotent: the demo events carry request ids starting "demo-".
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from audit.context import RequestInfo, current_request
from audit.models import AuditAction, AuditEvent, AuditOutcome
from audit.services import record

DAYS = 21
STAFF = ["admin", "director", "security", "records", "teacher", "support"]
DEVICES = {
    "school": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/128.0 Safari/537.36",
    "phone": "Mozilla/5.0 (Linux; Android 13) Chrome/128.0 Mobile Safari/537.36",
}
OFFICIAL_DOCUMENT = "Буйрук №17-к (кызматтык колдонуу үчүн)"


def seed() -> int:
    """Add the demo trail once; the number of events added."""
    if AuditEvent.objects.filter(request_id__startswith="demo-").exists():
        return 0
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[*STAFF, "student1", "student2", "parent1"]
        )
    }
    plan = sorted(_plan(people, timezone.localdate()), key=lambda item: item[0])
    for n, (at, address, device, kwargs) in enumerate(plan, start=1):
        token = current_request.set(
            RequestInfo(
                request_id=f"demo-{n}",
                client_address=address,
                user_agent=DEVICES[device],
            )
        )
        try:
            record(at=at, **kwargs)
        finally:
            current_request.reset(token)
    return len(plan)


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _plan(people: dict, today: date):
    rng = random.Random(4)  # noqa: S311  (demo data, not security)
    staff = [people[name] for name in STAFF if name in people]
    student = people.get("student1")
    other_student = people.get("student2")
    parent = people.get("parent1")
    records = people.get("records")
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day.isoweekday() >= 6:
            continue
        for person in staff:
            host = f"192.168.1.{10 + STAFF.index(person.username)}"
            start = rng.randint(0, 50)
            yield (
                _at(day, 8, start),
                host,
                "school",
                {
                    "actor": person,
                    "action": AuditAction.LOGIN,
                },
            )
            yield (
                _at(day, 16, rng.randint(0, 59)),
                host,
                "school",
                {
                    "actor": person,
                    "action": AuditAction.LOGOUT,
                },
            )
        if "teacher" in people and student and rng.random() < 0.6:
            target = student if rng.random() < 0.5 else other_student or student
            yield (
                _at(day, 10, rng.randint(0, 59)),
                "192.168.1.14",
                "school",
                {
                    "actor": people["teacher"],
                    "action": AuditAction.VIEW,
                    "target": target,
                },
            )
        for name in ("director", "security"):
            if name in people and rng.random() < 0.4:
                yield (
                    _at(day, 11, rng.randint(0, 59)),
                    "192.168.1.11",
                    "school",
                    {
                        "actor": people[name],
                        "action": AuditAction.VIEW,
                        "target_label": OFFICIAL_DOCUMENT,
                        "details": {"official_use": True},
                    },
                )
        if parent and student and back % 5 == 0:
            yield (
                _at(day, 19, 30),
                "10.20.30.40",
                "phone",
                {
                    "actor": parent,
                    "action": AuditAction.LOGIN,
                },
            )
            yield (
                _at(day, 19, 32),
                "10.20.30.40",
                "phone",
                {
                    "actor": parent,
                    "action": AuditAction.VIEW,
                    "target": student,
                },
            )
    # A mistyped name, a forgotten password, a look where one may not look.
    day = today - timedelta(days=9)
    yield (
        _at(day, 7, 55),
        "192.168.1.30",
        "school",
        {
            "actor": None,
            "action": AuditAction.LOGIN_FAILED,
            "outcome": AuditOutcome.DENIED,
            "details": {"username": "diretor"},
        },
    )
    if "teacher" in people:
        for minute in (2, 3):
            yield (
                _at(day, 8, minute),
                "192.168.1.14",
                "school",
                {
                    "actor": people["teacher"],
                    "action": AuditAction.LOGIN_FAILED,
                    "outcome": AuditOutcome.DENIED,
                    "details": {"username": "teacher"},
                },
            )
    if student:
        yield (
            _at(today - timedelta(days=6), 13, 5),
            "192.168.1.50",
            "school",
            {
                "actor": student,
                "action": AuditAction.DENIED,
                "outcome": AuditOutcome.DENIED,
                "details": {
                    "permission": "audit.view_audit_report",
                    "path": "/audit/",
                    "status": 404,
                },
            },
        )
    # The one after-hours read of official-use material.
    if records:
        day = today - timedelta(days=4)
        while day.isoweekday() >= 6:
            day -= timedelta(days=1)
        yield (
            _at(day, 21, 40),
            "192.168.1.13",
            "school",
            {
                "actor": records,
                "action": AuditAction.VIEW,
                "target_label": OFFICIAL_DOCUMENT,
                "details": {"official_use": True},
            },
        )
