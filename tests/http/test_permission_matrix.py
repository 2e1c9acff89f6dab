"""Every role against every registered view and API endpoint.

The table below says who may use each; the first test fails when a view is
registered that the table does not name, so a new view cannot be forgotten.
"Allowed" means the request got past authorisation (it may still be a 400
for the empty input sent here); "forbidden" means 401/403, the login page,
or 404 (what a user may not view does not exist for them).
"""

import pytest
from webtest import TestApp

from tests.conftest import CASE, PASSWORD, api_login, db_of

ADMIN, ADVISOR, JURIST, AUDITOR = 'admin', 'rita', 'jens', 'aud'
CW_SHARED, CW, ANONYMOUS = 'cw', 'cw2', None
ROLES = [ADMIN, ADVISOR, JURIST, AUDITOR, CW_SHARED, CW, ANONYMOUS]
LOGGED_IN = {ADMIN, ADVISOR, JURIST, AUDITOR, CW_SHARED, CW}
VIEW = {ADMIN, ADVISOR, JURIST, AUDITOR, CW_SHARED}  # may see the case
EDIT = {ADMIN, ADVISOR, JURIST, CW_SHARED}
TRANSITION = {ADMIN, ADVISOR, JURIST}
SHARE = {ADMIN, ADVISOR}
ADD_CASE = {ADMIN, ADVISOR}
ADD_DOCUMENT = {ADMIN, ADVISOR, JURIST, CW_SHARED}
AUDIT = {ADMIN, AUDITOR}
ISSUE = {ADMIN, ADVISOR, JURIST}
ISSUE_NOTICES = ISSUE
PUBLIC = set(ROLES)
NOBODY = set()

