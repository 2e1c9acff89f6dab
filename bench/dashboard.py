"""Does the jurist's completeness dashboard answer in <= 50 ms over 1M
notifications?

Builds a site on a FileStorage in a temporary directory with R
rectification requests in /berigtigelser and N notifications spread over
them (default 100,000 requests, 1,000,000 notifications), then times, in
the same run and interleaved round by round:

  floor      GET /berigtigelser/<request>/<notification> as JSON: one small
             object through the whole app (traversal, security, rendering;
             a notification holds nothing, so no catalog query);
  request    GET /berigtigelser/<request> as JSON (for comparison: a request
             lists its children, so it makes one catalog query);
  dashboard  GET /@dashboard as JSON, as a user with the global role jurist;
  build()    tracker.rectification.dashboard.build(...) called directly in a
             ZODB connection of the same database.

and prints ms per request, the ratio dashboard/floor (these machines are
noisy: compare the ratio across runs) and PASS/FAIL against 50 ms. The
counts printed come from catalog queries, so they say what the dashboard
really searched.

    .venv/bin/python bench/dashboard.py --quick     # 20k / 2k: fill ~25 s, ~1 min in all
    .venv/bin/python bench/dashboard.py             # 1M / 100k: fill ~27 min, ~12 min timing
    .venv/bin/python bench/dashboard.py --data /tmp/dash-1m --breakdown --profile 3
        # keep the filled database in /tmp/dash-1m (a later run with the same
        # sizes reuses it); time each search of build() and profile it

The measuring app uses `connection_cache_size=20000`, as development.ini
(`--cache-size` to change it), so index buckets that do not fit in the
connection's cache are loaded from the file again, as in production. On a
FAIL (or with --breakdown) it prints each search dashboard.build() makes,
timed inside real build() calls with the number of objects it loaded from
the storage, then each index term alone with everything in memory.

How the data is made (the shortcut, and why the catalog ends up the same)
---------------------------------------------------------------------------
Every request is created by a script of the real service calls a jurist
would make: `add` the request, `add` its contested items, `transition`
assess / decide / notify, `add` one notification per recipient and move each
along its workflow (`draft`, `send` with sent_on and channel, `acknowledge`,
`confirm`, `exempt` with a reason), `edit`/`submit` with the answer date, and
`approve` by a second jurist. A clock is set to the day of each step, so
created/modified and the history carry realistic dates. 85 % of the
requests end closed (their notifications confirmed or exempted), the rest
open in the five open states, with notifications identified, drafted,
sent (most with reminder_due past), acknowledged, confirmed or exempted.

The first `--services-share` of the requests (default 1 %) run that script
through `tracker.services.Services` exactly as the web does, a transaction
each. The rest run it through `BulkServices`, a subclass that executes the
same code (colander validation, the schema rules that compute due,
awaiting_answer, reminder_due, origin and title, sealing of protected
fields, numbering, workflow guards, history and versions) and leaves out:

  1. the audit log entries (they go to the separate audit database, never
     to the catalog);
  2. re-indexing after every change: each object is indexed once with its
     final values, by what the production `CatalogManager.index` does
     (IndexView of the object, a random 63-bit docid as DocMap.new_docid
     draws it, docmap.add, catalog.index_doc). The hypatia indexes hold only
     the final value of each object (a reindex replaces the old one; the
     text of these types never changes), so their contents are the same as
     after indexing at every step. To keep the fill under half an hour the
     index writes are done after all objects exist, one docid range (1/16)
     per commit: with random docids each commit would otherwise rewrite
     nearly every bucket of every index. Within a range the docids still
     arrive in random order, so buckets fill as under random inserts;
  3. re-evaluating the request's completeness after every change
     (the services' after-change hook): it is evaluated once at the end by
     the production `services.rectification.refresh_completeness`, which
     depends only on the final objects, so the stored gaps and gap_count
     are the same (a request's `modified`, which moves when its gap_count
     changes, is left out of the comparison below);
  4. the savepoint `Services.transition` takes to drop a step's facts when a
     guard refuses it (in one long bulk transaction every savepoint would
     rewrite all objects changed since the last one); a refusal stops the
     bench instead, so no refused step can be left half done.

At start the bench checks this: it rebuilds a few of the Services-made
requests (one per state reached) with BulkServices inside a savepoint,
compares the field values, states, gaps, history, versions and every index
value (all but path, parent, number and text, which differ by the number
drawn) and rolls the savepoint back; it stops if anything differs. Objects
are committed every ~100,000 so memory stays bounded. `--pack` packs the
file afterwards (it then holds no old bucket revisions; ~7 min at 1M).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transaction  # noqa: E402
from common import (
    KEYRING,  # noqa: E402
    services_for,
)
from common import settings as bench_settings
from hypatia.query import And, Eq  # noqa: E402
from webtest import TestApp  # noqa: E402

from tracker import main as make_app  # noqa: E402
from tracker.audit import Recorder  # noqa: E402
from tracker.bootstrap import get_site  # noqa: E402
from tracker.catalog import IndexView  # noqa: E402
from tracker.catalog.indexing import path_of  # noqa: E402
from tracker.catalog.query import build_query  # noqa: E402
from tracker.clock import COPENHAGEN as LOCAL
from tracker.rectification import dashboard  # noqa: E402
from tracker.security.permissions import user_principals  # noqa: E402
from tracker.services import Services  # noqa: E402
from tracker.services.sealing import Sealer  # noqa: E402

TARGET_MS = 50.0
PASSWORD = 'throughput measuring passphrase'
FILL_CACHE = 3_000_000  # objects kept in the fill connection's cache
OBJECTS_PER_COMMIT = 100_000

# Request states: closed ones are the history; open ones what the jurist works on.
OPEN_MIX = [
    ('received', 15),
    ('assessing', 25),
    ('decided', 15),
    ('notifying', 35),
    ('awaiting_approval', 10),
]
CLOSED_SHARE = 0.85
EARLY = [('identified', 60), ('drafted', 35), ('exempted', 5)]
NOTIFYING = [
    ('identified', 5),
    ('drafted', 5),
    ('sent', 35),
    ('acknowledged', 25),
    ('confirmed', 25),
    ('exempted', 5),
]
NOTIFICATION_MIX = {
    'closed': [('confirmed', 90), ('exempted', 10)],  # approval needs them accounted for
    'received': EARLY,
    'assessing': EARLY,
    'decided': [('identified', 30), ('drafted', 25), ('sent', 35), ('exempted', 10)],
    'notifying': NOTIFYING,
    'awaiting_approval': NOTIFYING,
}
CENTRES = ['cbf', 'cvv', 'job', 'csd', 'bs', 'ctm']
CHANNELS = ['letter', 'email', 'digital_post', 'phone', 'in_person']


def today_local():
    return datetime.now(LOCAL).date()


# -- the services: real, and bulk ---------------------------------------------


class Clock:
    """The services' clock, set to the moment of each step."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def set(self, day, rng):
        self.now = datetime.combine(day, dtime(8), LOCAL).astimezone(UTC) + timedelta(
            seconds=rng.randrange(8 * 3600)
        )

    def __call__(self):
        return self.now


