"""Statistics for a period, counted inside the catalog's indexes.

A period's cases are one set of docids (the `received` index's range); each
figure is the size of its intersection with one index value's set — no case
object is loaded, so a year of 100,000 cases costs set operations, not
object reads. Case numbers for the theme lists come from the `number`
index's reverse map for the same reason."""

from dataclasses import dataclass, field
from datetime import date

from hypatia.query import Any, Eq, InRange

from .wording import case_numbers_line, percent

CASE = 'case'


def _ids(query):
    return query.execute().ids


def _family(catalog):
    return catalog.family.IF


def _count(catalog, ids, index_name, value):
    index = catalog[index_name]
    docs = index._fwd_index.get(value)
    if docs is None:
        return 0
    return len(_family(catalog).intersection(ids, docs))


def _docs(catalog, ids, index_name, value):
    docs = catalog[index_name]._fwd_index.get(value)
    return _family(catalog).intersection(ids, docs) if docs is not None else _family(catalog).Set()


@dataclass
class Row:
    code: str
    name: str
    count: int
    share: int = 0  # per cent of the period's cases

    def as_dict(self):
        return {'code': self.code, 'name': self.name, 'count': self.count, 'share': self.share}


@dataclass
class Statistics:
    period_from: date
    period_to: date
    total: int
    within: int
    outside: int
    centres: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    channels: list = field(default_factory=list)
    help: list = field(default_factory=list)
    themes: list = field(default_factory=list)  # (Row, the report's line of case numbers)
    questions: int = 0
    statements: list = field(default_factory=list)  # the statement objects issued in the period
    recommendations: list = field(default_factory=list)
    history: list = field(default_factory=list)  # (year, count, source)


def _choice_rows(catalog, ids, total, info, field_name):
    f = info.by_name[field_name]
    rows = []
    for choice in f.choices:
        n = _count(catalog, ids, field_name, choice.value)
        rows.append(Row(choice.value, choice.title_da, n, percent(n, total)))
    return rows


def case_ids(site, start, end, principals=None):
    catalog = site.catalog
    query = Eq(catalog['type_name'], CASE) & InRange(catalog['received'], start, end)
    if principals is not None:
        query = query & Any(catalog['allowed'], list(principals))
    return _ids(query)


def numbers_of(catalog, docids):
    rev = catalog['number']._rev_index
    return [rev[d] for d in docids if d in rev]


def compute(site, types, start, end, principals=None, history=None):
    catalog = site.catalog
    info = types[CASE]
    ids = case_ids(site, start, end, principals)
    total = len(ids)
    within_ids = _docs(catalog, ids, 'within_purpose', True)
    within = len(within_ids)
    stats = Statistics(start, end, total, within, total - within)
    # As the report does: the distributions over centres and kinds count the
    # inquiries within the statutes' purpose (the others are referred on).
    stats.centres = sorted(
        _choice_rows(catalog, within_ids, within, info, 'centres'), key=lambda r: -r.count
    )
    stats.kinds = _choice_rows(catalog, within_ids, within, info, 'kind')
    stats.channels = _choice_rows(catalog, ids, total, info, 'channel')
    help_rows = _choice_rows(catalog, ids, total, info, 'processing_group')
    known = sum(r.count for r in help_rows if r.code != 'longer')
    for row in help_rows:
        if row.code == 'longer':  # resolved later than a month, or not resolved yet
            row.count = total - known
            row.share = percent(row.count, total)
    stats.help = help_rows
    for choice in info.by_name['themes'].choices:
        docs = _docs(catalog, ids, 'themes', choice.value)
        labels = numbers_of(catalog, docs)
        stats.themes.append(
            (
                Row(choice.value, choice.title_da, len(labels), percent(len(labels), total)),
                case_numbers_line(labels),
            )
        )
    q = Eq(catalog['type_name'], 'question') & InRange(catalog['sent_on'], start, end)
    s = Eq(catalog['type_name'], 'statement') & InRange(catalog['issued_on'], start, end)
    if principals is not None:
        allowed = Any(catalog['allowed'], list(principals))
        q, s = q & allowed, s & allowed
    stats.questions = len(_ids(q))
    from ..catalog.indexing import resolve_path

    statements = [resolve_path(site, site.docmap.path(d) or '') for d in _ids(s)]
    stats.statements = sorted(
        (x for x in statements if x is not None), key=lambda x: (x.fields.get('issued_on'), x.title)
    )
    paths = [site.docmap.path(d) for d in _ids(s)]
    if paths:
        recs = _ids(Eq(catalog['type_name'], 'recommendation') & Any(catalog['statement'], paths))
        workflow = types['recommendation'].workflow
        for state in workflow.states.values():
            n = _count(catalog, recs, 'review_state', state.name)
            stats.recommendations.append(Row(state.name, state.title_da, n))
    stats.history = year_totals(site, history or {}, end.year)
    return stats


def year_totals(site, entered, last_year):
    """(year, inquiries, 'entered' | 'tracker') for every year with data:
    the tracker's own count where it has cases that year, else the figure an
    administrator entered for a year before the tracker."""
    catalog = site.catalog
    out = []
    years = set(entered)
    fwd = catalog['received']._fwd_index
    if len(fwd):
        years.update(range(fwd.minKey().year, last_year + 1))
    for year in sorted(y for y in years if y <= last_year):
        counted = len(
            _ids(
                Eq(catalog['type_name'], CASE)
                & InRange(catalog['received'], date(year, 1, 1), date(year, 12, 31))
            )
        )
        if counted:
            out.append((year, counted, 'tracker'))
        elif year in entered:
            out.append((year, int(entered[year]), 'entered'))
    return out
