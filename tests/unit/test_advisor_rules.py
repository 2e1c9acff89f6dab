"""The pure rules behind the advisor's pages: processing-time groups and
the anonymity check of statement summaries."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracker.advisor.anonymity import leaks
from tracker.advisor.processing import processing_group
from tracker.rectification.deadlines import add_months

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(days, st.integers(min_value=0, max_value=400))
def test_every_resolved_case_falls_in_exactly_the_right_group(received, taken):
    resolved = received + timedelta(days=taken)
    group = processing_group(received, resolved)
    if taken == 0:
        assert group == 'same_day'
    elif taken <= 7:
        assert group == 'within_week'
    elif resolved <= add_months(received, 1):
        assert group == 'within_month'
    else:
        assert group == 'longer'


@given(days, st.integers(min_value=0, max_value=400))
def test_an_open_case_is_longer_only_once_a_month_has_passed(received, waited):
    today = received + timedelta(days=waited)
    group = processing_group(received, None, today)
    assert group == ('longer' if today > add_months(received, 1) else None)


NAME = [
    ('Borger', 'Mette Lind Sørensen', True),
    ('Henvendelsen kort', 'Moderen klager over centret.', False),
]


def test_a_name_or_any_capitalised_part_of_it_is_a_leak():
    assert leaks('Mette Lind Sørensen klagede.', NAME) == ['Borger']
    assert leaks('Fru Sørensen klagede.', NAME) == ['Borger']
    assert leaks('En forælder klagede over centret.', NAME) == []


def test_a_free_text_counts_only_as_a_whole():
    assert leaks('Moderen oplevede et dårligt samarbejde.', NAME) == []
    assert leaks('Resumé: Moderen klager over centret.', NAME) == ['Henvendelsen kort']


def test_anything_shaped_like_a_cpr_number_is_a_leak():
    assert leaks('Borgeren 0101701234 klagede.', []) == ['CPR']
    assert leaks('Borgeren 010170-1234 klagede.', []) == ['CPR']
    assert leaks('Sag 22/2024 fra 2024-11-19.', []) == []


@given(
    st.lists(
        st.sampled_from(
            ['en', 'forælder', 'klagede', 'mette', 'lind', 'lindholm', 'kommunen', 'metteline']
        ),
        max_size=12,
    )
)
def test_a_name_leaks_exactly_when_one_of_its_words_stands_in_the_summary(words):
    import re

    summary = ' '.join(words) + '.'
    expected = ['Borger'] if any(re.search(rf'\b{w}\b', summary) for w in ('mette', 'lind')) else []
    assert leaks(summary, [('Borger', 'Mette Lind', True)]) == expected
