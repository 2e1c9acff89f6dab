"""Personal data at rest: protected fields are sealed in the database (not a
byte of them in Data.fs), CPR numbers are searchable only by their keyed
hash, a wrong key file stops start-up, and keys rotate without loss."""

import os

import pytest
from webtest import TestApp

from tests.conftest import add_user, api_login, close_app, db_of, make_app, run_cli, write_ini
from tracker.crypto import KeyRing, KeyRingError

SECRETS = {
    'citizen_reference': 'Mette Lind Sørensen',
    'citizen_cpr': '140585-1234',
    'summary': 'Moderen er dømt for vold mod Emil, står der fejlagtigt.',
}


@pytest.fixture
def keyring(tmp_path):
    path = tmp_path / 'keys' / 'keyring.json'
    path.parent.mkdir()
    KeyRing.create(path)
    return path


def file_app(tmp_path, keyring, users=True):
    app = make_app(
        **{'zodbconn.uri': f'file://{tmp_path}/Data.fs', 'tracker.keyring_file': str(keyring)}
    )
    if users:
        add_user(app, 'rita', ['advisor'])
    return app


def test_data_fs_holds_no_protected_value_in_clear(tmp_path, keyring, new_case):
    app = file_app(tmp_path, keyring)
    api = api_login(TestApp(app), 'rita')
    url = api.post('/sager', dict(new_case, **SECRETS)).json['@id']
    api.patch(
        url,
        {
            'summary': 'Ny note: borgeren har fremsendt dom fra byretten.',
            'next_step': 'Ring til Mette om dommen',
        },
    )
    api.post(url + '/@workflow/investigate', {'comment': 'Mette ringede om Emil'}, status=200)
    import pyotp

    from tests.conftest import system_services

    totp_secret = pyotp.random_base32()
    with db_of(app).transaction() as conn:
        system_services(conn, app, 'admin').accounts.enrol_totp('rita', totp_secret)
    close_app(app)
    raw = (tmp_path / 'Data.fs').read_bytes()
    for value in list(SECRETS.values()) + [
        'Ny note: borgeren',
        '1405851234',
        'Lind Sørensen',
        'Ring til Mette',
        'Mette ringede',
        totp_secret,
    ]:
        for encoded in (value.encode('utf-8'), value.encode('latin-1', 'ignore')):
            assert encoded not in raw, f'{value!r} is in Data.fs in clear'
    assert new_case['title'].encode('utf-8') in raw  # the check itself can see clear text
    # and after a restart the advisor reads them back
    again = file_app(tmp_path, keyring, users=False)
    add_user(again, 'reader', ['advisor'])
    data = api_login(TestApp(again), 'reader').get(url).json
    assert data['citizen_reference'] == SECRETS['citizen_reference']
    assert data['summary'].startswith('Ny note')
    history = api_login(TestApp(again), 'reader').get(url + '/@history').json
    assert history[0]['comments'] == 'Mette ringede om Emil'
    close_app(again)


def test_cpr_is_validated_normalised_and_found_only_by_exact_search(api, new_case):
    url = api.post('/sager', dict(new_case, citizen_cpr='1405851234')).json['@id']
    assert api.get(url).json['citizen_cpr'] == '140585-1234'
    # a number issued after 2007 may fail the modulus-11 check: accepted
    api.post('/sager', dict(new_case, citizen_cpr='010190-1235'))
    for bad in ('310285-1234', '14058512', 'abcdef-1234'):
        errors = api.post('/sager', dict(new_case, citizen_cpr=bad), status=400).json
        assert [e['field'] for e in errors['error']['errors']] == ['citizen_cpr']
    assert [i['@id'] for i in api.get('/@search', citizen_cpr='140585-1234').json['items']] == [url]
    assert api.get('/@search', citizen_cpr='1405851234').json['items_total'] == 1
    assert api.get('/@search', citizen_cpr='140585-1235').json['items_total'] == 0
    assert api.get('/@search', q='140585').json['items_total'] == 0
    api.get('/@search', citizen_cpr='999999-9999', status=400)
    api.get('/@search', **{'citizen_cpr.min': '010101-0000'}, status=400)


