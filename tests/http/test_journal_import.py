"""Importing a journal list from another system: a dry run that says what
would be created and which rows cannot be read, and a real import where
every good row becomes a document (and a disclosure, for a sent one to a
registered recipient) and a bad row leaves nothing."""

import base64
import csv
import io

from tests.conftest import api_login

MAPPING = {
    'date': 'Dato',
    'title': 'Titel',
    'direction': 'Retning',
    'party': 'Part',
    'filename': 'Filnavn',
    'recipient': 'Modtager',
    'legal_basis': 'Hjemmel',
}


def csv_file(rows, delimiter=';'):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(['Dato', 'Titel', 'Retning', 'Part', 'Filnavn', 'Modtager', 'Hjemmel'])
    writer.writerows(rows)
    return {
        'filename': 'journal.csv',
        'data': base64.b64encode(out.getvalue().encode('utf-8-sig')).decode(),
    }


def setup_case(api, new_case):
    api.post(
        '/modtagere',
        {
            '@type': 'recipient',
            'title': 'Ankestyrelsen',
            'kind': 'authority',
            'channel': 'digital_post',
        },
    )
    return api.post('/sager', new_case).json['@id']


ROWS = [
    ['14.09.2021', 'Børnefaglig undersøgelse', 'Notat', 'CBF', 'D1.docx', '', ''],
    [
        '2022-01-18',
        'Indstilling sendt til Ankestyrelsen',
        'Sendt',
        'CBF',
        'D2.docx',
        'Ankestyrelsen',
        'klagesag',
    ],
    ['31.02.2022', 'Umulig dato', 'Modtaget', '', '', '', ''],
    ['2022-03-21', 'Barnets plan', 'Sendt', '', '', 'Ukendt Myndighed', ''],
    ['2022-04-04', 'Brev fra skolen', 'Flaskepost', '', '', '', ''],
]


def test_dry_run_reports_and_keeps_nothing(api, new_case):
    case = setup_case(api, new_case)
    report = api.post(
        case + '/@journal-import', {'file': csv_file(ROWS), 'mapping': MAPPING}, status=200
    ).json
    assert report['dry_run'] is True
    assert report['counts'] == {'documents': 2, 'disclosures': 1, 'problems': 3}
    assert [p['row'] for p in report['problems']] == [4, 5, 6]
    assert 'Ukendt Myndighed' in report['problems'][1]['message']
    assert api.get(case).json['items_total'] == 0


def test_import_writes_good_rows_only_with_their_disclosures(testapp, api, new_case):
    case = setup_case(api, new_case)
    report = api.post(
        case + '/@journal-import',
        {'file': csv_file(ROWS), 'mapping': MAPPING, 'dry_run': False},
        status=200,
    ).json
    assert report['counts'] == {'documents': 2, 'disclosures': 1, 'problems': 3}
    items = api.get(case, b_size=50).json['items']
    # two documents and the disclosure of the sent one (titled like it)
    assert sorted(i['title'] for i in items) == [
        'Børnefaglig undersøgelse',
        'Indstilling sendt til Ankestyrelsen',
        'Indstilling sendt til Ankestyrelsen',
    ]
    sent = [r for r in report['created'] if 'disclosure' in r][0]
    disclosure = api.get('http://localhost' + sent['disclosure']).json
    assert disclosure['recipient'] == '/modtagere/ankestyrelsen'
    assert disclosure['document_version'] == 1 and disclosure['disclosed_on'] == '2022-01-18'
    assert disclosure['legal_basis'] == 'klagesag'
    audit = api_login(testapp, 'aud').get('/@audit', action='import').json['items']
    assert audit[0]['details']['documents'] == 2


def test_a_thousand_rows_import_with_bad_rows_reported(api, new_case):
    case = setup_case(api, new_case)
    rows = []
    for n in range(1000):
        day = f'20{10 + n % 14}-{1 + n % 12:02d}-{1 + n % 28:02d}'
        rows.append(
            [
                day if n % 250 else 'ikke en dato',
                f'Dokument {n}',
                ('Modtaget', 'Sendt', 'Notat')[n % 3],
                'CBF',
                f'f{n}.pdf',
                'Ankestyrelsen' if n % 3 == 1 else '',
                'samtykke',
            ]
        )
    report = api.post(
        case + '/@journal-import',
        {'file': csv_file(rows, ','), 'mapping': MAPPING, 'dry_run': False},
        status=200,
    ).json
    assert report['counts']['problems'] == 4  # rows 0, 250, 500, 750
    assert [p['row'] for p in report['problems']] == [2, 252, 502, 752]
    assert report['counts']['documents'] == 996
    assert api.get(case).json['items_total'] == 996 + report['counts']['disclosures']


def test_xlsx_and_bad_mapping(api, new_case):
    from openpyxl import Workbook

    case = setup_case(api, new_case)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(['Dato', 'Titel', 'Retning'])
    sheet.append(['2023-06-30', 'Statusrapport fra opholdsstedet', 'Modtaget'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = {'filename': 'journal.xlsx', 'data': base64.b64encode(buffer.getvalue()).decode()}
    mapping = {'date': 'Dato', 'title': 'Titel', 'direction': 'Retning'}
    report = api.post(
        case + '/@journal-import', {'file': upload, 'mapping': mapping}, status=200
    ).json
    assert report['created'][0]['title'] == 'Statusrapport fra opholdsstedet'
    errors = api.post(
        case + '/@journal-import', {'file': upload, 'mapping': {'date': 'When'}}, status=400
    ).json['error']['errors']
    assert errors[0]['field'] == 'file'


def test_the_import_dialog_in_the_browser(browser, api, new_case):
    from webtest import Upload

    case = setup_case(api, new_case)
    page = browser.get(case + '/')
    assert 'Importér journalliste' in page.text
    form = browser.get(case + '/journal-import').forms['journal-upload']
    rows = base64.b64decode(csv_file(ROWS)['data'])
    form['file'] = Upload('journal.csv', rows, 'text/csv')
    mapping = form.submit(status=200).forms['journal-map']
    # columns named like the targets are chosen already; the user adds the rest
    assert mapping['map_date'].value == 'Dato' and mapping['map_title'].value == 'Titel'
    mapping['map_recipient'] = 'Modtager'
    mapping['map_legal_basis'] = 'Hjemmel'
    trial = mapping.submit('action', value='dry_run', status=200)
    assert 'intet blev gemt' in trial.text
    assert api.get(case).json['items_total'] == 0
    done = trial.forms['journal-map'].submit('action', value='import', status=200)
    assert 'Importeret' in done.text
    assert api.get(case).json['items_total'] == 3  # two documents and one disclosure
