"""The one clock: `now()` in UTC for timestamps, `today()` in Copenhagen
for dates (deadlines, letters, numbering years), never the machine's date.

Services, rules and guards get it from the caller; the web app keeps one in
`registry.tracker_clock`, so tests can install a clock they move."""

import contextvars
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo('Europe/Copenhagen')


class Clock:
    """The real clock."""

    def now(self):
        return datetime.now(UTC)

    def today(self):
        return self.now().astimezone(COPENHAGEN).date()


class MovableClock(Clock):
    """The real clock shifted by an offset a test can move: time still
    passes (tokens, sessions and lockouts keep working), and `advance` or
    `set` jump it forward or to a given moment."""

    def __init__(self, offset=timedelta(0)):
        self.offset = offset

    def now(self):
        return datetime.now(UTC) + self.offset

    def advance(self, **delta):
        """advance(days=30): move the clock forward (timedelta arguments)."""
        self.offset += timedelta(**delta)

    def set(self, moment):
        """Make it `moment` (an aware datetime) now; time goes on from there."""
        self.offset = moment - datetime.now(UTC)


class CallableClock(Clock):
    """A zero-argument callable returning an aware UTC datetime, as a Clock
    (the bench sets the moment of each step this way)."""

    def __init__(self, now):
        self._now = now

    def now(self):
        return self._now()


def as_clock(clock):
    """None -> the real clock; a Clock as is; a callable -> CallableClock."""
    if clock is None:
        return Clock()
    if isinstance(clock, Clock):
        return clock
    if callable(clock):
        return CallableClock(clock)
    raise TypeError(f'Not a clock: {clock!r}')


_REAL = Clock()
_CURRENT = contextvars.ContextVar('tracker_clock', default=None)


def current_clock():
    """The clock of the service call in progress (the schema's date checks
    and `default: today` use it), or the real clock outside one."""
    return _CURRENT.get() or _REAL


@contextmanager
def using_clock(clock):
    token = _CURRENT.set(clock)
    try:
        yield clock
    finally:
        _CURRENT.reset(token)
