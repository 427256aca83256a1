"""The Kyrgyz working calendar: weekdays that are not public holidays.

The holidays are rows of accounts.Holiday, which the administrator keeps up to
date each year in the back office (the movable Muslim feasts and the days the
government moves are announced every year).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Holiday

SATURDAY = 5


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def next_working_day(after: date) -> date:
    """The first working day strictly after the given date."""
    # Two weeks cover any run of weekends and holidays the republic has.
    holidays = set(
        Holiday.objects.filter(
            date__gt=after, date__lte=after + timedelta(days=14)
        ).values_list("date", flat=True)
    )
    day = after + timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def due_within_one_working_day(reported_at: datetime) -> datetime:
    """5.2.3: by the end of the next working day after the report.

    A report on Friday evening is due on Monday at the end of the day; one made
    on the eve of a public holiday, on the working day after the holiday.
    """
    local = timezone.localtime(reported_at)
    day = next_working_day(local.date())
    end = time(hour=settings.PORTAL_WORKDAY_END_HOUR)
    return timezone.make_aware(datetime.combine(day, end))
