"""The report's local time is worked out in SQL bounds (issue 19): the day an
event is charted on and whether it is after hours follow the school's clock,
at the edges of a day and of school hours, and across a summer-time switch."""

from datetime import date, datetime, time

import pytest
from django.test import override_settings
from django.utils import timezone

from audit import reports
from audit.models import AuditAction
from audit.services import record

# A Monday to Sunday week, in a month without a clock change.
WEEK = reports.Period(date(2026, 11, 16), date(2026, 11, 22))


def read(teacher, day: date, hour: int, minute: int = 0, label: str = ""):
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return record(
        actor=teacher,
        action=AuditAction.VIEW,
        target_label=label or f"{day} {hour}:{minute:02}",
        details={"official_use": True},
        at=moment,
    )


def found(period):
    return reports.events(filters={}, period=period)


@pytest.mark.django_db
def test_an_event_is_charted_on_its_local_day_at_either_edge(teacher):
    read(teacher, date(2026, 11, 16), 0, 0)  # the first moment of Monday
    read(teacher, date(2026, 11, 16), 23, 59)
    read(teacher, date(2026, 11, 17), 0, 0)
    read(teacher, date(2026, 11, 22), 23, 59)  # the last minute of the week

    days = dict(reports.activity_by_day(found(WEEK), WEEK))

    assert days == {
        date(2026, 11, 16): 2,
        date(2026, 11, 17): 1,
        date(2026, 11, 18): 0,
        date(2026, 11, 19): 0,
        date(2026, 11, 20): 0,
        date(2026, 11, 21): 0,
        date(2026, 11, 22): 1,
    }


@pytest.mark.django_db
def test_after_hours_is_before_the_start_from_the_end_and_all_weekend(teacher):
    tuesday, saturday = date(2026, 11, 17), date(2026, 11, 21)
    for hour, minute in [(7, 59), (8, 0), (12, 0), (17, 59), (18, 0), (23, 30)]:
        read(teacher, tuesday, hour, minute)
    read(teacher, saturday, 11, 0)
    read(teacher, date(2026, 11, 16), 0, 0)  # Monday, the week's first moment

    late = reports.after_hours(found(WEEK), WEEK)

    assert sorted(e.target_label for e in late) == [
        "2026-11-16 0:00",
        "2026-11-17 18:00",
        "2026-11-17 23:30",
        "2026-11-17 7:59",
        "2026-11-21 11:00",
    ]


@pytest.mark.django_db
@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_summer_time_switch_moves_the_bounds_with_the_clock(teacher):
    # Clocks went forward at 02:00 on Sunday 29 March 2026: that day has 23 hours.
    period = reports.Period(date(2026, 3, 27), date(2026, 3, 31))
    read(teacher, date(2026, 3, 29), 23, 30)
    read(teacher, date(2026, 3, 30), 0, 30)
    read(teacher, date(2026, 3, 30), 8, 0)  # Monday, in hours by the new clock
    read(teacher, date(2026, 3, 30), 7, 30)

    days = dict(reports.activity_by_day(found(period), period))
    late = {e.target_label for e in reports.after_hours(found(period), period)}

    assert days[date(2026, 3, 29)] == 1
    assert days[date(2026, 3, 30)] == 3
    assert late == {"2026-03-29 23:30", "2026-03-30 0:30", "2026-03-30 7:30"}