# (view name, method, accept) -> (url, body, who is allowed)
C = '/sager/1-2026'
D = C + '/notat'
R = C + '/br-2026-0001'  # a rectification request in the case
L = R + '/dokument-rectification-receipt'  # a letter issued from it
REP = '/rapporter/rapport-2026-01'  # a report
MATRIX = {
    ('', 'GET', 'text/html'): (C, None, VIEW),
    ('', 'GET', 'application/json'): (C, None, VIEW),
    ('', 'POST', None): ('/sager', {'@type': 'case'}, ADD_CASE),
    ('', 'PATCH', None): (C, {'title': 'Nyt emne'}, EDIT),
    ('', 'DELETE', None): (C, None, NOBODY),  # case records are never deleted
    ('add', 'GET', None): ('/sager/add?type=case', None, ADD_CASE),
    ('add', 'POST', None): ('/sager/add?type=case', {'title': ''}, ADD_CASE),
    ('edit', 'GET', None): (C + '/edit', None, EDIT),
    ('edit', 'POST', None): (C + '/edit', {'title': ''}, EDIT),
    ('workflow', 'POST', None): (C + '/workflow', {'transition': 'investigate'}, TRANSITION),
    ('history', 'GET', None): (C + '/history', None, VIEW),
    ('search', 'GET', None): ('/search?q=klage', None, LOGGED_IN),
    ('sharing', 'GET', None): (C + '/sharing', None, VIEW),
    ('sharing', 'POST', None): (C + '/sharing', {'login': 'jens', 'role': 'caseworker'}, SHARE),
    ('audit', 'GET', None): (C + '/audit', None, AUDIT),
    ('@search', 'GET', None): ('/@search?q=klage', None, LOGGED_IN),
    ('@search', 'POST', None): ('/@search', {'q': 'klage'}, LOGGED_IN),
    ('@workflow', 'GET', None): (C + '/@workflow', None, VIEW),
    ('@workflow', 'POST', None): (C + '/@workflow/investigate', {}, TRANSITION),
    ('@history', 'GET', None): (C + '/@history', None, VIEW),
    ('@types', 'GET', None): ('/@types/case', None, LOGGED_IN),
    ('@sharing', 'GET', None): (C + '/@sharing', None, VIEW),
    ('@sharing', 'POST', None): (
        C + '/@sharing',
        {'login': 'jens', 'roles': ['caseworker']},
        SHARE,
    ),
    ('@audit', 'GET', None): (C + '/@audit', None, AUDIT),
    ('@download', 'GET', None): (D + '/@download/file', None, VIEW),
    ('@versions', 'GET', None): (D + '/@versions', None, VIEW),
    ('@recipients', 'GET', None): (D + '/@recipients', None, VIEW),
    ('journal-import', 'GET', None): (C + '/journal-import', None, ADD_DOCUMENT),
    ('journal-import', 'POST', None): (
        C + '/journal-import',
        {'data': '', 'filename': 'j.csv'},
        ADD_DOCUMENT,
    ),
    # a dry run with an empty file: past authorisation it is a 400
    ('@journal-import', 'POST', None): (
        C + '/@journal-import',
        {'file': {'filename': 'j.csv', 'data': ''}, 'mapping': {}},
        ADD_DOCUMENT,
    ),
    ('versions', 'GET', None): (D + '/versions', None, VIEW),
    ('login', 'GET', None): ('/login', None, PUBLIC),
    ('login', 'POST', None): ('/login', {'login': 'x', 'password': 'y'}, PUBLIC),
    ('logout', 'POST', None): ('/logout', {}, PUBLIC),
    ('language', 'GET', None): ('/language?lang=en', None, PUBLIC),
    ('@login', 'POST', None): ('/@login', {'login': 'x', 'password': 'y'}, PUBLIC),
    ('@logout', 'POST', None): ('/@logout', {}, PUBLIC),
    ('@openapi.json', 'GET', None): ('/@openapi.json', None, PUBLIC),
    ('password', 'GET', None): ('/password', None, LOGGED_IN),
    ('password', 'POST', None): (
        '/password',
        {'old_password': 'x', 'new_password': 'y'},
        LOGGED_IN,
    ),
    ('@password', 'POST', None): (
        '/@password',
        {'old_password': 'x', 'new_password': 'y'},
        LOGGED_IN,
    ),
    ('@completeness', 'GET', None): (R + '/@completeness', None, VIEW),
    ('@timeline', 'GET', None): (R + '/@timeline', None, VIEW),
    ('timeline', 'GET', None): (R + '/timeline', None, VIEW),
    ('@derive-notifications', 'POST', None): (R + '/@derive-notifications', {}, ADD_DOCUMENT),
    ('derive-notifications', 'POST', None): (R + '/derive-notifications', {}, ADD_DOCUMENT),
    # the dashboard: every logged-in user, showing only the requests they may see
    ('@dashboard', 'GET', None): ('/@dashboard', None, LOGGED_IN),
    ('dashboard', 'GET', None): ('/dashboard', None, LOGGED_IN),
    ('dashboard.csv', 'GET', None): ('/dashboard.csv', None, LOGGED_IN),
    # the advisor's deadlines: every logged-in user, filtered like search
    ('deadlines', 'GET', None): ('/deadlines', None, LOGGED_IN),
    ('@deadlines', 'GET', None): ('/@deadlines', None, LOGGED_IN),
    ('@deadlines.ics', 'GET', None): ('/@deadlines.ics', None, LOGGED_IN),
    ('@deadlines-feed', 'POST', None): ('/@deadlines-feed', {}, LOGGED_IN),
    ('deadlines-feed', 'POST', None): ('/deadlines-feed', {}, LOGGED_IN),
    ('delay-notice', 'POST', None): (C + '/delay-notice', {}, EDIT),
    ('@delay-notice', 'POST', None): (C + '/@delay-notice', {}, EDIT),
    ('@choices', 'GET', None): ('/@choices', None, LOGGED_IN),
    ('@choices', 'POST', None): ('/@choices', {}, {ADMIN}),
    ('choices', 'GET', None): ('/choices', None, {ADMIN}),
    ('choices', 'POST', None): ('/choices', {}, {ADMIN}),
    # issued documents: issuing needs `issue` (advisor, jurist, admin); reading is viewing
    ('letters', 'GET', None): (R + '/letters', None, VIEW),
    ('@letters', 'GET', None): (R + '/@letters', None, VIEW),
    ('@issue', 'POST', None): (R + '/@issue', {'template': 'rectification_receipt'}, ISSUE),
    ('issue', 'POST', None): (R + '/issue', {'template': 'rectification_receipt'}, ISSUE),
    # no notification yet: past authorisation it is a 400
    ('@issue-notices', 'POST', None): (R + '/@issue-notices', {}, ISSUE_NOTICES),
    ('issue-notices', 'POST', None): (R + '/issue-notices', {}, ISSUE_NOTICES),
    ('@pdf', 'GET', None): (L + '/@pdf', None, VIEW),
    # anyone may ask whether a file is genuine
    ('@verify', 'POST', None): ('/@verify', {'data': ''}, PUBLIC),
    ('verify', 'GET', None): ('/verify', None, PUBLIC),
    ('verify', 'POST', None): ('/verify', {}, PUBLIC),
    # the annual report: readable by every logged-in user (numbers, no personal data)
    ('@figure', 'GET', None): (REP + '/@figure/1', None, LOGGED_IN),
    ('@statistics', 'GET', None): (REP + '/@statistics', None, LOGGED_IN),
    ('statistics.csv', 'GET', None): (REP + '/statistics.csv', None, LOGGED_IN),
    ('statistics.xlsx', 'GET', None): (REP + '/statistics.xlsx', None, LOGGED_IN),
    ('@report-history', 'GET', None): ('/@report-history', None, LOGGED_IN),
    ('@report-history', 'POST', None): ('/@report-history', {}, {ADMIN}),
    ('report-history', 'GET', None): ('/report-history', None, {ADMIN}),
    ('report-history', 'POST', None): ('/report-history', {}, {ADMIN}),
    ('admin', 'GET', None): ('/admin', None, AUDIT),
}


