"""Shared fixtures: the real application over an in-memory ZODB, driven
through WebTest (real WSGI requests)."""

import os
import re
import shutil
from pathlib import Path

import hypothesis
import pytest
from webtest import TestApp

from tests.write_guard import GUARD
from tracker import main
from tracker.bootstrap import get_site
from tracker.clock import MovableClock
from tracker.services import Services

PROJECT = Path(__file__).resolve().parent.parent

# Hypothesis fails an example that takes over 200 ms, and a run whose data
# generation is slow: speed checks that a busy machine fails. The suite
# tests behaviour, not speed (the bench/ scripts measure that).
hypothesis.settings.register_profile(
    'tracker', deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile('tracker')


@pytest.fixture(autouse=True, scope='session')
def _write_guard_installed():
    GUARD.install()
    yield
    GUARD.uninstall()


@pytest.fixture(autouse=True)
def write_guard(_write_guard_installed):
    """Every request a test makes is also a write-path check: a persistent
    write outside a service call fails the test (tests/write_guard.py)."""
    GUARD.violations.clear()
    yield GUARD
    report = GUARD.report()
    GUARD.violations.clear()
    if report:
        pytest.fail('Persistent writes outside the services:\n' + report, pytrace=False)


@pytest.fixture(autouse=True, scope='session')
def _reuse_password_hashes():
    """argon2 is slow on purpose; the fixtures create the same users with the
    same password hundreds of times. Reuse one real hash per password (login
    still verifies it with argon2)."""
    from functools import lru_cache

    from tracker.security import passwords

    original = passwords.hash_password
    passwords.hash_password = lru_cache(maxsize=32)(original)
    yield
    passwords.hash_password = original


PASSWORD = 'correct horse battery staple'


def copenhagen_today():
    """Today where the advisor works: the app's dates are Copenhagen's, not
    the machine's zone (which may already be tomorrow or still yesterday)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo('Europe/Copenhagen')).date()


def in_ci():
    return os.environ.get('CI', '').lower() in ('1', 'true', 'yes')


_KEYRING = {}


def session_keyring():
    """One key file for the test session (created 0600 like `tracker init`)."""
    if 'path' not in _KEYRING:
        import tempfile

        from tracker.crypto import KeyRing

        path = Path(tempfile.mkdtemp(prefix='tracker-keys-')) / 'keyring.json'
        KeyRing.create(path)
        _KEYRING['path'] = str(path)
    return _KEYRING['path']


def base_settings(**overrides):
    settings = {
        'tracker.keyring_file': session_keyring(),
        'zodbconn.uri': 'memory://',
        'zodbconn.uri.audit': 'memory://',
        'tracker.secret': 'test-secret-' + 'x' * 40,
        'tracker.schemas': str(PROJECT / 'schemas'),
        'tm.manager_hook': 'pyramid_tm.explicit_manager',
        'tm.commit_veto': 'pyramid_tm.default_commit_veto',
        'retry.attempts': '3',
        'pyramid.default_locale_name': 'da',
    }
    settings.update(overrides)
    return settings


def make_app(**overrides):
    return main({}, **base_settings(**overrides))


def db_of(wsgi_app):
    return wsgi_app.registry._zodb_databases['']


def close_app(wsgi_app):
    """Close every database of an app instance (main and audit)."""
    for db in wsgi_app.registry._zodb_databases.values():
        db.close()


def add_user(wsgi_app, login, roles, password=PASSWORD):
    db = db_of(wsgi_app)
    with db.transaction() as conn:
        system_services(conn, wsgi_app, 'test-setup').accounts.add_user(login, password, roles)


def system_services(conn, wsgi_app, actor='test-setup'):
    """Services for test set-up, audited like any other writer."""
    from tracker.audit import Recorder
    from tracker.storage import AUDIT

    ring = wsgi_app.registry.tracker_keyring
    return Services(
        get_site(conn),
        wsgi_app.registry.tracker_types,
        actor,
        lambda p, c: True,
        ring=ring,
        clock=getattr(wsgi_app.registry, 'tracker_clock', None),
        audit=Recorder(conn.get_connection(AUDIT), ring, actor),
    )


def csrf_of(response):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', response.text
    )
    assert match, 'page has no CSRF token'
    return match.group(1)


def visible_text(response):
    """The page's text as a reader sees it: no tags, single spaces."""
    text = re.sub(r'<(script|style)[^>]*>.*?</\1>', ' ', response.text, flags=re.S)
    text = re.sub(r'<[^>]+>', ' ', text)
    return re.sub(r'\s+', ' ', text).replace(' :', ':').strip()


def login_browser(testapp, login, password=PASSWORD):
    page = testapp.get('/login')
    form = page.forms[0]
    form['login'] = login
    form['password'] = password
    response = form.submit()
    assert response.status_int == 303, response.text[:500]
    return testapp


class Api:
    """A JSON client with a bearer token."""

    def __init__(self, testapp, token):
        self.app = testapp
        self.headers = {'Authorization': f'Bearer {token}', 'Accept': 'application/json'}

    def get(self, url, status=200, **params):
        return self.app.get(url, params=params, headers=self.headers, status=status)

    def post(self, url, body=None, status=201):
        return self.app.post_json(
            url, body if body is not None else {}, headers=self.headers, status=status
        )

    def patch(self, url, body, status=200):
        return self.app.patch_json(url, body, headers=self.headers, status=status)

    def delete(self, url, status=403):
        return self.app.delete(url, headers=self.headers, status=status)


def api_login(testapp, login, password=PASSWORD):
    response = testapp.post_json('/@login', {'login': login, 'password': password})
    return Api(testapp, response.json['token'])


@pytest.fixture
def clock():
    """The application's clock: the real time until a test moves it
    (`clock.advance(days=30)`, `clock.set(moment)`)."""
    return MovableClock()


@pytest.fixture
def wsgi_app(clock):
    app = make_app()
    app.registry.tracker_clock = clock
    add_user(app, 'rita', ['advisor'])
    add_user(app, 'jens', ['jurist'])
    add_user(app, 'aud', ['auditor'])
    add_user(app, 'admin', ['admin'])
    add_user(app, 'cw', ['caseworker'])
    add_user(app, 'cw2', ['caseworker'])
    yield app
    close_app(app)


@pytest.fixture
def testapp(wsgi_app):
    return TestApp(wsgi_app)


@pytest.fixture
def browser(wsgi_app):
    """A logged-in advisor's browser session."""
    return login_browser(TestApp(wsgi_app), 'rita')


@pytest.fixture
def api(testapp):
    return api_login(testapp, 'rita')


INI = """
[app:main]
use = egg:tracker
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
tm.manager_hook = pyramid_tm.explicit_manager
tm.commit_veto = pyramid_tm.default_commit_veto
retry.attempts = 3
tracker.schemas = {schemas}
tracker.secret_file = {var}/secret
tracker.keyring_file = {var}/keyring.json
"""


def write_ini(tmp_path):
    """A deployment-like settings file over file storages in tmp_path/var."""
    path = tmp_path / 'test.ini'
    path.write_text(INI.format(var=tmp_path / 'var', schemas=PROJECT / 'schemas'))
    return path


def run_cli(ini, *args):
    """`tracker -c ini ARGS` as an operator runs it, with no terminal."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, '-m', 'tracker.cli', '-c', str(ini), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


CASE = {
    '@type': 'case',
    'title': 'Klage over manglende partshøring',
    'received': '2026-11-02',
    'channel': 'phone',
    'kind': 'complaint',
    'centres': ['cbf'],
    'within_purpose': True,
    'themes': ['process_overview'],
}


@pytest.fixture
def new_case():
    return dict(CASE)


@pytest.fixture
def schemas_copy(tmp_path):
    """A private copy of schemas/ a test may change."""
    target = tmp_path / 'schemas'
    shutil.copytree(PROJECT / 'schemas', target)
    return target


# -- the suite's three layers ------------------------------------------------
# A test's directory says what it needs, and gives it its marker: `pytest -m
# unit` runs the quick ones alone; a plain `pytest` (`make test`) runs the
# unit tests first, then http, then browser, so a broken rule shows in
# seconds, not after the browser has started.
LAYERS = ('unit', 'http', 'browser')
TESTS = Path(__file__).resolve().parent


def _layer(item):
    try:
        return item.path.relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None


def pytest_collection_modifyitems(config, items):
    misplaced = sorted(
        {os.path.relpath(i.path, TESTS.parent) for i in items if _layer(i) not in LAYERS}
    )
    if misplaced:
        raise pytest.UsageError(
            'tests must live in tests/unit (no application), tests/http (the app '
            'through WSGI, servers, the CLI) or tests/browser (Chromium): ' + ', '.join(misplaced)
        )
    for item in items:
        item.add_marker(_layer(item))
    items.sort(key=lambda i: LAYERS.index(_layer(i)))  # stable: keeps each file's order
