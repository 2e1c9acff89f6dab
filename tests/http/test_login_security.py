"""Logging in under attack: lockout after repeated failures (per account and
per address), password change ends other sessions and tokens, and a role
can require a TOTP second factor."""

import pyotp
from webtest import TestApp

from tests.conftest import (
    PASSWORD,
    add_user,
    api_login,
    db_of,
    login_browser,
    make_app,
    system_services,
)


def client(wsgi_app, address):
    return TestApp(wsgi_app, extra_environ={'REMOTE_ADDR': address})


def try_login(app, login, password, status):
    return app.post_json('/@login', {'login': login, 'password': password}, status=status)


def test_five_failures_lock_the_account_even_for_the_right_password(wsgi_app):
    app = client(wsgi_app, '10.0.0.1')
    for _ in range(5):
        try_login(app, 'rita', 'wrong', 401)
    locked = try_login(app, 'rita', PASSWORD, 429).json['error']
    assert 'Prøv igen senere' in locked['message']
    # from another address too: it is the account that is locked
    try_login(client(wsgi_app, '10.0.0.2'), 'rita', PASSWORD, 429)
    # the browser form says the same, without telling whether the password was right
    page = login_browser_attempt(wsgi_app, 'rita', PASSWORD)
    assert page.status_int == 429 and 'Prøv igen senere' in page.text
    # other accounts are not affected
    try_login(app, 'jens', PASSWORD, 200)


def login_browser_attempt(wsgi_app, login, password):
    browser = client(wsgi_app, '10.0.0.9')
    form = browser.get('/login').forms[0]
    form['login'], form['password'] = login, password
    return form.submit(status='*')


def test_an_admin_reset_lifts_the_lock(wsgi_app):
    app = client(wsgi_app, '10.0.0.1')
    for _ in range(5):
        try_login(app, 'rita', 'wrong', 401)
    with db_of(wsgi_app).transaction() as conn:
        system_services(conn, wsgi_app, 'admin').accounts.reset_password(
            'rita', 'a brand new passphrase'
        )
    try_login(app, 'rita', 'a brand new passphrase', 200)


def test_many_failures_from_one_address_lock_that_address(wsgi_app):
    app = client(wsgi_app, '10.6.6.6')
    for n in range(20):
        try_login(app, f'guess{n}', 'wrong', 401)
    try_login(app, 'jens', PASSWORD, 429)
    try_login(client(wsgi_app, '10.0.0.3'), 'jens', PASSWORD, 200)


def test_changing_the_password_ends_other_sessions_and_tokens(wsgi_app):
    token_api = api_login(TestApp(wsgi_app), 'rita')
    other_browser = login_browser(TestApp(wsgi_app), 'rita')
    browser = login_browser(TestApp(wsgi_app), 'rita')
    form = browser.get('/password').forms['password-form']
    form['old_password'] = 'wrong'
    form['new_password'] = 'another long passphrase'
    assert 'forkert' in form.submit(status=400).text
    form = browser.get('/password').forms['password-form']
    form['old_password'] = PASSWORD
    form['new_password'] = 'short'
    assert 'mindst 12 tegn' in form.submit(status=400).text
    form = browser.get('/password').forms['password-form']
    form['old_password'] = PASSWORD
    form['new_password'] = 'another long passphrase'
    form.submit(status=303)
    browser.get('/sager', status=200)  # this session goes on
    other_browser.get('/sager', status=303)  # the other one has ended
    token_api.get('/sager', status=401)  # and so has the token
    try_login(TestApp(wsgi_app), 'rita', 'another long passphrase', 200)