def registered_views(registry):
    """(name, method, accept) of every view a URL can reach."""
    found = set()
    for item in registry.introspector.get_category('views'):
        view = item['introspectable']
        if view['exception_only'] or view['context'] is None:
            continue
        if not getattr(view['context'], '__module__', '').startswith('tracker.model'):
            continue
        methods = view['request_methods'] or ('GET',)
        methods = (methods,) if isinstance(methods, str) else methods
        accept = view['accept']
        for method in methods:
            key = (view['name'], method, accept if view['name'] == '' and method == 'GET' else None)
            found.add(key)
    return found


def test_every_registered_view_is_in_the_matrix(wsgi_app):
    views = registered_views(wsgi_app.registry)
    assert views, 'no views found: the introspection is broken'
    missing = views - set(MATRIX)
    assert not missing, f'views without an entry in the permission matrix: {sorted(missing)}'
    stale = set(MATRIX) - views
    assert not stale, f'matrix entries for views that do not exist: {sorted(stale)}'


@pytest.fixture
def prepared(wsgi_app):
    testapp = TestApp(wsgi_app)
    advisor = api_login(testapp, ADVISOR)
    advisor.post('/sager', dict(CASE, received='2026-11-02'))
    advisor.post(C + '/@sharing', {'login': CW_SHARED, 'roles': ['caseworker']}, status=200)
    advisor.post(
        C,
        {
            '@type': 'document',
            'title': 'Notat',
            'document_date': '2026-11-02',
            'direction': 'internal',
            'file': {'filename': 'notat.txt', 'data': 'Tm90YXQ='},
        },
    )
    advisor.post(
        C,
        {
            '@type': 'rectification',
            'title': 'Forkert oplysning',
            'received': '2026-11-02',
            'channel': 'letter',
            'requester': 'citizen',
            'data_subject': 'Borger',
        },
    )
    advisor.post(R + '/@issue', {'template': 'rectification_receipt'})
    advisor.post(
        '/rapporter',
        {
            '@type': 'report',
            'title': 'Året',
            'period_from': '2026-01-01',
            'period_to': '2026-12-31',
        },
    )
    return testapp