def test_a_value_moved_to_another_case_does_not_open(wsgi_app, api, new_case):
    first = api.post('/sager', dict(new_case, citizen_reference='Mette')).json['@id']
    second = api.post('/sager', dict(new_case, citizen_reference='Jens')).json['@id']
    from tracker.bootstrap import get_site

    with db_of(wsgi_app).transaction() as conn:
        folder = get_site(conn)['sager']
        a, b = folder[first.rsplit('/', 1)[1]], folder[second.rsplit('/', 1)[1]]
        stolen = dict(b.fields)
        stolen['citizen_reference'] = a.fields['citizen_reference']
        b.fields = stolen
    response = api.get(second, status=500).json
    assert response['error']['type'] == 'EncryptionError'
    assert 'Mette' not in str(response)
    assert api.get(first).json['citizen_reference'] == 'Mette'


def test_a_wrong_key_file_stops_start_up_and_loses_nothing(tmp_path, keyring, new_case):
    app = file_app(tmp_path, keyring)
    url = api_login(TestApp(app), 'rita').post('/sager', dict(new_case, **SECRETS)).json['@id']
    close_app(app)
    other = tmp_path / 'other.json'
    KeyRing.create(other)
    with pytest.raises(KeyRingError, match='passer ikke til databasen'):
        file_app(tmp_path, other, users=False)
    truncated = tmp_path / 'truncated.json'
    truncated.write_bytes(keyring.read_bytes()[:40])
    os.chmod(truncated, 0o600)
    with pytest.raises(KeyRingError, match=str(truncated)):
        file_app(tmp_path, truncated, users=False)
    again = file_app(tmp_path, keyring, users=False)
    assert api_login(TestApp(again), 'rita').get(url).json['citizen_cpr'] == '140585-1234'
    close_app(again)


def sealed_key_ids(var):
    from tracker.bootstrap import get_site
    from tracker.crypto import Sealed
    from tracker.storage import open_db

    db = open_db(f'file://{var}/Data.fs')
    try:
        with db.transaction() as conn:
            return sorted(
                {
                    v.key_id
                    for case in get_site(conn)['sager'].child_names()
                    for v in get_site(conn)['sager'][case].fields.values()
                    if isinstance(v, Sealed)
                }
            )
    finally:
        db.close()


def test_key_rotation_re_encrypts_and_can_be_resumed(tmp_path, new_case):
    var = tmp_path / 'var'
    ini = write_ini(tmp_path)
    pw = tmp_path / 'pw'
    pw.write_text('a long operator passphrase')
    assert run_cli(ini, 'init', '--admin-password-file', str(pw)).returncode == 0
    from pyramid.paster import get_app

    def add_cases(n):
        app = get_app(str(ini))
        api = api_login(TestApp(app), 'admin', 'a long operator passphrase')
        urls = [api.post('/sager', dict(new_case, **SECRETS)).json['@id'] for _ in range(n)]
        close_app(app)
        return urls

    urls = add_cases(3)
    assert sealed_key_ids(var) == ['k1']
    result = run_cli(ini, 'keys', 'rotate')
    assert result.returncode == 0, result.stderr
    assert sealed_key_ids(var) == ['k2']

    # A rotation interrupted after the new key was written: old values stay
    # readable, and --resume finishes the job.
    ring = KeyRing.load(var / 'keyring.json')
    assert ring.rotate() == 'k3'
    urls += add_cases(1)
    assert sealed_key_ids(var) == ['k2', 'k3']
    app = get_app(str(ini))
    api = api_login(TestApp(app), 'admin', 'a long operator passphrase')
    assert all(api.get(u).json['citizen_cpr'] == '140585-1234' for u in urls)
    close_app(app)
    result = run_cli(ini, 'keys', 'rotate', '--resume')
    assert result.returncode == 0, result.stderr
    assert sealed_key_ids(var) == ['k3']
    assert oct(os.stat(var / 'keyring.json').st_mode & 0o777) == '0o600'
