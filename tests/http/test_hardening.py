"""Defects a review of session 2 found, each kept fixed by a test: what a
stranger learns from verification, what a caseworker sees of the audit
trail, spreadsheet formulas in exports, choices after a failed
transaction, the extension and consent rules, stored gaps when a
disclosure moves, savepoints on the request's transaction, reserved names."""

import csv
import zipfile
from io import BytesIO, StringIO

import pytest
from webtest import TestApp

from tests.conftest import api_login, db_of, system_services
from tests.http.test_rectification import build_case, item, local, new_request
from tracker.bootstrap import get_site


def custom_props_zip(number, size=0):
    xml = (
        '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="x" pid="2" name="TrackerNumber"><vt:lpwstr>{number}</vt:lpwstr></property>'
        '<property fmtid="x" pid="3" name="TrackerVersion"><vt:lpwstr>1</vt:lpwstr></property>'
        + ' ' * size
        + '</Properties>'
    )
    out = BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('docProps/custom.xml', xml)
    return out.getvalue()


def test_verification_tells_a_stranger_nothing_about_letters_they_do_not_hold(
    testapp, api, new_case
):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case)['@id']
    issued = api.post(url + '/@issue', {'template': 'rectification_receipt'}).json
    anonymous = TestApp(testapp.app)
    probe = custom_props_zip(issued['number'])
    for body in (
        probe,
        custom_props_zip('X' * 5000),
        custom_props_zip(issued['number'], size=200_000),
        b'PK\x03\x04' + b'\x00' * 40,
    ):
        answer = anonymous.post(
            '/@verify', body, headers={'Content-Type': 'application/octet-stream'}
        )
        assert answer.json == {'status': 'not_genuine', 'genuine': False}
    anonymous.post_json('/@verify', {'data': 5}, status=400)
    anonymous.post_json('/@verify', {'data': ['x']}, status=400)
    # nothing a stranger sent is written to the audit log unless it names a real letter
    admin = api_login(testapp, 'admin')
    logged = admin.get('/@audit', action='verify').json['items']
    assert all('X' * 100 not in str(e) for e in logged)