def call(testapp, token, key, url, body):
    headers = {'Authorization': f'Bearer {token}'} if token else {}  # bearer: no CSRF needed
    name, method, accept = key
    json_api = (
        name.startswith('@') or (name == '' and method != 'GET') or accept == 'application/json'
    )
    headers['Accept'] = accept or ('application/json' if json_api else 'text/html')
    if method == 'GET':
        return testapp.get(url, headers=headers, status='*')
    if json_api:
        return testapp.request(
            url,
            method=method,
            headers=headers,
            status='*',
            body=b'' if body is None else __import__('json').dumps(body).encode(),
            content_type='application/json',
        )
    return testapp.post(url, body or {}, headers=headers, status='*')


def forbidden(response):
    # every URL in the matrix exists, so a 404 means "hidden from you"
    if response.status_int in (401, 403, 404):
        return True
    return response.status_int in (302, 303) and '/login' in response.headers.get('Location', '')


@pytest.mark.parametrize('who', ROLES, ids=lambda r: r or 'anonymous')
def test_each_role_gets_exactly_what_the_matrix_says(prepared, who):
    wrong = []
    token = (
        who and prepared.post_json('/@login', {'login': who, 'password': PASSWORD}).json['token']
    )
    for key, (url, body, allowed) in MATRIX.items():
        if key in (('logout', 'POST', None), ('@logout', 'POST', None)):
            continue  # below, last: they end the token
        response = call(prepared, token, key, url, body)
        assert response.status_int < 500, (key, response.status, response.text[:300])
        # open endpoints answer a bad login with 401 and a logout with the
        # login page: for them only a 403 would mean "forbidden"
        refused = response.status_int == 403 if allowed is PUBLIC else forbidden(response)
        if refused == (who in allowed):
            wrong.append(
                (
                    key,
                    response.status,
                    'should be ' + ('allowed' if who in allowed else 'forbidden'),
                )
            )
    for key in (('@logout', 'POST', None), ('logout', 'POST', None)):
        url, body, allowed = MATRIX[key]
        assert call(prepared, token, key, url, body).status_int != 403
    assert not wrong, wrong


def test_the_one_walk_of_granted_permissions_agrees_with_pyramids_acl_helper(prepared, wsgi_app):
    """The security policy answers from `granted` (all permissions in one
    walk); Pyramid's ACLHelper (`permits`) is the reference."""
    from tracker.bootstrap import get_site
    from tracker.catalog.indexing import resolve_path
    from tracker.security.permissions import granted, permits

    types = wsgi_app.registry.tracker_types
    every = set(types.role_permissions(types.roles)) | set(types.write_permissions) | {'never'}
    with db_of(wsgi_app).transaction() as conn:
        site = get_site(conn)
        objects = [resolve_path(site, p) for p in ('/', '/sager', C, D, R, L, REP, '/modtagere')]
        for login in (ADMIN, ADVISOR, JURIST, AUDITOR, CW_SHARED, CW):
            user = site.users[login]
            for obj in objects:
                assert granted(types, user, obj) == {
                    p for p in every if permits(types, user, obj, p)
                }, (login, obj.__name__)


def test_search_shows_each_role_exactly_the_objects_it_may_view(prepared, wsgi_app):
    """Search filters by the `allowed` index (skipped for users whose global
    role views everything): the result must be what the ACLs say."""
    from tracker.bootstrap import get_site
    from tracker.catalog import search
    from tracker.catalog.indexing import resolve_path
    from tracker.security.permissions import permits, user_principals

    types = wsgi_app.registry.tracker_types
    with db_of(wsgi_app).transaction() as conn:
        site = get_site(conn)
        everything = [resolve_path(site, site.docmap.path(d)) for d in site.docmap.docid_to_path]
        for login in (ADMIN, ADVISOR, JURIST, AUDITOR, CW_SHARED, CW):
            user = site.users[login]
            _total, found = search(
                site, types, {}, size=10**6, principals=user_principals(types, user)
            )
            expected = {o.docid for o in everything if permits(types, user, o, 'view')}
            assert {o.docid for o in found} == expected, login
