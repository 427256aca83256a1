"""5.2.3: a breach report is due by the end of the next working day."""

from datetime import datetime

import pytest
from django.utils import timezone

from accounts.models import Holiday
from accounts.security.calendar import due_within_one_working_day

pytestmark = pytest.mark.django_db


def at(*parts):
    return timezone.make_aware(datetime(*parts))


def test_a_friday_evening_report_is_due_monday_end_of_day():
    assert due_within_one_working_day(at(2026, 3, 13, 19, 30)) == at(2026, 3, 16, 18, 0)


def test_a_report_before_a_public_holiday_is_due_the_day_after_it():
    # 5 May 2026, a Tuesday, is Constitution Day.
    assert due_within_one_working_day(at(2026, 5, 4, 10, 0)) == at(2026, 5, 6, 18, 0)


def test_holidays_and_the_weekend_run_together():
    # Friday 20 March 2026 is Orozo Ait, Saturday 21 March Nooruz.
    assert due_within_one_working_day(at(2026, 3, 19, 9, 0)) == at(2026, 3, 23, 18, 0)


def test_an_ordinary_weekday_report_is_due_the_next_day():
    assert due_within_one_working_day(at(2026, 4, 14, 8, 0)) == at(2026, 4, 15, 18, 0)


def test_the_administrator_adds_a_holiday_and_the_deadline_moves():
    Holiday.objects.create(date=datetime(2026, 4, 15).date(), name="Extra day off")

    assert due_within_one_working_day(at(2026, 4, 14, 8, 0)) == at(2026, 4, 16, 18, 0)


def test_the_seeded_holidays_cover_2026_and_2027():
    dates = set(Holiday.objects.values_list("date", flat=True))

    for year in (2026, 2027):
        for month, day in [(1, 1), (1, 7), (2, 23), (3, 8), (3, 21), (5, 1)]:
            assert datetime(year, month, day).date() in dates
        for month, day in [(5, 5), (5, 9), (8, 31), (11, 7), (11, 8)]:
            assert datetime(year, month, day).date() in dates
