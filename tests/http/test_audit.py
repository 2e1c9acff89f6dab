"""The audit trail a jurist or Datatilsynet relies on: every login, change,
sharing and view of personal data leaves an entry; entries hold no personal
data; tampering, deleting or reordering is found by `tracker audit verify`."""

import json

import pytest
from webtest import TestApp

from tests.conftest import PASSWORD, api_login, close_app, login_browser, run_cli, write_ini


def actions(api, path='', **params):
    return [
        (e['action'], e['actor'], e['target'])
        for e in reversed(api.get(path + '/@audit', **params).json['items'])
    ]


def test_changes_logins_and_views_of_personal_data_are_recorded(testapp, new_case):
    advisor = api_login(testapp, 'rita')
    url = advisor.post('/sager', dict(new_case, citizen_reference='Mette Lind Sørensen')).json[
        '@id'
    ]
    path = url.replace('http://localhost', '')
    advisor.patch(url, {'next_step': 'Vi ringer'})
    advisor.post(url + '/@workflow/investigate', {'comment': 'Mette ringede'}, status=200)
    advisor.post(url + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    advisor.get(url)
    testapp.post_json('/@login', {'login': 'rita', 'password': 'wrong'}, status=401)
    auditor = api_login(testapp, 'aud')
    trail = actions(auditor, path)
    # the API's answers to POST, PATCH and the transition (its history
    # comments) show personal data too: each is a recorded view
    assert [a for a, _, _ in trail] == [
        'add',
        'view_protected',
        'edit',
        'view_protected',
        'transition',
        'view_protected',
        'share',
        'view_protected',
    ]
    assert {actor for _, actor, _ in trail} == {'rita'}
    edit = [e for e in auditor.get(path + '/@audit').json['items'] if e['action'] == 'edit'][0]
    assert edit['details']['fields'] == ['next_step']
    views = [
        e for e in auditor.get(path + '/@audit').json['items'] if e['action'] == 'view_protected'
    ]
    assert views[-1]['details']['fields'] == ['citizen_reference']  # the add's answer
    assert views[0]['details']['fields'] == ['citizen_reference', 'next_step']  # the last read
    whole = auditor.get('/@audit', action='login_failed').json['items']
    assert whole and whole[0]['details']['login'] == 'rita'
    assert auditor.get('/@audit', actor='aud', action='login').json['items_total'] == 1
    # no personal data in any entry
    everything = json.dumps(auditor.get('/@audit', b_size=200).json)
    assert 'Mette' not in everything and 'Vi ringer' not in everything


def test_only_auditors_and_admins_read_the_trail(testapp, browser, new_case):
    advisor = api_login(testapp, 'rita')
    url = advisor.post('/sager', new_case).json['@id']
    advisor.get(url + '/@audit', status=403)
    browser.get('/audit', status=403)
    auditor = login_browser(TestApp(testapp.app), 'aud')
    page = auditor.get(url + '/audit')
    assert 'Revisionsspor' in page.text and 'add' in page.text
    assert 'rita' in auditor.get('/audit', params={'actor': 'rita'}).text
    api_login(testapp, 'admin').get('/@audit', status=200)


def test_an_entry_lives_and_dies_with_its_change(wsgi_app, testapp, new_case):
    """The entry is written in the change's own transaction: a change that is
    rolled back (here: aborted after the services added the case) leaves no
    entry, and a committed one always has its entry."""
    import transaction as txn

    from tests.conftest import db_of, system_services

    body = {k: v for k, v in new_case.items() if k != '@type'}
    tm = txn.TransactionManager()
    conn = db_of(wsgi_app).open(transaction_manager=tm)
    try:
        tm.begin()
        services = system_services(conn, wsgi_app, 'rita')
        services.add(conn.root()['tracker']['sager'], 'case', body)
        tm.abort()
        tm.begin()
        services = system_services(conn, wsgi_app, 'jens')
        services.add(conn.root()['tracker']['sager'], 'case', body)
        tm.commit()
    finally:
        conn.close()
    auditor = api_login(testapp, 'aud')
    assert auditor.get('/@audit', action='add', actor='rita').json['items_total'] == 0
    assert auditor.get('/@audit', action='add', actor='jens').json['items_total'] == 1


@pytest.fixture
def deployed(tmp_path, new_case):
    """A file-backed site with some history, and a way to run the CLI on it."""
    var = tmp_path / 'var'
    ini = write_ini(tmp_path)
    pw = tmp_path / 'pw'
    pw.write_text(PASSWORD)

    def cli(*args):
        return run_cli(ini, *args)

    assert cli('init', '--admin-password-file', str(pw)).returncode == 0
    from pyramid.paster import get_app

    app = get_app(str(ini))
    api = api_login(TestApp(app), 'admin', PASSWORD)
    for n in range(3):
        url = api.post('/sager', dict(new_case, citizen_reference=f'Borger {n}')).json['@id']
        api.patch(url, {'next_step': f'Skridt {n}'})
    close_app(app)
    return var, cli


def tamper(var, change):
    from tracker.audit import get_log
    from tracker.storage import open_db

    db = open_db(f'file://{var}/Audit.fs')
    try:
        with db.transaction() as conn:
            change(get_log(conn))
    finally:
        db.close()


def forged(entry, **changes):
    import hashlib
    import hmac

    from tracker.audit import AuditEntry

    data = dict(entry.to_dict(), **changes)
    data['mac'] = ''
    fake = AuditEntry.from_dict(data)
    mac = hmac.new(b'the attacker has no key', fake.canonical_bytes(), hashlib.sha256).hexdigest()
    return AuditEntry.from_dict(dict(data, mac=mac))


def test_verify_passes_on_an_intact_log(deployed):
    var, cli = deployed
    result = cli('audit', 'verify')
    assert result.returncode == 0, result.stderr
    assert 'intact' in result.stdout


@pytest.mark.parametrize('attack, bad_seq', [('tamper', 4), ('delete', 4), ('reorder', 3)])
def test_verify_finds_tampering_deletion_and_reordering(deployed, attack, bad_seq):
    var, cli = deployed

    def change(log):
        entries = log._entries
        if attack == 'tamper':
            entries[4] = forged(entries[4], actor='someone-else')
        elif attack == 'delete':
            del entries[4]
        else:
            entries[3], entries[5] = entries[5], entries[3]

    tamper(var, change)
    result = cli('audit', 'verify')
    assert result.returncode == 1
    assert f'entry {bad_seq}' in result.stderr, result.stderr


def test_export_writes_the_period_and_is_itself_recorded(deployed, tmp_path):
    var, cli = deployed
    out = tmp_path / 'audit.json'
    result = cli('audit', 'export', '--format', 'json', '--output', str(out))
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    assert [r['action'] for r in rows].count('add') >= 3
    assert 'Borger' not in out.read_text()
    csv = cli('audit', 'export', '--from', '2000-01-01', '--to', '2000-01-02').stdout
    assert csv.splitlines()[0].startswith('seq,time,actor,action')
    assert len(csv.splitlines()) == 1  # nothing in that period
    after = cli('audit', 'verify')
    assert after.returncode == 0
    from tracker.audit import get_log
    from tracker.storage import open_db

    db = open_db(f'file://{var}/Audit.fs')
    try:
        with db.transaction() as conn:
            assert [e.action for e in get_log(conn).entries()][-2:] == ['export', 'export']
    finally:
        db.close()


def test_looking_a_person_up_is_recorded_without_the_value(testapp, new_case):
    advisor = api_login(testapp, 'rita')
    advisor.post('/sager', dict(new_case, citizen_cpr='140585-1234'))
    # POST keeps the CPR number out of the URL (and proxy logs)
    found = advisor.post('/@search', {'citizen_cpr': '1405851234'}, status=200).json
    assert found['items_total'] == 1
    advisor.get('/@search', q='partshøring')
    advisor.get('/@search', kind='complaint')  # no person in it: not recorded
    entries = api_login(testapp, 'aud').get('/@audit', action='search').json['items']
    assert [
        (e['details']['fields'], e['details']['text'], e['details']['hits'])
        for e in reversed(entries)
    ] == [(['citizen_cpr'], False, 1), ([], True, 1)]
    assert '1405851234' not in json.dumps(entries) and '140585' not in json.dumps(entries)
