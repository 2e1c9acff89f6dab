"""Case documents: journalised with their files (encrypted), every change a
new version readable byte for byte, uploads checked by content, and
full-text search over the files' words for those who may see the case."""

import base64

import pytest
from webtest import TestApp, Upload

from tests.conftest import add_user, api_login, close_app, make_app
from tests.files import make_docx, make_encrypted_pdf, make_pdf


def file_body(data, filename):
    return {'filename': filename, 'data': base64.b64encode(data).decode('ascii')}


def document(data, filename='undersøgelse.docx', **fields):
    body = {
        '@type': 'document',
        'title': 'Børnefaglig undersøgelse (Emil)',
        'document_date': '2026-09-14',
        'direction': 'received',
        'party': 'Center for Børn og Forebyggelse',
        'file': file_body(data, filename),
    }
    body.update(fields)
    return body


@pytest.fixture
def case_url(api, new_case):
    return api.post('/sager', new_case).json['@id']


def download(api, url):
    return api.app.get(url, headers={'Authorization': api.headers['Authorization']}).body


def test_journalise_received_and_sent_documents(api, case_url):
    received = make_docx('Moderen er dømt for vold mod Emil.')
    sent = make_pdf('Svar til borgeren om aktindsigt')
    doc = api.post(case_url, document(received)).json
    assert doc['file']['content_type'].endswith('wordprocessingml.document')
    assert doc['file']['filename'] == 'undersøgelse.docx'
    assert doc['journal_date'] and doc['creator'] == 'rita' and doc['version'] == 1
    reply = api.post(
        case_url,
        document(
            sent,
            'svar.pdf',
            title='Svar til borgeren',
            direction='sent',
            document_date='2026-10-01',
        ),
    ).json
    assert reply['file']['content_type'] == 'application/pdf'
    assert download(api, doc['file']['download']) == received
    assert download(api, reply['file']['download']) == sent
    listing = api.get(case_url).json
    assert {i['title'] for i in listing['items']} == {
        'Børnefaglig undersøgelse (Emil)',
        'Svar til borgeren',
    }


def test_three_versions_each_read_back_byte_for_byte(api, case_url):
    v1, v2, v3 = (make_docx(f'Udgave {n}: tekst') for n in (1, 2, 3))
    url = api.post(case_url, document(v1)).json['@id']
    api.patch(url, {'file': file_body(v2, 'undersøgelse-v2.docx'), '@reason': 'Rettet stavefejl'})
    data = api.patch(
        url,
        {
            'description': 'Rettet efter klage',
            'file': file_body(v3, 'v3.docx'),
            '@reason': 'Berigtigelse',
        },
    ).json
    assert data['version'] == 3
    versions = api.get(url + '/@versions').json['items']
    assert [v['version'] for v in versions] == [3, 2, 1]
    assert versions[1]['reason'] == 'Rettet stavefejl' and versions[1]['actor'] == 'rita'
    for number, content in ((1, v1), (2, v2), (3, v3)):
        assert download(api, f'{url}/@download/file/{number}') == content
    assert download(api, f'{url}/@download/file') == v3
    # metadata-only change is a version too, and the file is kept
    api.patch(url, {'title': 'Børnefaglig undersøgelse (Emil), rettet', '@reason': 'Titel'})
    assert download(api, f'{url}/@download/file') == v3
    compare = api.get(url + '/@versions', a=3, b=4).json['compare']['changes']
    assert [c['field'] for c in compare] == ['title']
    compare = api.get(url + '/@versions', a=1, b=3).json['compare']['changes']
    assert {c['field'] for c in compare} == {'description', 'file'}
    api.get(url + '/@download/file/9', status=404)