def test_a_role_can_require_a_second_factor(schemas_copy):
    roles = schemas_copy / 'roles.yaml'
    roles.write_text(
        roles.read_text().replace(
            '    title_en: Citizen advisor\n',
            '    title_en: Citizen advisor\n    require_totp: true\n',
        )
    )
    wsgi_app = make_app(**{'tracker.schemas': str(schemas_copy)})
    add_user(wsgi_app, 'rita', ['advisor'])
    app = TestApp(wsgi_app)
    refused = try_login(app, 'rita', PASSWORD, 403).json['error']
    assert 'tofaktor' in refused['message']
    secret = pyotp.random_base32()
    with db_of(wsgi_app).transaction() as conn:
        system_services(conn, wsgi_app, 'admin').accounts.enrol_totp('rita', secret)
    try_login(app, 'rita', PASSWORD, 401)  # no code: like a wrong password
    code = pyotp.TOTP(secret).now()
    ok = app.post_json('/@login', {'login': 'rita', 'password': PASSWORD, 'totp': code})
    assert ok.json['token']
    # the same code cannot be used twice
    app.post_json('/@login', {'login': 'rita', 'password': PASSWORD, 'totp': code}, status=401)


def test_a_session_ends_after_inactivity(monkeypatch):
    """The session cookie carries the time of its last use; a visit more than
    tracker.session_timeout seconds later finds the session ended. The
    cookie's clock (pyramid.session's time.time) is moved, not waited for."""
    import time
    from types import SimpleNamespace

    from pyramid import session

    now = [time.time()]
    monkeypatch.setattr(session, 'time', SimpleNamespace(time=lambda: now[0]))
    wsgi_app = make_app(**{'tracker.session_timeout': '120'})
    add_user(wsgi_app, 'rita', ['advisor'])
    browser = login_browser(TestApp(wsgi_app), 'rita')
    browser.get('/sager', status=200)
    # activity keeps it alive: three visits 100 s apart span 300 s > 120 s
    for _ in range(3):
        now[0] += 100
        browser.get('/sager', status=200)
    now[0] += 121
    browser.get('/sager', status=303)


def test_oversized_and_non_json_bodies_are_refused_unread(testapp, api, new_case):
    big = b'{"title": "' + b'x' * (21 * 1024 * 1024) + b'"}'
    testapp.post(
        '/sager', big, headers=dict(api.headers, **{'Content-Type': 'application/json'}), status=413
    )
    testapp.post(
        '/sager',
        'title=x',
        headers=dict(api.headers, **{'Content-Type': 'application/x-www-form-urlencoded'}),
        status=415,
    )
    assert api.get('/sager').json['items_total'] == 0


def test_cookies_are_httponly_and_samesite(testapp):
    cookie = testapp.get('/login').headers['Set-Cookie']
    assert 'HttpOnly' in cookie and 'SameSite=Lax' in cookie
    secure = TestApp(make_app(**{'tracker.secure_cookies': 'true'}))
    assert 'secure' in secure.get('/login').headers['Set-Cookie'].lower()


def test_guessing_the_current_password_with_a_session_locks_like_a_login(wsgi_app):
    token_api = api_login(TestApp(wsgi_app), 'rita')
    for _ in range(5):
        token_api.app.post_json(
            '/@password',
            {'old_password': 'guess', 'new_password': 'x' * 20},
            headers=token_api.headers,
            status=400,
        )
    # now even the right current password is refused, and so is the login
    token_api.app.post_json(
        '/@password',
        {'old_password': PASSWORD, 'new_password': 'another long passphrase'},
        headers=token_api.headers,
        status=403,
    )
    try_login(TestApp(wsgi_app), 'rita', PASSWORD, 429)
    audit = api_login(TestApp(wsgi_app), 'aud').get('/@audit', action='password_change_failed').json
    assert audit['items_total'] == 5


def test_reserved_names_cannot_become_users(wsgi_app):
    import pytest as _pytest

    from tracker.services import ValidationFailed

    with db_of(wsgi_app).transaction() as conn:
        with _pytest.raises(ValidationFailed):
            system_services(conn, wsgi_app, 'admin').accounts.add_user(
                'system', 'a long passphrase here', ['advisor']
            )


def test_made_up_languages_fall_back_to_danish(browser):
    assert '<html lang="da"' in browser.get('/sager?_LOCALE_=xx-made-up').text
