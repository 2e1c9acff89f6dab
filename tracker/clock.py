"""The one clock: `now()` in UTC for timestamps, `today()` in Copenhagen
for dates (deadlines, letters, numbering years), never the machine's date.

Services, rules and guards get it from the caller; the web app keeps one in
`registry.tracker_clock`, so tests can install a clock they move."""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo('Europe/Copenhagen')


class Clock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(COPENHAGEN).date()


class MovableClock(Clock):
    """The real clock shifted by an offset a test can move: time still
    passes (tokens, sessions and lockouts keep working), and `advance` or
    `set` jump it forward or to a given moment."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        """advance(days=30): move the clock forward (timedelta arguments)."""
        self.offset += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        """Make it `moment` (an aware datetime) now; time goes on from there."""
        self.offset = moment - datetime.now(UTC)


class CallableClock(Clock):
    """A zero-argument callable returning an aware UTC datetime, as a Clock
    (the bench sets the moment of each step this way)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now()


def as_clock(clock: Any) -> Clock:
    """None -> the real clock; a Clock as is; a callable -> CallableClock."""
    if clock is None:
        return Clock()
    if isinstance(clock, Clock):
        return clock
    if callable(clock):
        return CallableClock(clock)
    raise TypeError(f'Not a clock: {clock!r}')


_REAL = Clock()
_CURRENT: contextvars.ContextVar[Clock | None] = contextvars.ContextVar(
    'tracker_clock', default=None
)


def current_clock() -> Clock:
    """The clock of the service call in progress (the schema's date checks
    and `default: today` use it), or the real clock outside one."""
    return _CURRENT.get() or _REAL


@contextmanager
def using_clock(clock: Clock) -> Iterator[Clock]:
    token = _CURRENT.set(clock)
    try:
        yield clock
    finally:
        _CURRENT.reset(token)
