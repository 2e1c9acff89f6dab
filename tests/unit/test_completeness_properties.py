"""Properties of the completeness rule a jurist relies on: a request is
complete exactly when every item is decided, the citizen was answered in time
(or the delay is explained) and every recipient (derived from the disclosure
log or added by hand) is accounted for (GDPR art. 12(3), art. 19).

The oracle below is written independently of `completeness.accounted`."""

from dataclasses import replace
from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from tracker.rectification.completeness import (
    Gap,
    ItemFacts,
    NotificationFacts,
    RequestFacts,
    completeness,
)
from tracker.rectification.deadlines import format_danish

DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
OPT_DATES = st.none() | DATES
STATES = ('identified', 'drafted', 'sent', 'acknowledged', 'confirmed', 'exempted')
# The lawful decisions, spelled out here rather than imported, so a change to
# the module's DECISIONS is caught.
DECISIONS = ('rectified', 'supplemented', 'refused')
KEYS = [f'/modtagere/r{i}' for i in range(6)]
# Unique, case-varied names, so a gap's subject identifies one recipient.
DERIVED_NAMES = {k: f'{"aAbBcC"[i]}fleder {i}' for i, k in enumerate(KEYS)}
HAND_NAMES = {k: f'{"cCbBaA"[i]}ontor {i} (manuel)' for i, k in enumerate(KEYS)}


# --- the independent oracle ------------------------------------------------


def is_accounted(n):
    """Confirmed with a date; sent/acknowledged with a date and evidence;
    exempted on a lawful ground with a reason."""
    if n is None:
        return False
    by_state = {
        'confirmed': lambda: n.confirmed_on is not None,
        'sent': lambda: n.sent_on is not None and (n.sent_evidence or n.acknowledged_evidence),
        'acknowledged': lambda: (
            n.sent_on is not None and (n.sent_evidence or n.acknowledged_evidence)
        ),
        'exempted': lambda: (
            n.exemption in ('impossible', 'disproportionate') and n.exemption_explained
        ),
    }
    return bool(by_state.get(n.state, lambda: False)())


def expected_complete(request, items, derived, notifications):
    if not items or any(i.decision not in DECISIONS for i in items):
        return False
    if request.answered_on is None:
        return False
    if request.answered_on > request.due and not request.late_explained:
        return False
    by_key = {n.recipient: n for n in notifications}
    return all(is_accounted(by_key.get(k)) for k in set(derived) | set(by_key))


# --- strategies ------------------------------------------------------------

requests = st.builds(RequestFacts, due=DATES, answered_on=OPT_DATES, late_explained=st.booleans())
items_st = st.lists(
    st.builds(
        ItemFacts,
        title=st.text(min_size=1, max_size=12),
        decision=st.none() | st.sampled_from(DECISIONS + ('pending', '')),
    ),
    max_size=4,
)
derived_st = st.sets(st.sampled_from(KEYS), max_size=6).map(
    lambda ks: {k: DERIVED_NAMES[k] for k in ks}
)


@st.composite
def notification(draw, key=None, state=None):
    key = key if key is not None else draw(st.sampled_from(KEYS))
    return NotificationFacts(
        recipient=key,
        name=HAND_NAMES[key],
        state=state if state is not None else draw(st.sampled_from(STATES)),
        sent_on=draw(OPT_DATES),
        channel=draw(st.none() | st.sampled_from(['e-mail', 'brev', 'e-Boks'])),
        sent_evidence=draw(st.booleans()),
        acknowledged_on=draw(OPT_DATES),
        acknowledged_evidence=draw(st.booleans()),
        confirmed_on=draw(OPT_DATES),
        exemption=draw(
            st.none() | st.sampled_from(['impossible', 'disproportionate', 'other', ''])
        ),
        exemption_explained=draw(st.booleans()),
    )


@st.composite
def accounted_notification(draw, key=None):
    """A notification in one of the accounted shapes, other fields random."""
    n = draw(notification(key=key))
    shape = draw(st.sampled_from(['confirmed', 'sent', 'acknowledged', 'exempted']))
    if shape == 'confirmed':
        n = replace(n, state='confirmed', confirmed_on=draw(DATES))
    elif shape == 'exempted':
        n = replace(
            n,
            state='exempted',
            exemption_explained=True,
            exemption=draw(st.sampled_from(['impossible', 'disproportionate'])),
        )
    else:
        evidence = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        n = replace(
            n,
            state=shape,
            sent_on=draw(DATES),
            sent_evidence=evidence[0],
            acknowledged_evidence=evidence[1],
        )
    assert is_accounted(n)
    return n


