"""A request's story in order, for a reader who is not an engineer.

Two kinds of event are merged: what happened on a day (the dated facts
recorded in the fields — received, decided, sent, acknowledged, lifted) and
what was done in the system when (the review history of the request and its
parts, versions with their reasons, and the audit log's additions, changes
and downloads). Every label comes from the schemas and workflows."""

from dataclasses import dataclass
from datetime import date, datetime

from .records import ITEM, NOTIFICATION, children_of

# Audit actions worth telling; views and searches are not events of the case.
AUDIT_ACTIONS = ('add', 'edit', 'download', 'issue')


@dataclass(frozen=True)
class Event:
    when: object  # a date (a fact) or a datetime (a recorded action)
    kind: str  # fact, transition, version, audit
    subject: str  # the request, an item or a recipient, by title
    what: str  # the field or transition title, or the audit action
    actor: str | None = None
    detail: str = ''

    @property
    def sort_key(self):
        when = self.when
        day = when.date() if isinstance(when, datetime) else when
        # on the same day, facts first, then what was done in the system
        return (
            day,
            0 if not isinstance(when, datetime) else 1,
            when.timestamp() if isinstance(when, datetime) else 0,
        )


def _facts(obj, info, locale):
    for f in info.fields:
        value = obj.fields.get(f.name)
        if f.kind.is_date and isinstance(value, date) and not f.computed:
            yield Event(value, 'fact', obj.title, f.title(locale))


def _history(obj, info, locale):
    wf = info.workflow
    for entry in obj.review_history:
        if entry['action'] == 'create':
            continue
        t = wf.transitions.get(entry['action']) if wf else None
        to = (
            wf.states[entry['to']].title(locale) if wf and entry['to'] in wf.states else entry['to']
        )
        yield Event(
            entry['time'],
            'transition',
            obj.title,
            t.title(locale) if t else entry['action'],
            entry['actor'],
            to,
        )


def _versions(obj):
    for record in list(obj.versions)[1:]:
        yield Event(
            record['time'],
            'version',
            obj.title,
            str(record['number']),
            record['actor'],
            record.get('reason') or '',
        )


def events(request, types, locale, audit_log=None):
    """Every event of the request and its items and notifications, oldest first."""
    from ..catalog.indexing import path_of

    out = []
    for obj in [request] + children_of(request, ITEM) + children_of(request, NOTIFICATION):
        info = types[obj.type_name]
        out.extend(_facts(obj, info, locale))
        out.extend(_history(obj, info, locale))
        out.extend(_versions(obj))
        if audit_log is not None:
            for entry in audit_log.for_target(path_of(obj)):
                if entry.action in AUDIT_ACTIONS:
                    fields = entry.details.get('fields') or ()
                    out.append(
                        Event(
                            datetime.fromisoformat(entry.time),
                            'audit',
                            obj.title,
                            entry.action,
                            entry.actor,
                            ', '.join(
                                info.by_name[n].title(locale) for n in fields if n in info.by_name
                            ),
                        )
                    )
    return sorted(out, key=lambda e: e.sort_key)