def test_a_caseworker_sees_the_timeline_without_the_audit_trail(testapp, api, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case)['@id']
    api.post(case + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    cw = api_login(testapp, 'cw')
    kinds = {e['kind'] for e in cw.get(url + '/@timeline').json['items']}
    assert 'audit' not in kinds and 'fact' in kinds
    admin = api_login(testapp, 'admin')
    assert 'audit' in {e['kind'] for e in admin.get(url + '/@timeline').json['items']}


def test_exports_do_not_carry_spreadsheet_formulas(testapp, api, new_case):
    from tests.conftest import login_browser

    case = api.post('/sager', new_case).json['@id']
    new_request(api, case, title='=HYPERLINK("http://x.example/";"klik")')
    browser = login_browser(TestApp(testapp.app), 'jens')
    rows = list(
        csv.reader(StringIO(browser.get('/dashboard.csv').body.decode('utf-8-sig')), delimiter=';')
    )
    titles = [r[1] for r in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://x.example/";"klik")']


def test_a_choice_added_in_an_aborted_transaction_is_not_offered(wsgi_app, testapp):
    db = db_of(wsgi_app)
    conn = db.open()
    try:
        with conn.transaction_manager:
            services = system_services(conn, wsgi_app)
            services.admin.add_choice('case', 'themes', 'phantom', 'Spøgelse')
            conn.transaction_manager.abort()
    except Exception:  # noqa: BLE001 - abort inside the with: the manager may complain
        pass
    finally:
        conn.close()
    admin = api_login(testapp, 'admin')
    themes = admin.get('/@types/case').json['properties']['themes']['items']['enum']
    assert 'phantom' not in themes
    admin.post(
        '/@choices', {'type': 'case', 'field': 'themes', 'value': 'real', 'title_da': 'Ægte'}
    )
    # the next request works with the registry derived for the new choice
    themes = admin.get('/@types/case').json['properties']['themes']['items']['enum']
    assert 'real' in themes and 'phantom' not in themes
    types = wsgi_app.registry.tracker_types
    assert 'real' in types['case'].by_name['themes'].choice_values


def test_an_extension_needs_notice_within_the_first_month_and_cannot_be_undone(api, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case)['@id']  # received 14 October 2024, due 14 November
    late_notice = {
        'extension_months': 1,
        'extension_decided_on': '2024-11-10',
        'extension_reason': 'Akter fra politiet.',
        'extension_notice_on': '2024-12-10',
    }
    assert 'første måned' in api.patch(url, late_notice, status=400).json['error']['message']
    api.patch(url, dict(late_notice, extension_notice_on='2024-11-10'))
    cleared = {k: None for k in late_notice}
    assert 'kun forlænges én gang' in api.patch(url, cleared, status=400).json['error']['message']
    assert api.get(url).json['due'] == '2024-12-14'


def test_a_consent_must_be_from_the_same_case_and_cover_the_recipient(api, new_case):
    case, recipients, docs = build_case(api, new_case)
    other_case = api.post('/sager', dict(new_case, title='En anden sag')).json['@id']
    consent = api.post(
        other_case,
        {
            '@type': 'consent',
            'title': 'Samtykke',
            'given_by': 'X',
            'scope': 'y',
            'given_on': '2022-01-01',
        },
    ).json['@id']
    base = {
        '@type': 'disclosure',
        'title': 'Planen',
        'recipient': recipients['Skolen ved Søen, PPR'],
        'document': local(docs['D3']),
        'channel': 'letter',
        'disclosed_on': '2022-04-04',
        'consent': local(consent),
    }
    assert [e['field'] for e in api.post(case, base, status=400).json['error']['errors']] == [
        'consent'
    ]
    narrow = api.post(
        case,
        {
            '@type': 'consent',
            'title': 'Til Familieretshuset',
            'given_by': 'X',
            'scope': 'y',
            'given_on': '2022-01-01',
            'recipient': recipients['Familieretshuset'],
        },
    ).json['@id']
    errors = api.post(case, dict(base, consent=local(narrow)), status=400).json['error']['errors']
    assert [e['field'] for e in errors] == ['consent']


def test_moving_a_disclosure_to_another_document_updates_the_stored_gaps(api, testapp, new_case):
    case, recipients, docs = build_case(api, new_case)
    url = new_request(api, case)['@id']
    item(api, url, docs['D1'], 'Dom for vold')
    moved = [
        d
        for d in api.get(case).json['items']
        if d['@type'] == 'disclosure' and d['title'] == 'D1 til Familieretshuset'
    ][0]['@id']
    api.patch(moved, {'document': local(docs['D4'])})
    jens = api_login(testapp, 'jens')
    row = [r for r in jens.get('/@dashboard').json['items'] if r['@id'] == url][0]
    assert not any('Familieretshuset' in g for g in row['gaps'])
    assert any('Opholdsstedet Lærkehøj' in g for g in row['gaps'])


def test_a_refused_step_keeps_none_of_its_facts_in_the_callers_transaction(wsgi_app, api, new_case):
    """Services on a connection with its own transaction manager (as the web's
    request.tm): the savepoint must belong to that transaction."""
    case, recipients, docs = build_case(api, new_case)
    url = new_request(api, case)['@id']
    api.post(url, {'@type': 'notification', 'recipient': recipients['Ankestyrelsen']})
    with db_of(wsgi_app).transaction() as conn:
        services = system_services(conn, wsgi_app)
        request = get_site(conn)['sager'][local(case).rsplit('/', 1)[1]][
            local(url).rsplit('/', 1)[1]
        ]
        note = [
            request.get_child(n)
            for n in request.child_names()
            if request.get_child(n).type_name == 'notification'
        ][0]
        from tracker.services import TransitionUnavailable

        with pytest.raises(TransitionUnavailable):
            services.transition(note, 'send', changes={'reference': 'R-1'})  # no date, no channel
        assert note.fields.get('reference') is None and len(note.versions) == 1


def test_issuing_with_a_bad_reason_and_a_title_like_a_letter_are_clear(api, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case)['@id']
    api.post(url + '/@issue', {'template': 'rectification_receipt', 'reason': 5}, status=400)
    api.post(url + '/@issue', {'template': 'rectification_receipt', 'reason': {'a': 1}}, status=400)
    squatter = api.post(
        url,
        {
            '@type': 'contested_item',
            'title': 'Dokument rectification receipt',
            'wrong_statement': 'x',
        },
    ).json
    assert squatter['id'] != 'dokument-rectification-receipt'
    timeline_item = api.post(
        url, {'@type': 'contested_item', 'title': 'Timeline', 'wrong_statement': 'x'}
    ).json
    assert timeline_item['id'] != 'timeline'
    api.post(url + '/@issue', {'template': 'rectification_receipt'})


def test_exemptions_on_open_requests_are_counted_in_full(api, testapp, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case)['@id']
    for n in range(3):
        recipient = local(
            api.post(
                '/modtagere',
                {
                    '@type': 'recipient',
                    'title': f'Myndighed {n}',
                    'kind': 'authority',
                    'channel': 'letter',
                },
            ).json['@id']
        )
        note = api.post(url, {'@type': 'notification', 'recipient': recipient}).json['@id']
        api.post(
            note + '/@workflow/exempt',
            {'fields': {'exemption': 'disproportionate', 'exemption_explanation': 'Ophørt.'}},
            status=200,
        )
    jens = api_login(testapp, 'jens')
    assert jens.get('/@dashboard').json['exemptions']['items_total'] == 3
    api.post(
        url,
        {
            '@type': 'contested_item',
            'title': 'x',
            'wrong_statement': 'y',
            'decision': 'refused',
            'decided_on': '2024-10-20',
            'reasons': 'Korrekt.',
        },
    )
    api.patch(url, {'answered_on': '2024-10-20'})
    for step in ('assess', 'decide', 'submit'):
        api.post(url + f'/@workflow/{step}', {}, status=200)
    jens.post(url + '/@workflow/approve', {}, status=200)  # rita submitted: a jurist approves
    assert jens.get('/@dashboard').json['exemptions']['items_total'] == 0  # the request is closed
