"""The write-path guard: while the application handles a request, every
persistent object that becomes changed (in the main database or the audit
log's) must be changed inside a public service method. A write anywhere
else (a view setting `obj.fields`, a helper appending to the audit log, a
security check bumping a counter) is recorded as a violation, and the
`write_guard` fixture (autouse, tests/conftest.py) fails the test.

How: ZODB calls `Connection.register(obj)` the moment a saved object is
first changed in a transaction; the guard wraps it and asks
`tracker.services.in_service_call()`. Writes outside a request (test set-up
with `db.transaction()`, start-up) are not the application's write path
and are not checked. A further change to an object already registered in
the same transaction does not call `register` again, so the guard sees the
first writer of each object per transaction.

Exceptions must be explicit and few: `ALLOWED` names them, with why."""

import traceback

from pyramid.threadlocal import get_current_request
from ZODB.Connection import Connection

from tracker.services import in_service_call

# (module, class name) of persistent objects that may change outside a
# service call, and why. Empty today: sessions live in signed cookies, not
# in ZODB, and the conflict-resolving counters (BTrees.Length) the catalog
# uses change only inside service calls.
ALLOWED = {}


class WriteGuard:
    def __init__(self):
        self.violations = []
        self._original = None

    def install(self):
        if self._original is not None:
            return
        original = self._original = Connection.register
        guard = self

        def register(conn, obj):
            guard.check(conn, obj)
            return original(conn, obj)

        Connection.register = register

    def uninstall(self):
        if self._original is not None:
            Connection.register = self._original
            self._original = None

    def check(self, conn, obj):
        if in_service_call() or get_current_request() is None:
            return
        kind = (type(obj).__module__, type(obj).__name__)
        if kind in ALLOWED:
            return
        frames = [
            f'{f.filename.split("/tracker/", 1)[-1]}:{f.lineno} {f.name}'
            for f in traceback.extract_stack()[:-2]
            if '/tracker/' in f.filename or '/tests/' in f.filename
        ]
        self.violations.append(
            {
                'object': f'{kind[0]}.{kind[1]}',
                'database': conn.db().database_name,
                'where': frames[-6:],
            }
        )

    def report(self):
        return '\n'.join(
            f'{v["object"]} changed outside a service call ({v["database"]} database), at:\n  '
            + '\n  '.join(v['where'])
            for v in self.violations
        )

    def assert_clean(self):
        assert not self.violations, (
            'Persistent writes outside the services (see docs/architecture.md, '
            '"The write path"):\n' + self.report()
        )


GUARD = WriteGuard()
