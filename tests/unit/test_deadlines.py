"""Deadline rules for rectification requests (GDPR art. 12(3)): calendar
months, day of receipt not counted, end-of-month clamping, one extension."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rectification.deadlines import (
    add_months,
    check_extension,
    days_left,
    deadline_state,
    due_date,
    extended_due_date,
    format_danish,
)

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def last_day(year, month):
    return calendar.monthrange(year, month)[1]


# --- worked examples -------------------------------------------------------


@pytest.mark.parametrize(
    'received, due',
    [
        (date(2026, 10, 14), date(2026, 11, 14)),
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2026, 3, 30), date(2026, 4, 30)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),  # across the year
        (date(2026, 12, 31), date(2027, 1, 31)),
        (date(2026, 2, 28), date(2026, 3, 28)),  # not the last day of March
    ],
)
def test_due_date_examples(received, due):
    assert due_date(received) == due


@pytest.mark.parametrize(
    'received, due',
    [
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), date(2023, 2, 28)),
        (date(2000, 1, 31), date(2000, 2, 29)),  # divisible by 400: leap
        (date(2100, 1, 31), date(2100, 2, 28)),  # divisible by 100: not leap
        (date(2024, 1, 29), date(2024, 2, 29)),
        (date(2023, 1, 29), date(2023, 2, 28)),
    ],
)
def test_due_date_leap_years(received, due):
    assert due_date(received) == due


def test_add_months_negative_and_zero():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert add_months(date(2026, 5, 17), 0) == date(2026, 5, 17)
    assert add_months(date(2026, 5, 17), 24) == date(2028, 5, 17)


# --- properties ------------------------------------------------------------


@given(DATES)
def test_due_date_after_receipt_and_within_31_days(received):
    delta = (due_date(received) - received).days
    assert 1 <= delta <= 31


@given(DATES)
def test_due_date_is_in_next_calendar_month(received):
    due = due_date(received)
    if received.month == 12:
        assert (due.year, due.month) == (received.year + 1, 1)
    else:
        assert (due.year, due.month) == (received.year, received.month + 1)


@given(DATES)
def test_due_date_keeps_the_day_or_clamps_to_month_end(received):
    due = due_date(received)
    last = last_day(due.year, due.month)
    if received.day <= last:
        assert due.day == received.day
    else:
        assert due.day == last


@given(DATES, DATES, st.integers(min_value=-24, max_value=36))
def test_add_months_is_monotonic(d1, d2, n):
    d1, d2 = min(d1, d2), max(d1, d2)
    assert add_months(d1, n) <= add_months(d2, n)


@given(DATES, st.integers(min_value=-24, max_value=36))
def test_add_months_lands_in_the_right_month(day, n):
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    assert moved.day == min(day.day, last_day(moved.year, moved.month))


@given(DATES, st.sampled_from([1, 2]))
def test_extended_due_date_after_first_due_date(received, extra):
    first = due_date(received)
    extended = extended_due_date(received, extra)
    assert extended > first
    # within 1 + extra months of receipt: at most 31 days per month
    assert (extended - received).days <= 31 * (1 + extra)


@given(DATES)
def test_two_months_extension_after_one_month_extension(received):
    assert extended_due_date(received, 2) > extended_due_date(received, 1)


# --- extension rule --------------------------------------------------------


def test_extended_due_date_counts_from_receipt_not_from_clamped_due():
    # 31 Jan -> due 28 Feb; extended 2 months -> 30 Apr (receipt + 3 months),
    # not 28 Apr (28 Feb + 2 months).
    assert due_date(date(2025, 1, 31)) == date(2025, 2, 28)
    assert extended_due_date(date(2025, 1, 31), 2) == date(2025, 4, 30)
    assert extended_due_date(date(2025, 1, 31), 1) == date(2025, 3, 31)
    assert extended_due_date(date(2026, 10, 14), 2) == date(2027, 1, 14)
    assert extended_due_date(date(2025, 11, 30), 1) == date(2026, 1, 30)
    assert extended_due_date(date(2023, 11, 30), 1) == date(2024, 1, 30)
    assert extended_due_date(date(2023, 12, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize('extra', [0, 3, -1, 12])
def test_extended_due_date_rejects_other_lengths(extra):
    with pytest.raises(ValueError):
        extended_due_date(date(2026, 1, 1), extra)


RECEIVED = date(2026, 10, 14)  # due 14 November 2026


def test_extension_allowed():
    assert check_extension(RECEIVED, date(2026, 11, 1), 2, True) == []
    assert check_extension(RECEIVED, RECEIVED, 1, True) == []


def test_extension_on_the_due_date_itself_is_in_time():
    assert check_extension(RECEIVED, date(2026, 11, 14), 2, True) == []


def test_extension_decided_too_late():
    errors = check_extension(RECEIVED, date(2026, 11, 15), 2, True)
    assert len(errors) == 1
    assert 'for sent' in errors[0]
    assert '14. november 2026' in errors[0]


def test_extension_more_than_two_months():
    errors = check_extension(RECEIVED, date(2026, 11, 1), 3, True)
    assert errors == ['Fristen kan højst forlænges med to måneder.']


def test_extension_of_zero_months():
    errors = check_extension(RECEIVED, date(2026, 11, 1), 0, True)
    assert len(errors) == 1 and 'én eller to måneder' in errors[0]


def test_extension_without_notice_to_citizen():
    errors = check_extension(RECEIVED, date(2026, 11, 1), 2, False)
    assert len(errors) == 1 and 'borgeren' in errors[0]


def test_extension_only_once():
    errors = check_extension(RECEIVED, date(2026, 11, 1), 1, True, already_extended=True)
    assert len(errors) == 1 and 'allerede forlænget' in errors[0]


def test_extension_decided_before_receipt():
    errors = check_extension(RECEIVED, date(2026, 10, 13), 1, True)
    assert len(errors) == 1 and 'før modtagelsen' in errors[0]


def test_extension_reports_all_problems():
    errors = check_extension(RECEIVED, date(2026, 12, 1), 3, False, already_extended=True)
    assert len(errors) == 4


@given(DATES, st.integers(min_value=0, max_value=60))
def test_extension_in_time_iff_on_or_before_due_date(received, offset):
    decided = received + timedelta(days=offset)
    errors = check_extension(received, decided, 2, True)
    assert (errors == []) == (decided <= due_date(received))


# --- deadline state --------------------------------------------------------

DUE = date(2026, 11, 14)


def test_due_today_is_not_overdue():
    assert deadline_state(DUE, DUE, done=False) == 'due_soon'
    assert days_left(DUE, DUE) == 0


def test_due_yesterday_is_overdue():
    assert deadline_state(DUE, DUE + timedelta(days=1), done=False) == 'overdue'
    assert days_left(DUE, DUE + timedelta(days=1)) == -1


def test_due_soon_boundaries():
    assert deadline_state(DUE, DUE - timedelta(days=7), done=False) == 'due_soon'
    assert deadline_state(DUE, DUE - timedelta(days=8), done=False) == 'open'
    assert deadline_state(DUE, DUE - timedelta(days=3), False, soon_days=2) == 'open'
    assert deadline_state(DUE, DUE - timedelta(days=2), False, soon_days=2) == 'due_soon'


def test_done_wins_even_when_overdue():
    assert deadline_state(DUE, DUE + timedelta(days=30), done=True) == 'done'
    assert deadline_state(DUE, DUE - timedelta(days=30), done=True) == 'done'


@given(DATES, st.integers(min_value=-400, max_value=400), st.integers(min_value=0, max_value=60))
def test_deadline_state_matches_days_left(due, offset, soon):
    today = due - timedelta(days=offset)
    assert days_left(due, today) == offset
    state = deadline_state(due, today, done=False, soon_days=soon)
    expected = 'overdue' if offset < 0 else 'due_soon' if offset <= soon else 'open'
    assert state == expected


# --- Danish formatting -----------------------------------------------------


@pytest.mark.parametrize(
    'day, text',
    [
        (date(2026, 11, 27), '27. november 2026'),
        (date(2026, 5, 1), '1. maj 2026'),
        (date(2024, 2, 29), '29. februar 2024'),
    ],
)
def test_format_danish(day, text):
    assert format_danish(day) == text
