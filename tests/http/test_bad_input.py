"""Careless and hostile input: a clear 4xx naming the problem, never a 500,
and nothing changed."""

import pytest
from webtest import TestApp

from tests.conftest import add_user, api_login, csrf_of, login_browser, make_app


def test_a_folder_cannot_take_a_future_case_number(testapp, new_case):
    admin = api_login(testapp, 'admin')
    folder = admin.post('/sager', {'@type': 'folder', 'title': '2-2026'}).json
    assert folder['id'] != '2-2026'
    advisor = api_login(testapp, 'rita')
    assert advisor.post('/sager', new_case).json['number'] == '1/2026'
    assert advisor.post('/sager', new_case).json['number'] == '2/2026'


def test_received_date_keeps_the_year_of_the_case_number(api, new_case):
    url = api.post('/sager', new_case).json['@id']
    errors = api.patch(url, {'received': '2025-12-31'}, status=400).json['error']['errors']
    assert errors[0]['field'] == 'received' and '1/2026' in errors[0]['message']
    assert api.patch(url, {'received': '2026-01-05'}).json['received'] == '2026-01-05'


@pytest.mark.parametrize(
    'changes, field',
    [
        ({'received': '2999-01-01'}, 'received'),  # in the future
        ({'received': '2026-11-02T10:00:00+01:00'}, 'received'),  # not a plain date
        ({'resolved': '2026-10-01'}, 'resolved'),  # before it was received
        ({'centres': {'cbf': 1}}, 'centres'),  # not a list
        ({'centres': 'cbf'}, 'centres'),
    ],
)
def test_implausible_case_values_are_refused(api, new_case, changes, field):
    response = api.post('/sager', dict(new_case, **changes), status=400).json
    assert [e['field'] for e in response['error']['errors']] == [field]


def test_only_an_admin_renames_a_section(testapp):
    api_login(testapp, 'jens').patch('/sager', {'title': 'Hacked'}, status=403)
    api_login(testapp, 'rita').patch('/sager', {'title': 'Hacked'}, status=403)
    assert (
        api_login(testapp, 'admin').patch('/sager', {'title': 'Sager 2026'}).json['title']
        == 'Sager 2026'
    )


def test_odd_values_are_400_not_500(api, testapp, new_case):
    url = api.post('/sager', new_case).json['@id']
    api.post(url + '/@workflow/investigate', {'comment': 5}, status=400)
    api.post(url + '/@workflow/investigate', {'comment': ['a']}, status=400)
    testapp.post_json('/@login', {'login': 5, 'password': 'x'}, status=401)
    testapp.post_json('/@login', {'login': ['a'], 'password': {'b': 1}}, status=401)
    for query in (
        {'created': '2024'},
        {'sequence': '1'},
        {'created.min': '2024-01-01'},
        {'centres.min': 'a'},
        {'allowed': 'role:admin'},
        {'received': 'igår'},
        {'sort_on': 'allowed'},
        {'sort_on': 'nothing'},
    ):
        response = api.get('/@search', status=400, **query).json
        assert response['error']['errors'], query
    assert api.get('/sager', b_start='100000000000000000000').json['items'] == []
    api.post('/sager', dict(new_case, **{'@type': ['case']}), status=400)
    admin = api_login(testapp, 'admin')
    admin.get('/@audit', status=400, **{'from': '9999-12-31T23:59:59-23:59'})
    admin.get('/@audit', status=400, **{'from': '0001-01-01T00:00:00+14:00'})
    api.get('/sager', b_start='x', status=400)


def test_sorting_past_the_oldest_possible_date_works(api, new_case):
    for n in range(25):
        api.post('/sager', dict(new_case, next_contact='0001-01-01' if n == 0 else '2026-12-01'))
    page = api.get('/sager', sort_on='next_contact', sort_order='descending', b_size=30).json
    assert page['items_total'] == 25 and page['items'][-1]['number'] == '1/2026'


def test_broken_form_post_is_a_400(browser):
    token = csrf_of(browser.get('/sager/add?type=case'))
    response = browser.post(
        '/sager/add?type=case',
        [('csrf_token', token), ('__start__', 'x:mapping'), ('title', 'y'), ('save', 'save')],
        status=400,
    )
    assert 'Traceback' not in response.text


@pytest.mark.parametrize(
    'path, fields',
    [
        ('/login', {'login': 'rita', 'password': 'x'}),
        ('/logout', {}),
        ('/sager/1-2026/edit', {'title': 'x', 'save': 'save'}),
        ('/sager/1-2026/workflow', {'transition': 'investigate'}),
        ('/sager/1-2026/sharing', {'login': 'cw', 'role': 'caseworker'}),
    ],
)
def test_every_unsafe_form_needs_the_csrf_token(browser, api, new_case, path, fields):
    api.post('/sager', new_case)
    browser.post(path, dict(fields, csrf_token='forged'), status=400)
    browser.post(path, fields, status=400)
    case = api.get('/sager/1-2026').json
    assert case['title'] == new_case['title'] and case['review_state'] == 'open'
    assert api.get('/sager/1-2026/@sharing').json['entries'] == []
    browser.get('/sager', status=200)  # and the session is still there


def test_readers_without_view_protected_do_not_see_personal_data(schemas_copy, new_case):
    roles = schemas_copy / 'roles.yaml'
    roles.write_text(
        roles.read_text().replace(
            'permissions: [view, view_protected, audit]', 'permissions: [view, audit]'
        )
    )
    app = make_app(**{'tracker.schemas': str(schemas_copy)})
    add_user(app, 'rita', ['advisor'])
    add_user(app, 'aud', ['auditor'])
    testapp = TestApp(app)
    url = (
        api_login(testapp, 'rita')
        .post('/sager', dict(new_case, citizen_reference='Mette Lind Sørensen'))
        .json['@id']
    )
    data = api_login(testapp, 'aud').get(url).json
    assert 'citizen_reference' not in data and data['title'] == new_case['title']
    page = login_browser(TestApp(app), 'aud').get(url)
    assert 'Mette' not in page.text
