"""Catalog ordering: a sorted batch is the true top of the result set,
whether the index scans its own order (big result sets) or ranks the
results (small ones), and objects without a value come last."""

from datetime import date

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
