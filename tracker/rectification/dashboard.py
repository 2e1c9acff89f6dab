"""The jurist's dashboard: open requests with their gaps, overdue and
due-soon deadlines, unacknowledged notifications and exemptions to review.

Every list is a catalog query, batched and sorted by an index; the gaps are
the ones stored on each request at its last change (records.py), so the
page costs the same with a thousand requests or a million notifications."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..catalog import search
from .completeness import Gap
from .deadlines import deadline_state

OPEN_STATES = ['received', 'assessing', 'decided', 'notifying', 'awaiting_approval']
SOON_DAYS = 7
LIST_SIZE = 50


@dataclass
class Filters:
    centre: str | None = None
    state: str | None = None
    min_age_days: int | None = None  # received at least this many days ago
    gaps_only: bool = False

    def catalog_filters(self, today):
        out = {
            'type_name': 'rectification',
            'review_state': [self.state] if self.state else OPEN_STATES,
        }
        if self.centre:
            out['centres'] = [self.centre]
        if self.min_age_days is not None:
            out['received'] = {'max': (today - timedelta(days=self.min_age_days)).isoformat()}
        if self.gaps_only:
            out['gap_count'] = {'min': '1'}
        return out


@dataclass
class RequestRow:
    request: object
    due: date | None
    deadline: str  # done, overdue, due_soon, open
    restricted: bool
    gaps: list = field(default_factory=list)


def request_row(request, today):
    f = request.fields
    due = f.get('due')
    state = (
        deadline_state(due, today, done=f.get('answered_on') is not None, soon_days=SOON_DAYS)
        if due
        else 'open'
    )
    return RequestRow(
        request, due, state, bool(f.get('restricted')), [Gap.from_tuple(g) for g in request.gaps]
    )


@dataclass
class Dashboard:
    total: int
    rows: list
    counts: dict
    unacknowledged: tuple  # (total, [notifications])
    exemptions: tuple  # (total, [notifications])


def open_requests(site, types, principals, today, filters, start=0, size=LIST_SIZE):
    total, found = search(
        site,
        types,
        filters.catalog_filters(today),
        sort_on='due',
        start=start,
        size=size,
        principals=principals,
    )
    return total, [request_row(r, today) for r in found]


def _count(site, types, principals, filters):
    return search(site, types, filters, size=0, principals=principals)[0]


def build(site, types, principals, today, filters=None, start=0, size=LIST_SIZE):
    filters = filters or Filters()
    total, rows = open_requests(site, types, principals, today, filters, start, size)
    base = filters.catalog_filters(today)
    awaiting = dict(base, awaiting_answer=True)
    counts = {
        'open': total,
        'overdue': _count(
            site,
            types,
            principals,
            dict(awaiting, due={'max': (today - timedelta(days=1)).isoformat()}),
        ),
        'due_soon': _count(
            site,
            types,
            principals,
            dict(
                awaiting,
                due={
                    'min': today.isoformat(),
                    'max': (today + timedelta(days=SOON_DAYS)).isoformat(),
                },
            ),
        ),
        'with_gaps': _count(site, types, principals, dict(base, gap_count={'min': '1'})),
        'awaiting_approval': _count(
            site, types, principals, dict(base, review_state=['awaiting_approval'])
        ),
    }
    unacknowledged = search(
        site,
        types,
        {
            'type_name': 'notification',
            'review_state': ['sent'],
            'reminder_due': {'max': today.isoformat()},
        },
        sort_on='reminder_due',
        size=LIST_SIZE,
        principals=principals,
    )
    exemptions = search(
        site,
        types,
        {'type_name': 'notification', 'review_state': ['exempted'], 'parent_state': OPEN_STATES},
        sort_on='modified',
        reverse=True,
        size=LIST_SIZE,
        principals=principals,
    )
    return Dashboard(total, rows, counts, unacknowledged, exemptions)
