"""Local roles: a caseworker sees only the cases shared with them — not by
URL, not in listings, not in search — until an advisor shares one."""

from tests.conftest import api_login, login_browser


def two_cases(api, new_case):
    shared = api.post('/sager', dict(new_case, title='Sag om hjemmehjælp')).json['@id']
    secret = api.post('/sager', dict(new_case, title='Sag om anbringelse')).json['@id']
    return shared, secret


def test_caseworker_sees_nothing_until_shared(testapp, api, new_case):
    shared, secret = two_cases(api, new_case)
    cw = api_login(testapp, 'cw')
    assert cw.get('/sager').json['items_total'] == 0
    # not even its existence: the same 404 as a case that does not exist
    assert cw.get(shared, status=404).json == cw.get('/sager/99-2026', status=404).json
    for view in ('/@workflow', '/@history', '/@sharing', '/@audit', '/history', '/edit'):
        cw.get(shared + view, status=404)
    assert cw.get('/@search', q='hjemmehjælp').json['items_total'] == 0
    assert cw.get('/@search', q='Sag').json['items_total'] == 0

    sharing = api.post(
        shared + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200
    ).json
    assert sharing['entries'] == [{'login': 'cw', 'roles': ['caseworker']}]

    assert cw.get(shared).json['title'] == 'Sag om hjemmehjælp'
    listing = cw.get('/sager').json
    assert listing['items_total'] == 1 and listing['items'][0]['@id'] == shared
    found = cw.get('/@search', q='Sag').json
    assert [i['@id'] for i in found['items']] == [shared]  # the other case stays unknown
    cw.get(secret, status=404)
    # another caseworker still sees nothing
    assert api_login(testapp, 'cw2').get('/@search', q='Sag').json['items_total'] == 0


def test_shared_caseworker_may_edit_but_not_transition_or_share(testapp, api, new_case):
    shared, _ = two_cases(api, new_case)
    api.post(shared + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    cw = api_login(testapp, 'cw')
    assert cw.patch(shared, {'next_step': 'Centret svarer'}).json['next_step'] == 'Centret svarer'
    cw.post(shared + '/@workflow/investigate', status=403)
    cw.post(shared + '/@sharing', {'login': 'cw2', 'roles': ['caseworker']}, status=403)
    cw.post('/sager', new_case, status=403)


def test_revoking_hides_the_case_again(testapp, api, new_case):
    shared, _ = two_cases(api, new_case)
    api.post(shared + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    api.post(shared + '/@sharing', {'login': 'cw', 'roles': []}, status=200)
    cw = api_login(testapp, 'cw')
    cw.get(shared, status=404)
    assert cw.get('/@search', q='hjemmehjælp').json['items_total'] == 0


def test_sharing_rejects_unknown_users_and_global_roles(api, new_case):
    shared, _ = two_cases(api, new_case)
    errors = api.post(
        shared + '/@sharing', {'login': 'nobody', 'roles': ['caseworker']}, status=400
    ).json['error']['errors']
    assert errors[0]['field'] == 'login'
    errors = api.post(shared + '/@sharing', {'login': 'cw', 'roles': ['admin']}, status=400).json[
        'error'
    ]['errors']
    assert errors[0]['field'] == 'roles'
    assert api.get(shared + '/@sharing').json['entries'] == []


def test_sharing_a_folder_shares_what_is_inside(testapp, api, new_case):
    shared, secret = two_cases(api, new_case)
    api.post('/sager/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    cw = api_login(testapp, 'cw')
    assert cw.get('/sager').json['items_total'] == 2
    assert cw.get(secret).json['title'] == 'Sag om anbringelse'


def test_sharing_tab_in_the_browser(wsgi_app, api, new_case):
    from webtest import TestApp

    shared, _ = two_cases(api, new_case)
    browser = login_browser(TestApp(wsgi_app), 'rita')
    page = browser.get(shared + '/sharing')
    assert 'Ikke delt med nogen' in page.text
    form = page.forms['share-form']
    form['login'] = 'cw'
    form['role'] = 'caseworker'
    page = form.submit(status=303).follow()
    assert 'Sagsbehandler' in page.text and 'cw' in page.text
    # without the CSRF token nothing changes
    browser.post(
        shared + '/sharing',
        {'login': 'cw2', 'role': 'caseworker', 'csrf_token': 'forged'},
        status=400,
    )
    assert [e['login'] for e in api.get(shared + '/@sharing').json['entries']] == ['cw']


def test_a_closed_case_is_read_only_even_for_those_it_is_shared_with(testapp, api, new_case):
    url = api.post('/sager', dict(new_case, resolved='2026-11-20')).json['@id']
    api.post(url + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    api.post(url + '/@workflow/close', status=200)
    cw = api_login(testapp, 'cw')
    assert cw.get(url).json['review_state'] == 'closed'
    cw.patch(url, {'next_step': 'x'}, status=403)
    api.patch(url, {'next_step': 'x'}, status=403)


def test_the_acls_are_data_computed_from_roles_and_state(wsgi_app, api, new_case):
    from pyramid.authorization import Allow, Deny, Everyone

    from tests.conftest import db_of
    from tracker.bootstrap import get_site
    from tracker.security.permissions import acl_for

    url = api.post('/sager', dict(new_case, resolved='2026-11-20')).json['@id']
    api.post(url + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    api.post(url + '/@workflow/close', status=200)
    types = wsgi_app.registry.tracker_types
    with db_of(wsgi_app).transaction() as conn:
        site = get_site(conn)
        case = site['sager'][url.rsplit('/', 1)[1]]
        acl = acl_for(types, case)
        assert acl[0] == (Deny, Everyone, 'add_advisor_work')  # read-only first: it wins
        assert (
            Allow,
            'user:cw',
            [
                'add_disclosure',
                'add_document',
                'add_rectification',
                'edit',
                'view',
                'view_protected',
            ],
        ) in acl
        root_acl = acl_for(types, site)
        assert (Allow, 'role:auditor', ['audit', 'view', 'view_protected']) in root_acl
        assert not any(ace[1] == 'role:caseworker' for ace in root_acl)  # local only
