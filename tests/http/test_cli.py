"""The `tracker` command as an operator uses it: init prints the admin
login, never waits for input without a terminal, adds users, searches, and
loads the demo data through the services."""

import os
import stat

import pytest
from webtest import TestApp

from tests.conftest import api_login, run_cli, write_ini


@pytest.fixture
def ini(tmp_path):
    return write_ini(tmp_path)


def tracker(ini, *args):
    return run_cli(ini, *args)


def app_for(ini):
    from pyramid.paster import get_app

    return get_app(str(ini))


def test_init_prints_a_generated_admin_password_that_works(ini, tmp_path):
    result = tracker(ini, 'init')
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(': ', 1) for line in result.stdout.splitlines() if ': ' in line)
    assert lines['Admin login'] == 'admin'
    password = lines['Admin password']
    assert len(password) >= 12
    secret = tmp_path / 'var' / 'secret'
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    testapp = TestApp(app_for(ini))
    api = api_login(testapp, 'admin', password)
    assert api.get('/sager').json['title'] == 'Sager'
    testapp.post_json('/@login', {'login': 'admin', 'password': 'admin'}, status=401)


def test_init_twice_keeps_the_first_admin(ini):
    assert tracker(ini, 'init').returncode == 0
    second = tracker(ini, 'init')
    assert second.returncode == 0
    assert 'Admin password' not in second.stdout


def test_init_with_password_file_prints_no_password(ini, tmp_path):
    secret = tmp_path / 'pw'
    secret.write_text('a long operator passphrase\n')
    result = tracker(ini, 'init', '--admin-password-file', str(secret))
    assert result.returncode == 0, result.stderr
    assert 'a long operator passphrase' not in result.stdout
    api_login(TestApp(app_for(ini)), 'admin', 'a long operator passphrase')


def test_user_add_without_terminal_or_file_fails_clearly(ini):
    tracker(ini, 'init')
    result = tracker(ini, 'user', 'add', 'rita', '--role', 'advisor')
    assert result.returncode == 2
    assert '--password-file' in result.stderr


def test_user_add_with_password_file(ini, tmp_path):
    tracker(ini, 'init')
    pw = tmp_path / 'rita-pw'
    pw.write_text('she has a long passphrase')
    result = tracker(ini, 'user', 'add', 'rita', '--role', 'advisor', '--password-file', str(pw))
    assert result.returncode == 0, result.stderr
    api = api_login(TestApp(app_for(ini)), 'rita', 'she has a long passphrase')
    assert api.get('/sager').status_int == 200


def test_user_add_rejects_bad_input_and_adds_nothing(ini, tmp_path):
    tracker(ini, 'init')
    pw = tmp_path / 'short'
    pw.write_text('short')
    result = tracker(ini, 'user', 'add', 'rita', '--role', 'wizard', '--password-file', str(pw))
    assert result.returncode == 2
    assert 'Brugeren kan ikke oprettes' in result.stderr
    assert 'roles' in result.stderr and 'password' in result.stderr
    testapp = TestApp(app_for(ini))
    testapp.post_json('/@login', {'login': 'rita', 'password': 'short'}, status=401)


def test_demo_data_and_search(ini):
    result = tracker(ini, 'init', '--demo')
    assert result.returncode == 0, result.stderr
    assert 'Demo data: 24 cases loaded.' in result.stdout
    found = tracker(ini, 'search', '--type', 'case')
    assert found.returncode == 0, found.stderr
    assert '24 found' in found.stdout
    assert found.stdout.splitlines()[0].startswith('29/2024')
    by_text = tracker(ini, 'search', 'Jobcenter')
    assert '4 found' in by_text.stdout, by_text.stdout
    closed = tracker(ini, 'search', '--state', 'closed')
    # cases helped within a month are closed; the three 'longer' ones
    # (17, 22, 27/2024) are still being worked on
    assert '21 found' in closed.stdout, closed.stdout
    assert '17/2024' not in closed.stdout
    # the Udtalelse 2 case holds its four documents; the assessment in two versions
    docs = tracker(ini, 'search', '--type', 'document')
    assert '4 found' in docs.stdout, docs.stdout
    # a request is called by its type's label ("BR-2024-0001"), as on its page
    requests = tracker(ini, 'search', '--type', 'rectification')
    assert requests.stdout.splitlines()[0].startswith('BR-2024-0001\t'), requests.stdout
    password = [
        line.split(': ', 1)[1]
        for line in result.stdout.splitlines()
        if line.startswith('Admin password')
    ][0]
    app = app_for(ini)
    api = api_login(TestApp(app), 'admin', password)
    items = api.get('/sager/22-2024').json['items']
    assessment = [
        i
        for i in items
        if i['@type'] == 'document' and i['title'].startswith('Børnefaglig undersøgelse')
    ][0]
    versions = api.get(assessment['@id'] + '/@versions').json['items']
    assert [v['version'] for v in versions] == [2, 1]
    assert 'art. 16' in versions[0]['reason']
    # the rectification of Udtalelse 2: derived recipients, evidence and a gap
    request = [i for i in items if i['@type'] == 'rectification'][0]
    assert request['number'] == 'BR-2024-0001'
    assert versions[0]['caused_by'] == request['@id'].replace('http://localhost', '')
    report = api.get(request['@id'] + '/@completeness').json
    rows = {r['name']: r for r in report['recipients']}
    assert len(rows) == 6 and all(r['origin'] == 'derived' for r in rows.values())
    assert rows['Familieretshuset']['notification']['acknowledged_evidence'] is True
    assert [g['subject'] for g in report['gaps']] == ['Københavns Vestegns Politi']
    assert api.get(request['@id']).json['review_state'] == 'notifying'
    board = api.get('/@dashboard').json
    assert board['items'][0]['@id'] == request['@id'] and board['counts']['with_gaps'] == 1
    assert [n['title'] for n in board['unacknowledged']['items']] == [
        'Børne- og Ungdomspsykiatrisk Center'
    ]
    # the report's two statements, each after written questions, with recommendations followed up
    statements = api.get('/@search', type_name='statement').json['items']
    assert sorted(s['title'] for s in statements) == [
        'Dagtilbud/specialskoletilbud',
        'Persondata, sagsbehandlingsfejl og kommunikation i anbringelsessag',
    ]
    assert all(api.get(s['@id']).json['centre'] == 'cbf' for s in statements)
    assert api.get('/@search', type_name='question').json['items_total'] == 2
    followups = api.get('/@deadlines', kind='recommendation').json['items']
    assert len(followups) == 5 and all(f['overdue'] for f in followups)