# One notification per recipient key (the normal case in the application).
notifications_st = st.sets(st.sampled_from(KEYS), max_size=6).flatmap(
    lambda ks: st.tuples(*[notification(key=k) for k in sorted(ks)]).map(list)
)
# Several notifications may name the same recipient (the application forbids
# it, but the function must still list each recipient once).
any_notifications_st = st.lists(notification(), max_size=8)


def tuples(result):
    """The gaps as hashable tuples (the mapping as sorted items)."""
    return [g.as_tuple()[:4] + (tuple(sorted(g.as_tuple()[4].items())),) for g in result.gaps]


def recipient_gaps(result):
    return [g for g in result.gaps if g.kind == 'recipient']


# --- 1. complete exactly when the oracle says so ---------------------------


@given(requests, items_st, derived_st, notifications_st)
def test_complete_iff_oracle(request, items, derived, notifications):
    result = completeness(request, items, derived, notifications)
    expected = expected_complete(request, items, derived, notifications)
    assert result.complete == expected
    assert (not result.gaps) == expected


@given(
    requests,
    st.lists(
        st.builds(
            ItemFacts, title=st.text(min_size=1, max_size=8), decision=st.sampled_from(DECISIONS)
        ),
        min_size=1,
        max_size=4,
    ),
    derived_st,
    notifications_st,
)
def test_complete_iff_oracle_when_items_and_deadline_are_fine(
    request, items, derived, notifications
):
    """The same comparison, steered towards the recipient part of the rule
    (otherwise most generated requests fail on items or the deadline)."""
    request = RequestFacts(due=request.due, answered_on=request.due)
    result = completeness(request, items, derived, notifications)
    assert result.complete == expected_complete(request, items, derived, notifications)


@given(requests, items_st)
def test_deadline_part_of_rule(request, items):
    result = completeness(request, items, {}, [])
    deadline_gaps = [g for g in result.gaps if g.kind == 'deadline']
    in_time = request.answered_on is not None and (
        request.answered_on <= request.due or request.late_explained
    )
    assert (not deadline_gaps) == in_time
    assert len(deadline_gaps) <= 1


@given(items_st)
def test_items_part_of_rule(items):
    result = completeness(
        RequestFacts(due=date(2025, 1, 1), answered_on=date(2025, 1, 1)), items, {}, []
    )
    item_gaps = [g for g in result.gaps if g.kind == 'items']
    if not items:
        assert [g.subject for g in item_gaps] == ['']
    else:
        undecided = [i.title for i in items if i.decision not in DECISIONS]
        assert [g.subject for g in item_gaps] == undecided


# --- 2. one gap per unaccounted recipient, one row per recipient ------------


@given(requests, items_st, derived_st, notifications_st)
def test_one_gap_per_unaccounted_recipient(request, items, derived, notifications):
    result = completeness(request, items, derived, notifications)
    by_key = {n.recipient: n for n in notifications}
    gaps = recipient_gaps(result)
    subjects = [g.subject for g in gaps]
    for key in set(derived) | set(by_key):
        name = derived.get(key) or by_key[key].name
        if is_accounted(by_key.get(key)):
            assert name not in subjects, key
        else:
            assert subjects.count(name) == 1, key
    expected_gaps = sum(not is_accounted(by_key.get(k)) for k in set(derived) | set(by_key))
    assert len(gaps) == expected_gaps
    for g in gaps:
        assert g.message.mapping['name'] == g.subject


@given(requests, items_st, derived_st, any_notifications_st)
def test_one_row_per_distinct_recipient_key(request, items, derived, notifications):
    result = completeness(request, items, derived, notifications)
    keys = set(derived) | {n.recipient for n in notifications}
    rows = result.recipients
    assert len(rows) == len(keys)
    assert sorted(r.key for r in rows) == sorted(keys)
    for r in rows:
        assert r.derived == (r.key in derived)
    assert len(recipient_gaps(result)) == sum(not r.accounted for r in rows)


@given(requests, items_st, derived_st, notifications_st)
def test_recipient_rows(request, items, derived, notifications):
    result = completeness(request, items, derived, notifications)
    keys = set(derived) | {n.recipient for n in notifications}
    rows = result.recipients
    assert len(rows) == len(keys)
    assert {r.key for r in rows} == keys
    by_key = {n.recipient: n for n in notifications}
    for r in rows:
        assert r.derived == (r.key in derived)
        assert r.name == (derived[r.key] if r.key in derived else by_key[r.key].name)
        assert r.notification == by_key.get(r.key)
        assert r.accounted == is_accounted(by_key.get(r.key))
    # Derived recipients are listed before hand-added ones.
    flags = [r.derived for r in rows]
    assert flags == sorted(flags, reverse=True)