class _NoAudit:
    def record(self, *args, **kw):
        return None


class _IndexLater:
    """Stands in for CatalogManager during a request's script: remembers
    what changed; `BulkServices.finish` indexes it once."""

    def __init__(self):
        self.pending = {}

    def index(self, site, obj):
        self.pending[id(obj)] = obj

    def reindex_children(self, site, obj):  # their parent_state follows obj
        for name in obj.child_names():
            self.index(site, obj.get_child(name))

    def reindex_subtree(self, site, obj):
        raise NotImplementedError('no sharing in the bench')


class BulkServices:
    """Services without the audit log, the per-change reindex, the
    per-change completeness update and the transition's savepoint (see the
    module docstring), through the public bulk options of
    `tracker.services.Services` (indexer, keep_derived, savepoints).
    `finish(request)` stores the completeness and queues the request's
    objects for indexing; `index_queued` indexes them."""

    CHUNK_BITS = 4  # index in 16 docid ranges, one commit each

    def __init__(self, site, types, actor, *, ring, clock, catalog=None):
        self.site, self.types, self.ring = site, types, ring
        self.catalog = catalog if catalog is not None else _IndexLater()
        self.services = Services(
            site,
            types,
            actor,
            lambda p, c: True,
            audit=_NoAudit(),
            ring=ring,
            clock=clock,
            indexer=self.catalog,
            keep_derived=False,  # finish() stores the completeness once
            savepoints=False,  # a refused step stops the bench
        )
        self.queued = [[] for _ in range(2**self.CHUNK_BITS)]
        self.taken = set()

    def add(self, container, type_name, cstruct):
        return self.services.add(container, type_name, cstruct)

    def edit(self, obj, changes, **kw):
        return self.services.edit(obj, changes, **kw)

    def transition(self, obj, name, comment='', changes=None):
        return self.services.transition(obj, name, comment, changes)

    def _new_docid(self):
        docmap = self.site.docmap
        while True:  # as DocMap.new_docid: random 63-bit, unique
            docid = random.randrange(1, 2**62)
            if docid not in self.taken and docid not in docmap.docid_to_path:
                self.taken.add(docid)
                return docid

    def finish(self, request):
        """What the skipped steps would have left: the stored completeness,
        and each touched object's final index values (IndexView, as
        CatalogManager.index computes them) with a docid drawn as
        DocMap.new_docid draws it, queued by docid range."""
        self.services.rectification.refresh_completeness(request)
        pending = self.catalog.pending
        for obj in pending.values():
            if obj.docid is None:
                obj.docid = self._new_docid()
            chunk = self.queued[obj.docid >> (62 - self.CHUNK_BITS)]
            chunk.append((obj.docid, path_of(obj), IndexView(obj, self.types, self.ring)))
        count = len(pending)
        pending.clear()
        return count

    def index_queued(self, report):
        """CatalogManager.index's two writes (docmap.add, catalog.index_doc)
        for every queued object, one docid range per commit: each commit then
        rewrites only that range's index buckets, not nearly all of them as
        docids in random order would, and the buckets still fill as under
        random inserts."""
        site = self.site
        for number, chunk in enumerate(self.queued):
            for docid, path, view in chunk:
                site.docmap.add(docid, path)
                site.catalog.index_doc(docid, view)
            transaction.commit()
            report(number + 1, len(self.queued), len(chunk))
            self.queued[number] = []


