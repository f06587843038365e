"""Calendar arithmetic that permits, cards and licences share."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

# Times are stored in UTC and shown in Muscat (DESIGN.md §3).
MUSCAT = ZoneInfo("Asia/Muscat")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
