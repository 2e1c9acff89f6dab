"""Catalog queries: filters, full-text, sorting and batching.

Results are sorted and cut to one batch inside the indexes, so a listing
costs the same for 1,000 or 100,000 objects in a container.
"""

from datetime import date, datetime, timedelta
from itertools import islice

from hypatia.query import All, Any, Contains, Eq, InRange
from hypatia.text.parsetree import ParseError
from translationstring import TranslationStringFactory

from ..documents.words import words
from .indexing import resolve_path

_ = TranslationStringFactory('tracker')
# Built-in indexes a user may filter on (besides the schemas' own).
FILTERABLE = {'type_name', 'review_state', 'path', 'parent', 'number', 'creator', 'parent_state'}


class SearchError(ValueError):
    """A query the user can fix (unknown index, bad value or syntax)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _convert(kind, raw, field):
    """A search value from a URL or form, as the field's kind reads it."""
    if not isinstance(raw, str) or kind is None:
        return raw
    try:
        return kind.query_value(raw)
    except ValueError:
        raise SearchError(
            field,
            _(
                'search-bad-value',
                default='"${value}" is not a valid value for ${field}.',
                mapping={'value': raw, 'field': field},
            ),
        ) from None


def _blind(ring, ftype, kind, raw, field):
    """A CPR number to search for, as the keyed hash the index holds."""
    from ..crypto.cpr import InvalidCPR

    if ring is None or not isinstance(raw, str):
        raise SearchError(
            field,
            _(
                'search-bad-value',
                default='"${value}" is not a valid value for ${field}.',
                mapping={'value': '?', 'field': field},
            ),
        )
    try:
        return ring.blind_index(ftype, kind.query_value(raw))
    except InvalidCPR:
        raise SearchError(
            field,
            _(
                'cpr-invalid',
                default='Write the CPR number as DDMMYY-SSSS with a real date of birth.',
            ),
        ) from None


def sees_everything(types, principals):
    """A user with a global role that grants `view` may view every object:
    each object's `allowed` entry names every such role (or everyone logged
    in). For them the `allowed` term would be a union of the whole catalog
    intersected with the result: skipping it changes no answer and saves
    that work on every listing, search and dashboard."""
    universal = types.universal_viewers
    return any(p in universal for p in principals)


def build_query(catalog, types, filters=None, text=None, principals=None, ring=None):
    """filters: {index: value | [values] | {'min':..,'max':..}}; principals:
    only objects one of them may view (None: no filter, for the operator)."""
    ftypes = types.indexed_field_types()
    fkinds = types.indexed_field_kinds()
    terms = []
    if principals is not None and not sees_everything(types, principals):
        terms.append(Any(catalog['allowed'], list(principals)))
    for name, value in (filters or {}).items():
        if (
            name not in catalog
            or (name not in ftypes and name not in FILTERABLE)
            or types.indexed_fields().get(name) == 'text'
        ):
            raise SearchError(
                name,
                _(
                    'search-unknown-field',
                    default='Cannot search on "${field}".',
                    mapping={'field': name},
                ),
            )
        index = catalog[name]
        ftype = ftypes.get(name, 'string')
        kind = fkinds.get(name)  # None: a built-in index, searched as given
        if isinstance(value, dict):
            if hasattr(index, 'applyAll') or types.indexed_fields().get(name) == 'blind':
                # a keyword index has no order; a keyed hash has no meaningful one
                raise SearchError(
                    name,
                    _(
                        'search-no-range',
                        default='"${field}" has no range.',
                        mapping={'field': name},
                    ),
                )
            lo = (
                _convert(kind, value.get('min'), name)
                if value.get('min') not in (None, '')
                else None
            )
            hi = (
                _convert(kind, value.get('max'), name)
                if value.get('max') not in (None, '')
                else None
            )
            if lo is not None and hi is not None:
                terms.append(InRange(index, lo, hi))
            elif lo is not None:
                terms.append(index.ge(lo))
            elif hi is not None:
                terms.append(index.le(hi))
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if types.indexed_fields().get(name) == 'blind':
            values = [_blind(ring, ftype, kind, v, name) for v in values]
        else:
            values = [_convert(kind, v, name) for v in values]
        if name == 'path' and len(values) == 1:
            terms.append(Eq(index, values[0]))
        elif len(values) == 1:
            terms.append(
                Eq(index, values[0]) if not hasattr(index, 'applyAll') else Any(index, values)
            )
        else:
            terms.append(Any(index, values))
    if text:
        index = catalog['text']
        try:
            index.parse_query(text)
        except ParseError:
            raise SearchError(
                'q',
                _(
                    'search-bad-text',
                    default='Cannot search for "${text}".',
                    mapping={'text': text},
                ),
            ) from None
        term = Contains(index, text)
        searched = words(text)
        if ring is not None and searched:
            # files' words are indexed as keyed hashes: all words must occur
            hashed = [ring.blind_index('word', w) for w in searched]
            for name, kind in types.indexed_fields().items():
                if kind == 'words' and name in catalog:
                    term = term | All(catalog[name], hashed)
        terms.append(term)
    if not terms:
        return Eq(catalog['path'], '/')  # everything
    query = terms[0]
    for term in terms[1:]:
        query = query & term
    return query


