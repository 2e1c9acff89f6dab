"""Catalog ordering: a listing sorted on any field gives the same batch
whether the index scans its own order (big result sets) or ranks the
results (small ones), and objects without a value come last."""

from datetime import date, timedelta

from hypatia.field import FieldIndex
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.catalog.query import _sorted


class Doc:
    def __init__(self, value):
        if value is not None:
            self.value = value


values = st.one_of(
    st.lists(
        st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))), min_size=1, max_size=300
    ),
    st.lists(
        st.one_of(st.none(), st.tuples(st.integers(2020, 2026), st.integers(1, 500))),
        min_size=1,
        max_size=300,
    ),
    st.lists(
        st.one_of(st.none(), st.text(alphabet='abcæøå', max_size=4)), min_size=1, max_size=300
    ),
)


@settings(max_examples=150, deadline=None)
@given(values=values, reverse=st.booleans(), limit=st.integers(1, 12), data=st.data())
def test_batch_is_the_true_top_of_the_result_set(values, reverse, limit, data):
    index = FieldIndex('value')
    for docid, value in enumerate(values, start=1):
        index.index_doc(docid, Doc(value))
    chosen = data.draw(st.sets(st.integers(1, len(values)), min_size=1))
    docids = index.family.IF.Set(chosen)
    got = _sorted(index, docids, reverse, limit)
    with_value = [d for d in chosen if values[d - 1] is not None]
    expected = sorted((values[d - 1] for d in with_value), reverse=reverse)[:limit]
    assert [values[d - 1] for d in got] == expected
    assert set(got) <= chosen and len(set(got)) == len(got)


def test_listing_sorted_by_next_contact_puts_cases_without_one_last(api, new_case):
    day = date(2026, 12, 1)
    for n in range(5):
        body = dict(new_case, received=f'2026-11-0{n + 1}')
        if n % 2 == 0:
            body['next_contact'] = (day + timedelta(days=10 - n)).isoformat()
        api.post('/sager', body)
    listing = api.get('/sager', sort_on='next_contact', sort_order='ascending').json
    numbers = [i['number'] for i in listing['items']]
    assert numbers[:3] == ['5/2026', '3/2026', '1/2026']
    assert sorted(numbers[3:]) == ['2/2026', '4/2026']


def test_big_folder_listing_uses_the_scan_and_stays_correct(api, new_case):
    # more than 20 times the batch: the in-order scan is used
    start = date(2026, 1, 1)
    for n in range(45):  # received dates shuffled against the numbers
        api.post(
            '/sager', dict(new_case, received=(start + timedelta(days=7 * n % 45)).isoformat())
        )
    page = api.get('/sager', b_size=2).json
    assert [i['number'] for i in page['items']] == ['45/2026', '44/2026']
    oldest = api.get('/sager', b_size=2, sort_on='received', sort_order='ascending').json
    # day 0 is case 1; day 1 is case 14 (7 * 13 = 91 = 2 * 45 + 1)
    assert [i['number'] for i in oldest['items']] == ['1/2026', '14/2026']