# -- what to create ----------------------------------------------------------


def pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    x = rng.uniform(0, total)
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


def spread(total, parts, rng, max_each):
    """`parts` counts adding up to `total`, varying around the mean."""
    base, extra = divmod(total, parts)
    counts = [base + (1 if i < extra else 0) for i in range(parts)]
    swing = min(base, 5)
    for i in range(0, parts - 1, 2):
        d = rng.randint(-swing, swing)
        if 0 <= counts[i] + d <= max_each and 0 <= counts[i + 1] - d <= max_each:
            counts[i] += d
            counts[i + 1] -= d
    return counts


def cpr_for(i):
    """A valid CPR number: born 1940-1999, 7th digit 0-3 (the 1900s)."""
    day = date(1940, 1, 1) + timedelta(days=(i * 7919) % 21900)
    return f'{day.day:02d}{day.month:02d}{day.year % 100:02d}-{(i * 31) % 4000:04d}'


def run_script(n, plan_rng, svc, approver, clock, folder, recipients, count, today):
    """Create request number n and its items and notifications through
    `svc` (Services or BulkServices); returns the request."""
    rng = plan_rng
    closed = rng.random() < CLOSED_SHARE
    if closed:
        state = 'closed'
        received = today - timedelta(days=rng.randint(45, 5 * 365))
    else:
        state = pick(rng, OPEN_MIX)
        received = today - timedelta(days=rng.randint(0, 75))
    span = min((today - received).days, 40)
    marks = sorted(rng.randint(0, span) for _ in range(6))
    day = [received + timedelta(days=m) for m in marks]
    # day[0] assess, day[1] decide, day[2] notify, day[3..4] send/answer, day[5] submit

    def at(d):
        clock.set(d, rng)

    at(received)
    request = svc.add(
        folder,
        'rectification',
        {
            'title': f'Forkert oplysning i journalnotat {n}',
            'received': received.isoformat(),
            'channel': rng.choice(CHANNELS),
            'centres': [rng.choice(CENTRES)],
            'requester': 'citizen',
            'data_subject': f'Borger {n}',
            'data_subject_cpr': cpr_for(n),
        },
    )
    decided = state not in ('received', 'assessing')
    items = []
    for k in range(1 + (rng.random() < 0.3)):
        item = {'title': f'Oplysning {k + 1}', 'wrong_statement': 'Borgeren er dømt for vold'}
        if not decided and rng.random() < 0.5:
            continue
        items.append(svc.add(request, 'contested_item', item))
    if state != 'received':
        at(day[0])
        svc.transition(request, 'assess')
    if decided:
        at(day[1])  # the decision is recorded on its day (a later date would be refused)
        for obj in items:
            svc.edit(
                obj,
                {
                    'decision': 'rectified',
                    'decided_on': day[1].isoformat(),
                    'correct_statement': 'Borgeren er ikke dømt for noget',
                },
            )
        svc.transition(request, 'decide')
    if state in ('notifying', 'awaiting_approval', 'closed'):
        at(day[2])
        svc.transition(request, 'notify')
    mix = NOTIFICATION_MIX[state]
    for recipient in rng.sample(recipients, count):
        target = pick(rng, mix)
        added = day[2] if decided else day[0]
        at(added)
        notification = svc.add(request, 'notification', {'recipient': recipient})
        if target == 'identified':
            continue
        if target == 'drafted':
            svc.transition(notification, 'draft')
            continue
        if target == 'exempted':
            svc.transition(
                notification,
                'exempt',
                changes={
                    'exemption': rng.choice(['impossible', 'disproportionate']),
                    'exemption_explanation': 'Modtageren er nedlagt; ingen efterfølger.',
                },
            )
            continue
        sent = added + timedelta(days=rng.randint(0, (day[4] - added).days))
        at(sent)
        svc.transition(
            notification, 'send', changes={'sent_on': sent.isoformat(), 'channel': 'digital_post'}
        )
        limit = day[5] if state == 'closed' else today  # confirmed before the approval
        reply = sent + timedelta(days=rng.randint(0, (limit - sent).days))
        if target == 'acknowledged':
            at(reply)
            svc.transition(
                notification, 'acknowledge', changes={'acknowledged_on': reply.isoformat()}
            )
        elif target == 'confirmed':
            at(reply)
            svc.transition(notification, 'confirm', changes={'confirmed_on': reply.isoformat()})
    answered = min(day[3], received + timedelta(days=28))
    if state == 'notifying' and rng.random() < 0.5:
        at(day[4])
        svc.edit(request, {'answered_on': answered.isoformat()})
    if state in ('awaiting_approval', 'closed'):
        at(day[5])
        svc.transition(request, 'submit', changes={'answered_on': answered.isoformat()})
    if state == 'closed':
        at(day[5])
        approver.transition(request, 'approve')
    return request