@given(requests, items_st, derived_st, notifications_st)
def test_hand_added_recipient_without_name_uses_key(request, items, derived, notifications):
    notifications = [
        NotificationFacts(recipient='/modtagere/extra', name='', state='drafted')
    ] + notifications
    result = completeness(request, items, derived, notifications)
    row = next(r for r in result.recipients if r.key == '/modtagere/extra')
    assert row.name == '/modtagere/extra' and not row.derived and not row.accounted
    assert [g.subject for g in recipient_gaps(result)].count('/modtagere/extra') == 1


# --- 3. monotonicity -------------------------------------------------------


@given(requests, items_st, derived_st, notifications_st | any_notifications_st, st.data())
def test_adding_accounted_notification_never_adds_gaps(
    request, items, derived, notifications, data
):
    before = completeness(request, items, derived, notifications)
    extra = data.draw(accounted_notification())
    position = data.draw(st.integers(min_value=0, max_value=len(notifications)))
    after = completeness(
        request, items, derived, notifications[:position] + [extra] + notifications[position:]
    )
    assert set(tuples(after)) <= set(tuples(before))
    assert len(after.gaps) <= len(before.gaps)
    if before.complete:
        assert after.complete


@given(requests, items_st, derived_st, notifications_st, st.data())
def test_accounting_for_an_unnotified_recipient_removes_exactly_its_gap(
    request, items, derived, notifications, data
):
    notified = {n.recipient for n in notifications}
    missing = sorted(set(KEYS) - notified)
    assume(missing)
    key = data.draw(st.sampled_from(missing))
    before = completeness(request, items, derived, notifications)
    after = completeness(
        request, items, derived, notifications + [data.draw(accounted_notification(key=key))]
    )
    name = derived.get(key, HAND_NAMES[key])
    expected = [t for t in tuples(before) if not (t[0] == 'recipient' and t[1] == name)]
    assert tuples(after) == expected


@given(requests, items_st, derived_st.filter(bool), notifications_st, st.data())
def test_removing_derived_recipients_notification_makes_incomplete(
    request, items, derived, notifications, data
):
    key = data.draw(st.sampled_from(sorted(derived)))
    remaining = [n for n in notifications if n.recipient != key]
    result = completeness(request, items, derived, remaining)
    assert not result.complete
    gap = [g for g in recipient_gaps(result) if g.subject == derived[key]]
    assert len(gap) == 1
    assert str(gap[0].message) == 'gap-no-notification'
    row = next(r for r in result.recipients if r.key == key)
    assert row.notification is None and not row.accounted and row.derived


@given(requests, items_st, derived_st, notifications_st)
def test_all_recipients_accounted_leaves_only_item_and_deadline_gaps(
    request, items, derived, notifications
):
    fixed = [
        NotificationFacts(
            recipient=k, name=HAND_NAMES[k], state='confirmed', confirmed_on=date(2025, 1, 1)
        )
        for k in sorted(set(derived) | {n.recipient for n in notifications})
    ]
    result = completeness(request, items, derived, fixed)
    assert recipient_gaps(result) == []
    assert all(r.accounted for r in result.recipients)


# --- 4. concrete examples ----------------------------------------------------

GOOD_REQUEST = RequestFacts(due=date(2025, 3, 14), answered_on=date(2025, 3, 10))
GOOD_ITEMS = [ItemFacts('Adresse', 'rectified')]
DERIVED = {'/modtagere/r0': 'Skattestyrelsen'}


def only_recipient_gap(notification_facts):
    result = completeness(GOOD_REQUEST, GOOD_ITEMS, DERIVED, [notification_facts])
    assert [g.kind for g in result.gaps] == ['recipient']
    return result.gaps[0]


def test_sent_without_evidence_mentions_danish_date():
    gap = only_recipient_gap(
        NotificationFacts('/modtagere/r0', 'SKAT', 'sent', sent_on=date(2025, 3, 3), channel='brev')
    )
    assert gap.subject == 'Skattestyrelsen'
    assert gap.message.mapping['date'] == '3. marts 2025'
    assert gap.message.mapping['name'] == 'Skattestyrelsen'
    assert 'no receipt attached' in gap.message.default
    assert gap.message.interpolate() == 'Skattestyrelsen: sent 3. marts 2025, no receipt attached'


