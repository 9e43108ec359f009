"""Business days for public records requests: weekends and the city's holidays do not count."""

from datetime import date, timedelta

from django.conf import settings

SATURDAY = 5


def city_holidays() -> frozenset[date]:
    """RECORDS_HOLIDAYS: dates, or ISO strings such as "2025-12-25"."""
    return frozenset(
        day if isinstance(day, date) else date.fromisoformat(day)
        for day in settings.RECORDS_HOLIDAYS
    )


def is_business_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_business_days(start: date, count: int, holidays: frozenset[date] = frozenset()) -> date:
    """The day `count` business days after `start`. A request received on a Saturday counts
    from Monday: the first day counted is the first business day after `start`."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            remaining -= 1
    return day