# -- filling -------------------------------------------------------------------


def open_fill(uri):
    wsgi = make_app(
        {},
        **bench_settings(
            f'{uri}?connection_cache_size={FILL_CACHE}', **{'tracker.keyring_file': KEYRING}
        ),
    )
    return wsgi, wsgi.registry._zodb_databases['']


def setup_site(db, types, ring):
    """Recipients, the jurist who looks at the dashboard, and the bench actors."""
    conn = db.open()
    services = services_for(conn, types, ring)
    services.accounts.add_user('jurist', PASSWORD, ['jurist'], 'Jurist på dashboardet')
    services.accounts.add_user('bench', PASSWORD, ['jurist'])
    services.accounts.add_user('bench2', PASSWORD, ['jurist'])
    transaction.commit()
    conn.close()


def add_recipients(db, types, ring, how_many):
    conn = db.open()
    site = get_site(conn)
    services = services_for(conn, types, ring)
    kinds = ['authority', 'school', 'placement', 'health', 'police', 'court', 'other']
    paths = []
    for i in range(how_many):
        obj = services.add(
            site['modtagere'],
            'recipient',
            {
                'title': f'Modtager {i + 1:03d}',
                'kind': kinds[i % len(kinds)],
                'channel': 'digital_post',
            },
        )
        paths.append(f'/modtagere/{obj.__name__}')
    transaction.commit()
    conn.close()
    return paths


def _comparable(obj, types, ring):
    info = types[obj.type_name]
    view = dict(vars(IndexView(obj, types, ring)))
    for name in ('path', 'parent', 'number', 'sequence', 'text'):  # differ by the name only
        view.pop(name, None)
    modified = obj.modified
    if obj.type_name == 'rectification':
        # moved by each change of its gap_count, which the bulk path stores once
        view.pop('modified', None)
        modified = None
    return {
        'fields': Sealer(ring).open(obj, info),
        'state': obj.review_state,
        'gaps': obj.gaps,
        'created': obj.created,
        'modified': modified,
        'history': [
            (h['action'], h['actor'], h['time'], h['from'], h['to']) for h in obj.review_history
        ],
        'versions': [(v['number'], v['time']) for v in obj.versions],
        'index': view,
    }


def _request_tree(request, types, ring):
    out = {'request': _comparable(request, types, ring)}
    for name in request.child_names():
        child = request.get_child(name)
        out[(child.type_name, child.title)] = _comparable(child, types, ring)
    return out