def _just_below(key):
    """A value between key and its predecessor, so `maxKey` finds the next
    lower key in O(log n); None for types without one (strings)."""
    if isinstance(key, bool):
        return None
    if isinstance(key, (int, float)):
        return key - 0.5
    if isinstance(key, datetime):
        return key - timedelta(microseconds=1)
    if isinstance(key, date):
        return key - timedelta(days=1)
    if isinstance(key, tuple) and key and isinstance(key[-1], int):
        return key[:-1] + (key[-1] - 0.5,)
    return None


def _next_key(fwd, key, reverse):
    try:
        if not reverse:
            return fwd.keys(min=key, excludemin=True)[0]
        below = _just_below(key)
        if below is not None:
            return fwd.maxKey(below)
        return fwd.keys(max=key, excludemax=True)[-1]  # O(buckets), strings only
    except (IndexError, ValueError, OverflowError):  # no lower key (e.g. date.min)
        return None


def _scan_in_order(index, docids, reverse, limit):
    """The first `limit` of docids in the index's order, walking the index's
    values from the wanted end and stopping after one batch: O(limit · log n)
    when the docids are most of the index (a big folder's listing), where
    hypatia's own sort ranks every docid. Reads the field index's forward
    map (value -> docids), which hypatia keeps as `_fwd_index`."""
    fwd = index._fwd_index
    out = []
    if not fwd:  # truthiness loads one bucket; len() walks them all (55,962 loads at 1M)
        return out
    key = fwd.maxKey() if reverse else fwd.minKey()
    while len(out) < limit:
        bucket = fwd[key]
        for docid in reversed(list(bucket)) if reverse else bucket:
            if docid in docids:
                out.append(docid)
                if len(out) == limit:
                    break
        key = _next_key(fwd, key, reverse)
        if key is None:
            break
    return out


def _sorted(index, docids, reverse, limit):
    # Scanning wins when the wanted batch is small beside the result set.
    if len(docids) > 20 * limit:
        return _scan_in_order(index, docids, reverse, limit)
    return list(
        islice(index.sort(docids, reverse=reverse, limit=limit, raise_unsortable=False), limit)
    )


def search(
    site,
    types,
    filters=None,
    text=None,
    sort_on=None,
    reverse=False,
    start=0,
    size=50,
    principals=None,
    ring=None,
):
    """Returns (total, [objects]) for one batch."""
    catalog = site.catalog
    if sort_on and types.indexed_fields().get(sort_on) == 'blind':
        raise SearchError(
            'sort_on',
            _('search-bad-sort', default='Cannot sort on "${field}".', mapping={'field': sort_on}),
        )
    query = build_query(catalog, types, filters, text, principals, ring)
    resultset = query.execute()
    total = len(resultset)
    if sort_on:
        if (
            sort_on not in catalog
            or sort_on in ('text', 'allowed')
            or hasattr(catalog[sort_on], 'applyAll')
        ):
            raise SearchError(
                'sort_on',
                _(
                    'search-bad-sort',
                    default='Cannot sort on "${field}".',
                    mapping={'field': sort_on},
                ),
            )
        index = catalog[sort_on]
        # Pass the BTrees set itself: the index then scans its own order and
        # stops after one batch when that is cheaper than ranking them all.
        ids = resultset.ids
        wanted = start + size
        ranked = _sorted(index, ids, reverse, wanted)
        if len(ranked) < wanted:
            # objects without a value (e.g. no next contact date) come last
            missing = catalog.family.IF.intersection(ids, index.not_indexed())
            ranked.extend(islice(missing, wanted - len(ranked)))
        docids = ranked[start:wanted]
    else:
        docids = list(islice(resultset.ids, start, start + size))
    objects = []
    for docid in docids:
        path = site.docmap.path(docid)
        obj = resolve_path(site, path) if path else None
        if obj is not None:
            objects.append(obj)
    return total, objects
