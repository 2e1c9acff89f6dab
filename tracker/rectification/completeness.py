"""Is a rectification request complete? One function, used by the approval
guard, the request page, the API, the dashboard and the letters.

It works on plain facts (no ZODB, no Pyramid), so the rule can be tested on
its own: a request is complete exactly when every item has a decision, the
citizen was answered in time (or the delay is explained), and every
recipient — derived from the disclosure log or added by hand — is accounted
for: confirmed, or sent with evidence, or exempted with a reason (GDPR art.
19). The gaps come back as sentences a jurist can act on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from translationstring import TranslationString, TranslationStringFactory

from .deadlines import format_danish

_ = TranslationStringFactory('tracker')

DECISIONS = ('rectified', 'supplemented', 'refused')
# Decisions that change the data, so recipients must be told (art. 19).
CORRECTING = ('rectified', 'supplemented')
EXEMPTIONS = ('impossible', 'disproportionate')


@dataclass(frozen=True)
class RequestFacts:
    due: date
    answered_on: date | None = None
    late_explained: bool = False


@dataclass(frozen=True)
class ItemFacts:
    title: str
    decision: str | None = None


@dataclass(frozen=True)
class NotificationFacts:
    recipient: str  # the recipient's key (its path)
    name: str  # the recipient's name, for the sentences
    state: str  # identified, drafted, sent, acknowledged, confirmed, exempted
    sent_on: date | None = None
    channel: str | None = None
    sent_evidence: bool = False
    acknowledged_on: date | None = None
    acknowledged_evidence: bool = False
    confirmed_on: date | None = None
    exemption: str | None = None
    exemption_explained: bool = False
    path: str | None = None


@dataclass(frozen=True)
class Gap:
    kind: str  # items, deadline, recipient
    subject: str  # what it is about: an item title, a recipient name, '' for the request
    message: TranslationString  # the whole sentence

    def as_tuple(self) -> tuple[str, str, str, str | None, dict[str, Any]]:
        """A plain form to store on the request (no TranslationString pickles)."""
        return (
            self.kind,
            self.subject,
            str(self.message),
            self.message.default,
            dict(self.message.mapping or {}),
        )

    @classmethod
    def from_tuple(cls, data: tuple[str, str, str, str | None, dict[str, Any]]) -> 'Gap':
        kind, subject, msgid, default, mapping = data
        return cls(kind, subject, _(msgid, default=default, mapping=mapping))


@dataclass(frozen=True)
class RecipientRow:
    key: str
    name: str
    derived: bool  # from the disclosure log, not added by hand
    notification: NotificationFacts | None
    accounted: bool


@dataclass
class Completeness:
    gaps: list[Gap] = field(default_factory=list)
    recipients: list[RecipientRow] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps


def accounted(n: NotificationFacts | None) -> bool:
    """Confirmed, or sent with evidence (a receipt, or the recipient's
    acknowledgement on file), or exempted with a reason."""
    if n is None:
        return False
    if n.state == 'exempted':
        return n.exemption in EXEMPTIONS and n.exemption_explained
    if n.state == 'confirmed':
        return n.confirmed_on is not None
    if n.state in ('sent', 'acknowledged'):
        return n.sent_on is not None and (n.sent_evidence or n.acknowledged_evidence)
    return False


def _recipient_gap(name: str, n: NotificationFacts | None) -> TranslationString:
    if n is None:
        return _(
            'gap-no-notification',
            default='${name}: received the wrong data, but no notification is recorded',
            mapping={'name': name},
        )
    if n.state == 'exempted':
        return _(
            'gap-exemption-reason',
            default='${name}: exempted without a reason',
            mapping={'name': name},
        )
    if n.state in ('sent', 'acknowledged') and n.sent_on is None:
        return _(
            'gap-sent-no-date',
            default='${name}: sent, but the date of sending is missing',
            mapping={'name': name},
        )
    if n.state in ('sent', 'acknowledged'):
        assert n.sent_on is not None  # the branch above returned
        return _(
            'gap-no-receipt',
            default='${name}: sent ${date}, no receipt attached',
            mapping={'name': name, 'date': format_danish(n.sent_on)},
        )
    if n.state == 'confirmed':
        return _(
            'gap-confirmed-no-date',
            default='${name}: confirmed, but without a date',
            mapping={'name': name},
        )
    return _('gap-not-sent', default='${name}: not notified yet', mapping={'name': name})


def completeness(
    request: RequestFacts,
    items: Iterable[ItemFacts],
    derived: Mapping[str, str],
    notifications: Iterable[NotificationFacts],
) -> Completeness:
    """`derived` maps recipient key -> name for the recipients the disclosure
    log says received affected data; `notifications` may add others (by
    hand). A hand-added recipient must be accounted for like a derived one:
    someone found that it got the data."""
    result = Completeness()
    items = list(items)
    if not items:
        result.gaps.append(
            Gap('items', '', _('gap-no-items', default='No contested data item is recorded'))
        )
    for item in items:
        if item.decision not in DECISIONS:
            result.gaps.append(
                Gap(
                    'items',
                    item.title,
                    _(
                        'gap-item-undecided',
                        default='"${title}": no decision',
                        mapping={'title': item.title},
                    ),
                )
            )
    if request.answered_on is None:
        result.gaps.append(
            Gap(
                'deadline',
                '',
                _(
                    'gap-not-answered',
                    default='The citizen has not been given the decision (due ${due})',
                    mapping={'due': format_danish(request.due)},
                ),
            )
        )
    elif request.answered_on > request.due and not request.late_explained:
        result.gaps.append(
            Gap(
                'deadline',
                '',
                _(
                    'gap-answered-late',
                    default='The decision was given ${answered}, after the deadline '
                    '${due}, and the delay is not explained',
                    mapping={
                        'answered': format_danish(request.answered_on),
                        'due': format_danish(request.due),
                    },
                ),
            )
        )
    by_recipient: dict[str, NotificationFacts] = {}
    n: NotificationFacts | None
    for n in notifications:
        by_recipient.setdefault(n.recipient, n)
    names = dict(derived)
    for key, n in by_recipient.items():
        names.setdefault(key, n.name or key)
    for key in sorted(names, key=lambda k: (k not in derived, names[k].lower(), k)):
        n = by_recipient.get(key)
        ok = accounted(n)
        result.recipients.append(RecipientRow(key, names[key], key in derived, n, ok))
        if not ok:
            result.gaps.append(Gap('recipient', names[key], _recipient_gap(names[key], n)))
    return result