def check_shortcut(site, types, ring, made, recipients, counts, today, seed):
    """Rebuild some Services-made requests with BulkServices (same script,
    same random draws) in a savepoint, compare, roll back."""
    savepoint = transaction.savepoint()
    checked, objects = set(), 0
    try:
        for n, request in made:
            if request.review_state in checked:
                continue
            checked.add(request.review_state)
            clock = Clock()
            bulk = BulkServices(site, types, 'bench', ring=ring, clock=clock)
            approver = BulkServices(
                site, types, 'bench2', ring=ring, clock=clock, catalog=bulk.catalog
            )
            copy = run_script(
                n,
                random.Random(f'{seed}:{n}'),
                bulk,
                approver,
                clock,
                site['berigtigelser'],
                recipients,
                counts[n],
                today,
            )
            bulk.finish(copy)
            a, b = _request_tree(request, types, ring), _request_tree(copy, types, ring)
            if a != b:
                for key in sorted(set(a) | set(b), key=str):
                    if a.get(key) != b.get(key):
                        for part in (
                            'fields',
                            'state',
                            'gaps',
                            'created',
                            'modified',
                            'history',
                            'versions',
                            'index',
                        ):
                            x, y = (a.get(key) or {}).get(part), (b.get(key) or {}).get(part)
                            if x != y:
                                print(f'  {key} {part}:\n    services: {x}\n    bulk:     {y}')
                raise SystemExit(
                    'The bulk shortcut does not give the same objects and index '
                    'values as Services: see above.'
                )
            objects += len(a)
    finally:
        savepoint.rollback()
    return sorted(checked), objects