def test_a_correction_names_its_cause_which_must_be_a_rectification_request(api, case_url):
    url = api.post(case_url, document(make_docx('gammel'))).json['@id']
    for wrong in (
        '/sager/nope',
        case_url.replace('http://localhost', ''),
    ):  # missing; not a request
        api.patch(
            url, {'file': file_body(make_docx('ny'), 'ny.docx'), '@caused_by': wrong}, status=400
        )
    assert api.get(url).json['version'] == 1
    request = api.post(
        case_url,
        {
            '@type': 'rectification',
            'title': 'Forkert oplysning',
            'received': '2024-10-14',
            'channel': 'letter',
            'requester': 'citizen',
            'data_subject': 'Mette',
        },
    ).json
    cause = request['@id'].replace('http://localhost', '')
    api.patch(
        url,
        {
            'file': file_body(make_docx('ny'), 'ny.docx'),
            '@caused_by': cause,
            '@reason': 'Berigtiget',
        },
    )
    assert api.get(url + '/@versions').json['items'][0]['caused_by'] == cause


@pytest.mark.parametrize(
    'data, filename',
    [
        (make_encrypted_pdf(), 'hemmelig.pdf'),  # password-protected
        (make_docx('x')[:600], 'brudt.docx'),  # damaged
        (b'\x7fELF\x02\x01\x01' + b'\0' * 200, 'rapport.pdf'),  # a program named .pdf
        (b'', 'tom.txt'),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(api, case_url, data, filename):
    errors = api.post(case_url, document(data, filename), status=400).json['error']['errors']
    assert [e['field'] for e in errors] == ['file']
    assert api.get(case_url).json['items_total'] == 0


def test_full_text_search_finds_words_in_docx_and_pdf_only_for_those_who_see_the_case(
    testapp, api, case_url
):
    api.post(case_url, document(make_docx('Underretning om Emil fra skolen')))
    api.post(
        case_url,
        document(
            make_pdf('Statusrapport fra opholdsstedet Laerkehoej'),
            'status.pdf',
            title='Statusrapport',
        ),
    )
    assert [i['title'] for i in api.get('/@search', q='underretning').json['items']] == [
        'Børnefaglig undersøgelse (Emil)'
    ]
    assert [i['title'] for i in api.get('/@search', q='opholdsstedet').json['items']] == [
        'Statusrapport'
    ]
    assert api.get('/@search', q='underret').json['items_total'] == 0  # whole words only
    caseworker = api_login(testapp, 'cw')
    assert caseworker.get('/@search', q='underretning').json['items_total'] == 0
    api.post(case_url + '/@sharing', {'login': 'cw', 'roles': ['caseworker']}, status=200)
    assert caseworker.get('/@search', q='underretning').json['items_total'] == 1


def test_document_text_and_file_names_are_not_in_data_fs(tmp_path, new_case):
    app = make_app(**{'zodbconn.uri': f'file://{tmp_path}/Data.fs'})
    add_user(app, 'rita', ['advisor'])
    api = api_login(TestApp(app), 'rita')
    case = api.post('/sager', new_case).json['@id']
    api.post(case, document(make_docx('Grundlaeggende hemmelighed om Emil'), 'Mette Sørensen.docx'))
    close_app(app)
    raw = (tmp_path / 'Data.fs').read_bytes()
    for secret in ('Grundlaeggende', 'hemmelighed', 'Mette Sørensen', 'Center for Børn'):
        assert secret.encode('utf-8') not in raw, secret


def test_documents_through_the_browser(browser, api, case_url):
    page = browser.get(case_url + '/add?type=document')
    form = page.forms['content-form']
    form['title'] = 'Indstilling til Børn og Unge-udvalget'
    form['document_date'] = '2026-11-02'
    form['direction'] = 'sent'
    original = make_docx('Indstilling')
    form['file'] = Upload('indstilling.docx', original, 'application/octet-stream')
    doc = form.submit('save', status=303).follow()
    assert 'indstilling.docx' in doc.text
    assert 'Versioner' in doc.text
    edit = browser.get(doc.request.url + 'edit').forms['content-form']
    edit['title'] = 'Indstilling (rettet)'
    edit['version_reason'] = 'Forkert dato i titlen'
    edit.submit('save', status=303)
    versions = browser.get(doc.request.url + 'versions')
    assert 'Forkert dato i titlen' in versions.text
    assert browser.get(doc.request.url + '@download/file/1').body == original
    assert browser.get(doc.request.url + '@download/file/2').body == original  # file kept
