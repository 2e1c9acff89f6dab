"""Processing time in the annual report's groups (pure)."""

from datetime import date, timedelta

from ..rectification.deadlines import add_months

GROUPS = ('same_day', 'within_week', 'within_month', 'longer')


def processing_group(received: date, resolved: date | None, today: date | None = None):
    """same_day, within_week (7 days), within_month (one calendar month),
    longer; None while an open case is still within a month."""
    end = resolved if resolved is not None else today
    if end is None:
        return None
    if resolved is not None and resolved == received:
        return 'same_day'
    if resolved is not None and resolved <= received + timedelta(days=7):
        return 'within_week'
    if end <= add_months(received, 1):
        return 'within_month' if resolved is not None else None
    return 'longer'


def case_deadline(received: date, days: int) -> date:
    """The advisor's own published answer time, counted in days."""
    return received + timedelta(days=days)