def fill(uri, requests, notifications, share, seed, pack):
    start = time.perf_counter()
    wsgi, db = open_fill(uri)
    types, ring = wsgi.registry.tracker_types, wsgi.registry.tracker_keyring
    rng = random.Random(seed)
    mean = max(1, notifications // max(1, requests))
    recipients = add_recipients(db, types, ring, mean + 20)
    counts = spread(notifications, requests, rng, len(recipients))
    setup_site(db, types, ring)
    today = today_local()
    sample = min(requests, max(10, round(requests * share)))
    per_commit = max(1, OBJECTS_PER_COMMIT // (mean + 3))
    conn = db.open()
    site = get_site(conn)
    folder = site['berigtigelser']
    audit = conn.get_connection('audit')
    clock = Clock()
    services = Services(
        site,
        types,
        'bench',
        lambda p, c: True,
        ring=ring,
        clock=clock,
        audit=Recorder(audit, ring, 'bench'),
    )
    approver = Services(
        site,
        types,
        'bench2',
        lambda p, c: True,
        ring=ring,
        clock=clock,
        audit=Recorder(audit, ring, 'bench2'),
    )
    bulk = BulkServices(site, types, 'bench', ring=ring, clock=clock)
    bulk_approver = BulkServices(
        site, types, 'bench2', ring=ring, clock=clock, catalog=bulk.catalog
    )
    made, done_n, last = [], 0, time.perf_counter()
    print(
        f'filling: {requests} requests, {notifications} notifications, {len(recipients)} '
        f'recipients; the first {sample} requests through Services (a transaction each), '
        f'the rest through BulkServices (a commit every {per_commit} requests, then the '
        'catalog in 16 docid ranges)',
        flush=True,
    )

    def checked():
        transaction.commit()
        states, objects = check_shortcut(site, types, ring, made, recipients, counts, today, seed)
        print(
            f'shortcut check: {objects} objects of requests in the states '
            f'{", ".join(states)} rebuilt by BulkServices are identical to the '
            'Services-made ones (fields, history, versions, index values)',
            flush=True,
        )

    for n in range(requests):
        script_rng = random.Random(f'{seed}:{n}')
        if n < sample:
            made.append(
                (
                    n,
                    run_script(
                        n,
                        script_rng,
                        services,
                        approver,
                        clock,
                        folder,
                        recipients,
                        counts[n],
                        today,
                    ),
                )
            )
            transaction.commit()  # as on the web: a transaction per request
        else:
            if n == sample:
                checked()
                made = []
            request = run_script(
                n, script_rng, bulk, bulk_approver, clock, folder, recipients, counts[n], today
            )
            bulk.finish(request)
        done_n += counts[n]
        if (n + 1) % per_commit == 0 or n + 1 == requests:
            transaction.commit()
            now = time.perf_counter()
            rate = (n + 1) / (now - start)
            print(
                f'  {n + 1:>7} requests {done_n:>8} notifications  '
                f'{now - start:6.0f} s  (last batch {now - last:5.1f} s, '
                f'ETA {(requests - n - 1) / rate:5.0f} s)',
                flush=True,
            )
            last = now
    if made:
        checked()
    phase = time.perf_counter()

    def report(number, of, objects):
        print(
            f'  catalog: docid range {number:>2}/{of}: {objects} objects indexed  '
            f'{time.perf_counter() - start:6.0f} s',
            flush=True,
        )

    bulk.index_queued(report)
    conn.close()
    filled = time.perf_counter() - start
    path = uri[len('file://') :]
    print(
        f'filled in {filled:.0f} s (objects {phase - start:.0f} s, catalog '
        f'{filled - (phase - start):.0f} s; {os.path.getsize(path) / 2**30:.2f} GiB)',
        flush=True,
    )
    packed = None
    if pack:
        t = time.perf_counter()
        db.pack(days=0)
        packed = round(time.perf_counter() - t)
        if os.path.exists(path + '.old'):  # the copy pack keeps
            os.remove(path + '.old')
        print(f'packed in {packed} s ({os.path.getsize(path) / 2**30:.2f} GiB)', flush=True)
    for each in wsgi.registry._zodb_databases.values():
        each.close()
    return {'fill_seconds': round(filled), 'pack_seconds': packed, 'today': today.isoformat()}


# -- measuring -----------------------------------------------------------------


def catalog_counts(site):
    catalog = site.catalog
    return {
        'notifications': len(Eq(catalog['type_name'], 'notification').execute()),
        'requests': len(Eq(catalog['type_name'], 'rectification').execute()),
        'open requests': len(
            And(
                Eq(catalog['type_name'], 'rectification'),
                catalog['review_state'].any(dashboard.OPEN_STATES),
            ).execute()
        ),
        'objects in the catalog': len(site.docmap),
    }


def sample_paths(site):
    """One open request with notifications, and one of its notifications."""
    catalog = site.catalog
    ids = (
        And(Eq(catalog['type_name'], 'notification'), Eq(catalog['review_state'], 'sent'))
        .execute()
        .ids
    )
    for docid in ids:
        path = site.docmap.path(docid)
        return path.rsplit('/', 1)[0], path
    raise SystemExit('no notification to take as the floor')


def ms(fn, rounds):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def terms_of(query):
    """The terms of a chain of `a & b & c` (nested Ands), in order."""
    if isinstance(query, And):
        return [t for q in query.queries for t in terms_of(q)]
    return [query]


def _short(value):
    if isinstance(value, (list, tuple)):
        return '[' + ','.join(map(str, value[:2])) + (',...' if len(value) > 2 else '') + ']'
    if isinstance(value, dict):
        return f'{value.get("min") or ""}..{value.get("max") or ""}'
    return str(value)


def describe(args, kw):
    filters = args[2] if len(args) > 2 else kw.get('filters') or {}
    text = ' '.join(f'{k}={_short(v)}' for k, v in filters.items())
    if kw.get('sort_on'):
        text += f' | sort {kw["sort_on"]}{" desc" if kw.get("reverse") else ""}'
    return text + f' | {kw.get("size", 50)} wanted'


class SearchRecorder:
    """Wraps the `search` that dashboard.build() calls, so each of its
    searches is timed inside real build() calls, with the number of objects
    it loaded from the storage (not in the connection's cache)."""

    def __init__(self, conn):
        self.conn = conn
        self.builds = []

    def __enter__(self):
        self.real = dashboard.search
        dashboard.search = self.wrapper
        return self

    def __exit__(self, *exc):
        dashboard.search = self.real

    def new_build(self):
        self.builds.append([])

    def wrapper(self, *args, **kw):
        self.conn.getTransferCounts(True)
        t = time.perf_counter()
        result = self.real(*args, **kw)
        elapsed = (time.perf_counter() - t) * 1000
        self.builds[-1].append((args, kw, elapsed, self.conn.getTransferCounts(True)[0], result[0]))
        return result


def breakdown(conn, site, types, principals, today, rounds):
    """Each search dashboard.build() makes: (1) timed inside build() after a
    transaction boundary, as in the timed loop (the connection's cache is cut
    back to its size there, so what does not fit is loaded again), and (2)
    each index term alone with everything in memory (the computing cost)."""
    totals = []
    with SearchRecorder(conn) as recorder:
        for _ in range(rounds):
            transaction.abort()
            recorder.new_build()
            t = time.perf_counter()
            dashboard.build(site, types, principals, today)
            totals.append((time.perf_counter() - t) * 1000)
    builds = recorder.builds
    print(
        f'\nthe searches of dashboard.build(), timed inside it (median of {rounds} builds, '
        'each after a transaction boundary as above):'
    )
    print(f'  {"ms":>8} {"loaded":>8} {"found":>8}  search')
    summed = 0.0
    for i, (args, kw, _ms, _loads, found) in enumerate(builds[0]):
        t = statistics.median(b[i][2] for b in builds)
        loads = statistics.median(b[i][3] for b in builds)
        summed += t
        print(f'  {t:8.1f} {loads:8.0f} {found:>8}  {describe(args, kw)}')
    print(
        f'  {statistics.median(totals) - summed:8.1f} {"":8} {"":8}  the rest of build() '
        f'(rows, gaps); build() total {statistics.median(totals):.1f} ms; objects in the '
        f'connection cache now {conn._cache.cache_non_ghost_count}'
    )
    catalog = site.catalog
    print(
        '\neach search with everything in memory (no transaction boundary; median of '
        f'{rounds}); below it each index term alone, before intersecting:'
    )
    for args, kw, _ms, _loads, found in builds[0]:
        filters = args[2] if len(args) > 2 else kw.get('filters')
        rest = {k: v for k, v in kw.items() if k != 'filters'}
        dashboard.search(site, types, filters, **rest)  # load what it needs
        whole = ms(lambda: dashboard.search(site, types, filters, **rest), rounds)
        query = build_query(catalog, types, filters, principals=kw.get('principals'))
        execute = ms(lambda: len(query.execute()), rounds)
        print(
            f'  {whole:7.2f} ms  (query {execute:6.2f} ms, sort/batch/load '
            f'{whole - execute:6.2f} ms)  {found:>8} found  {describe(args, kw)}'
        )
        for term in terms_of(query):
            size = len(term._apply({}))
            t = ms(lambda: term._apply({}), rounds)
            index = getattr(term, 'index', None)
            name = getattr(index, 'discriminator', '?')
            print(
                f'      {t:7.2f} ms  {size:>8} docids  {type(term).__name__}({name}, '
                f'{_short(getattr(term, "_value", ""))})'
            )


def profile_build(site, types, principals, today, rounds):
    """cProfile of build() calls, each after a transaction boundary (as in
    the timed loop), so loading from the storage shows."""
    profiler = cProfile.Profile()
    for _ in range(rounds):
        transaction.abort()
        profiler.enable()
        dashboard.build(site, types, principals, today)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('tottime').print_stats(20)
    stats.sort_stats('cumulative').print_stats(35)
    print(f'\ncProfile of {rounds} dashboard.build() calls:')
    print('\n'.join(line for line in out.getvalue().splitlines() if line.strip()))


def measure(uri, keyring, args):
    wsgi = make_app(
        {},
        **bench_settings(
            f'{uri}?connection_cache_size={args.cache_size}', **{'tracker.keyring_file': keyring}
        ),
    )
    db = wsgi.registry._zodb_databases['']
    types = wsgi.registry.tracker_types
    app = TestApp(wsgi)
    token = app.post_json('/@login', {'login': 'jurist', 'password': PASSWORD}).json['token']
    headers = {'Authorization': f'Bearer {token}', 'Accept': 'application/json'}
    conn = db.open()
    site = get_site(conn)
    counts = catalog_counts(site)
    request_path, floor_path = sample_paths(site)
    principals = user_principals(types, site.users['jurist'])
    today = today_local()
    print(
        f'\nin the catalog: {counts["notifications"]} notifications, {counts["requests"]} '
        f'rectification requests ({counts["open requests"]} open), '
        f'{counts["objects in the catalog"]} objects in all'
    )
    print(
        f'measuring app: file storage, connection_cache_size={args.cache_size}; '
        f'user "jurist" (global role jurist: principals {principals})'
    )

    body = app.get('/@dashboard', headers=headers).json
    print(
        f'dashboard says: items_total {body["items_total"]}, counts {body["counts"]}, '
        f'unacknowledged {body["unacknowledged"]["items_total"]}, '
        f'exemptions {body["exemptions"]["items_total"]}; '
        f'{len(body["items"])} rows'
    )
    assert body['items_total'] == counts['open requests'], 'the dashboard misses open requests'

    def get(path):
        return lambda: app.get(path, headers=headers)

    def build():
        transaction.abort()  # a fresh view of the database, as a new request gets
        dashboard.build(site, types, principals, today)

    timed = {
        'floor': get(floor_path),
        'request': get(request_path),
        'dashboard': get('/@dashboard'),
        'build()': build,
    }
    for fn in timed.values():  # warm the caches: buckets load on first use
        for _ in range(args.warmup):
            fn()
    times = {name: [] for name in timed}
    began, rounds = time.perf_counter(), 0
    while rounds < args.rounds and (rounds < 5 or time.perf_counter() - began < args.budget):
        for name, fn in timed.items():  # interleaved: noise hits all alike
            t = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
        rounds += 1
    med = {name: statistics.median(v) for name, v in times.items()}
    print(f'\n{rounds} rounds after {args.warmup} warm-up (median / mean / p90 ms):')
    labels = {
        'floor': f'GET {floor_path} (floor)',
        'request': f'GET {request_path}',
        'dashboard': 'GET /@dashboard',
        'build()': 'dashboard.build() in a connection',
    }
    for name, v in times.items():
        p90 = sorted(v)[int(0.9 * (len(v) - 1))]
        print(f'  {labels[name]:58s} {med[name]:8.2f} {statistics.mean(v):8.2f} {p90:8.2f}')
    ratio = med['dashboard'] / med['floor']
    verdict = 'PASS' if med['dashboard'] <= TARGET_MS else 'FAIL'
    print(
        f'\ndashboard {med["dashboard"]:.1f} ms over {counts["notifications"]} notifications '
        f'and {counts["requests"]} requests; floor {med["floor"]:.2f} ms; '
        f'ratio dashboard/floor {ratio:.1f}; build() alone {med["build()"]:.1f} ms'
    )
    print(
        f'{verdict}: target <= {TARGET_MS:.0f} ms (i.e. <= {TARGET_MS / med["floor"]:.0f}x '
        'the floor on this machine today)'
    )
    if args.breakdown or verdict == 'FAIL':
        breakdown(conn, site, types, principals, today, max(3, min(rounds, 7)))
    if args.profile:
        profile_build(site, types, principals, today, args.profile)
    conn.close()
    return med, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--notifications', type=int, default=1_000_000)
    parser.add_argument('--requests', type=int, default=100_000)
    parser.add_argument('--quick', action='store_true', help='20,000 notifications, 2,000 requests')
    parser.add_argument(
        '--services-share',
        type=float,
        default=0.01,
        help='share of the requests made through Services (the rest: BulkServices)',
    )
    parser.add_argument('--seed', default='dashboard')
    parser.add_argument(
        '--pack',
        action='store_true',
        help='pack the storage after the fill (drops old bucket revisions)',
    )
    parser.add_argument(
        '--data',
        help='keep the database in this directory; reuse it when '
        'it was filled with the same sizes and seed',
    )
    parser.add_argument(
        '--cache-size',
        type=int,
        default=20000,
        help='connection_cache_size of the measuring app (development.ini: 20000)',
    )
    parser.add_argument('--rounds', type=int, default=50)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument(
        '--budget',
        type=float,
        default=600,
        help='seconds for the timed rounds (at least 5 rounds are made)',
    )
    parser.add_argument(
        '--breakdown', action='store_true', help='time each search and index term (always on FAIL)'
    )
    parser.add_argument(
        '--profile', type=int, default=0, metavar='N', help='cProfile N dashboard.build() calls'
    )
    args = parser.parse_args()
    if args.quick:
        args.notifications, args.requests = 20_000, 2_000
    directory = args.data or tempfile.mkdtemp(prefix='tracker-bench-dashboard-')
    os.makedirs(directory, exist_ok=True)
    uri = f'file://{os.path.join(directory, "Data.fs")}'
    meta_path = os.path.join(directory, 'bench.json')
    keyring = os.path.join(directory, 'keyring.json')
    wanted = {
        'notifications': args.notifications,
        'requests': args.requests,
        'seed': args.seed,
        'services_share': args.services_share,
    }
    meta = None
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if {k: meta.get(k) for k in wanted} != wanted:
            raise SystemExit(f'{directory} holds another fill ({meta}); use another --data')
        print(
            f'reusing the database in {directory} (filled {meta["today"]} in '
            f'{meta["fill_seconds"]} s)'
        )
    else:
        for name in os.listdir(directory):
            if name.startswith('Data.fs'):
                raise SystemExit(f'{directory} has a Data.fs but no bench.json: remove it')
        shutil.copy(KEYRING, keyring)
        info = fill(
            uri, args.requests, args.notifications, args.services_share, args.seed, args.pack
        )
        meta = dict(wanted, **info)
        with open(meta_path, 'w') as f:
            json.dump(meta, f)
    measure(uri, keyring, args)
    if not args.data:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == '__main__':
    main()