def test_acknowledged_without_evidence_also_no_receipt():
    gap = only_recipient_gap(
        NotificationFacts(
            '/modtagere/r0',
            'SKAT',
            'acknowledged',
            sent_on=date(2025, 12, 24),
            acknowledged_on=date(2025, 12, 29),
        )
    )
    assert gap.message.mapping['date'] == '24. december 2025'
    assert 'no receipt attached' in gap.message.default


def test_sent_with_evidence_is_accounted():
    for facts in (dict(sent_evidence=True), dict(acknowledged_evidence=True)):
        result = completeness(
            GOOD_REQUEST,
            GOOD_ITEMS,
            DERIVED,
            [NotificationFacts('/modtagere/r0', 'SKAT', 'sent', sent_on=date(2025, 3, 3), **facts)],
        )
        assert result.complete, facts


def test_exemption_without_explanation():
    gap = only_recipient_gap(
        NotificationFacts('/modtagere/r0', 'SKAT', 'exempted', exemption='disproportionate')
    )
    assert gap.kind == 'recipient'
    assert 'exempted without a reason' in gap.message.default
    assert gap.message.interpolate() == 'Skattestyrelsen: exempted without a reason'


def test_exemption_with_explanation_is_accounted():
    result = completeness(
        GOOD_REQUEST,
        GOOD_ITEMS,
        DERIVED,
        [
            NotificationFacts(
                '/modtagere/r0',
                'SKAT',
                'exempted',
                exemption='impossible',
                exemption_explained=True,
            )
        ],
    )
    assert result.complete


def test_no_items_gives_items_gap():
    result = completeness(GOOD_REQUEST, [], {}, [])
    assert [(g.kind, g.subject) for g in result.gaps] == [('items', '')]
    assert not result.complete


def test_derived_recipient_without_notification():
    result = completeness(GOOD_REQUEST, GOOD_ITEMS, DERIVED, [])
    assert [g.as_tuple()[:3] for g in result.gaps] == [
        ('recipient', 'Skattestyrelsen', 'gap-no-notification')
    ]


def test_late_answer_gap_has_danish_dates():
    result = completeness(
        RequestFacts(due=date(2025, 3, 14), answered_on=date(2025, 3, 17)), GOOD_ITEMS, {}, []
    )
    assert [g.kind for g in result.gaps] == ['deadline']
    assert result.gaps[0].message.mapping == {'answered': '17. marts 2025', 'due': '14. marts 2025'}
    explained = completeness(
        RequestFacts(due=date(2025, 3, 14), answered_on=date(2025, 3, 17), late_explained=True),
        GOOD_ITEMS,
        {},
        [],
    )
    assert explained.complete


def test_answered_on_due_date_is_in_time():
    result = completeness(
        RequestFacts(due=date(2025, 3, 14), answered_on=date(2025, 3, 14)), GOOD_ITEMS, {}, []
    )
    assert result.complete


def test_not_answered_gap_mentions_due_date():
    result = completeness(RequestFacts(due=date(2026, 11, 27)), GOOD_ITEMS, {}, [])
    assert [g.kind for g in result.gaps] == ['deadline']
    assert result.gaps[0].message.mapping == {'due': format_danish(date(2026, 11, 27))}
    assert result.gaps[0].message.mapping['due'] == '27. november 2026'


# --- 5. Gap round-trip -------------------------------------------------------


def assert_round_trip(gap):
    back = Gap.from_tuple(gap.as_tuple())
    assert back.kind == gap.kind
    assert back.subject == gap.subject
    assert str(back.message) == str(gap.message)
    assert back.message.default == gap.message.default
    assert dict(back.message.mapping or {}) == dict(gap.message.mapping or {})
    assert back.message.interpolate() == gap.message.interpolate()
    assert back.as_tuple() == gap.as_tuple()


@given(requests, items_st, derived_st, notifications_st)
def test_gap_round_trip_for_generated_gaps(request, items, derived, notifications):
    for gap in completeness(request, items, derived, notifications).gaps:
        assert_round_trip(gap)


@given(
    st.sampled_from(['items', 'deadline', 'recipient']),
    st.text(max_size=20),
    st.text(min_size=1, max_size=20),
    st.text(max_size=40),
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=3),
)
def test_gap_round_trip_for_arbitrary_gaps(kind, subject, msgid, default, mapping):
    from tracker.rectification.completeness import _

    gap = Gap(kind, subject, _(msgid, default=default or None, mapping=mapping or None))
    assert_round_trip(gap)
