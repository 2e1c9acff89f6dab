"""Everything that falls due, for one user ("Mine frister"): written
questions awaiting answers, recommendations to follow up, rectification
deadlines, notifications without receipts, next contact dates and the
advisor's own case deadlines. Each kind is one catalog query sorted by its
date index and cut at LIMIT, so the page does not grow with the archive."""

from dataclasses import dataclass
from datetime import date

from ..catalog import search

LIMIT = 200
OPEN_CASE = ['open', 'investigating', 'statement', 'follow_up']
OPEN_REQUEST = ['received', 'assessing', 'decided', 'notifying', 'awaiting_approval']

# kind -> (catalog filters, the date field)
KINDS = {
    'question': ({'type_name': 'question', 'awaiting_answer': True}, 'answer_due'),
    'recommendation': (
        {
            'type_name': 'recommendation',
            'awaiting_answer': True,
            'review_state': ['issued', 'awaiting_answer'],
        },
        'follow_up_on',
    ),
    'rectification': (
        {'type_name': 'rectification', 'awaiting_answer': True, 'review_state': OPEN_REQUEST},
        'due',
    ),
    'notification': ({'type_name': 'notification', 'review_state': ['sent']}, 'reminder_due'),
    'next_contact': ({'type_name': 'case', 'review_state': OPEN_CASE}, 'next_contact'),
    'case_deadline': ({'type_name': 'case', 'review_state': OPEN_CASE}, 'deadline'),
}


@dataclass(frozen=True)
class Due:
    day: date
    kind: str
    obj: object

    def overdue(self, today):
        return self.day < today


def due_items(site, types, principals, today, mine=None, kinds=None, limit=LIMIT):
    """[Due] sorted by date, earliest (so overdue) first; `mine` (a login)
    keeps what that user created."""
    out = []
    for kind in kinds or KINDS:
        filters, field = KINDS[kind]
        filters = dict(filters)
        if mine:
            filters['creator'] = mine
        _total, found = search(
            site, types, filters, sort_on=field, size=limit, principals=principals
        )
        for obj in found:
            day = obj.fields.get(field)
            if day is None:
                break  # sorted: the rest have no date
            if kind == 'case_deadline' and obj.fields.get('delay_notice_on'):
                continue  # the citizen has been told of the delay
            out.append(Due(day, kind, obj))
    out.sort(key=lambda d: (d.day, d.kind))
    return out[:limit]
