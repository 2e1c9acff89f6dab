"""Answer deadlines for rectification requests (GDPR art. 12(3)).

Danish authorities count the deadline in calendar months, not 30 days, and do
not count the day of receipt: received 14 October -> due 14 November. When the
same day does not exist in the target month the period ends on that month's
last day: received 31 January -> due 28 (29) February. This is the rule of
Regulation (EEC, Euratom) No 1182/71 art. 3(2)(c).

Extension rule (art. 12(3), 2nd sentence): one extension of 1 or 2 further
months. The extended due date is counted from the *receipt* date, as
receipt + (1 + n) months with the same end-of-month rule; it is NOT the first
due date + n months. Reason: the whole period is then "one month plus n further
months from receipt" on one basis, and a clamp in a short month does not eat
days from the extension: received 31 January, extended 2 months -> 30 April
(chaining from 28 February would give 28 April). The extension must be decided,
and the citizen told with reasons, no later than the first due date.
"""

import calendar
from datetime import date

from babel.dates import format_date

MAX_EXTRA_MONTHS = 2


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of the
    target month when that day does not exist there (31 Jan + 1 -> 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + (day.month - 1) + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def due_date(received: date) -> date:
    """The last day to answer: one calendar month after receipt."""
    return add_months(received, 1)


def extended_due_date(received: date, extra_months: int) -> date:
    """The due date after an extension of 1 or 2 months, counted from receipt
    (receipt + 1 + extra_months), see the module docstring for why."""
    if extra_months not in (1, 2):
        raise ValueError(f'extra_months must be 1 or 2, not {extra_months!r}')
    return add_months(received, 1 + extra_months)


def check_extension(
    received: date,
    decided_on: date,
    extra_months: int,
    notice_recorded: bool,
    already_extended: bool = False,
) -> list[str]:
    """Why an extension is not allowed, as Danish messages for the case worker;
    an empty list means it is allowed. All problems are reported at once so the
    user can fix them in one go."""
    errors = []
    if already_extended:
        errors.append('Fristen er allerede forlænget. Den kan kun forlænges én gang.')
    if extra_months > MAX_EXTRA_MONTHS:
        errors.append('Fristen kan højst forlænges med to måneder.')
    elif extra_months < 1:
        errors.append('Forlængelsen skal være på én eller to måneder.')
    if decided_on < received:
        errors.append(
            f'Beslutningen om forlængelse ({format_danish(decided_on)}) '
            f'ligger før modtagelsen af anmodningen ({format_danish(received)}).'
        )
    due = due_date(received)
    if decided_on > due:
        errors.append(
            f'Forlængelsen er besluttet for sent: fristen på én måned '
            f'udløb {format_danish(due)}, beslutningen er fra '
            f'{format_danish(decided_on)}.'
        )
    if not notice_recorded:
        errors.append(
            'Det er ikke registreret, at borgeren har fået besked om '
            'forlængelsen og begrundelsen for den.'
        )
    return errors


def days_left(due: date, today: date) -> int:
    """Whole days until the due date: 0 on the day itself, negative when overdue."""
    return (due - today).days


def deadline_state(due: date, today: date, done: bool, soon_days: int = 7) -> str:
    """'done', 'overdue', 'due_soon' or 'open'. The due date itself is still in
    time (the period ends at the end of that day), so it is 'due_soon', not
    'overdue'; 'due_soon' covers 0..soon_days days left."""
    if done:
        return 'done'
    left = days_left(due, today)
    if left < 0:
        return 'overdue'
    if left <= soon_days:
        return 'due_soon'
    return 'open'


def format_danish(day: date) -> str:
    """A date as Danish letters write it, e.g. '27. november 2026'."""
    return format_date(day, format='d. MMMM y', locale='da')
