"""The annual report ("Året i tal") from the seed's Q4 2024, entered through
the API: its numbers, theme lines and statement summaries read back from
the issued Word file by an independent parser, its figures embedded and
shown, its exports, and every number traceable to the cases behind it."""

import csv
import zipfile
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from webtest import TestApp

from tests.conftest import api_login, db_of, login_browser, system_services, visible_text
from tracker.demo import CENTRES, HELP_DAYS, load_cases, themes_by_case


def local(url):
    return url.replace('http://localhost', '')


@pytest.fixture
def q4(wsgi_app, testapp):
    """The report's 24 inquiries, two written questions and two statements,
    all through the HTTP API; the numbering continues the earlier system's
    series (6/2024 first), as an administrator sets it up."""
    with db_of(wsgi_app).transaction() as conn:
        system_services(conn, wsgi_app).admin.set_first_number('case', 2024, 6)
    api = api_login(testapp, 'rita')
    data = load_cases()
    themes = themes_by_case(data)
    for case in sorted(data['cases'], key=lambda c: c['number']):
        received = case['received']
        body = {
            '@type': 'case',
            'title': f'Henvendelse {case["number"]}',
            'received': received.isoformat(),
            'channel': case['channel'],
            'kind': case['kind'],
            'centres': [CENTRES[case['centre']]],
            'within_purpose': case['within'],
            'themes': themes.get(case['number'], []),
        }
        days = HELP_DAYS.get(case['help'])
        if days is not None:
            body['resolved'] = (received + timedelta(days=days)).isoformat()
        assert api.post('/sager', body).json['number'] == f'{case["number"]}/2024'
    for number, title, summary, issued in (
        (
            17,
            'Dagtilbud/specialskoletilbud',
            'En forælder henvendte sig, fordi barnet stod uden relevant skoletilbud.',
            '2024-12-10',
        ),
        (
            22,
            'Persondata, sagsbehandlingsfejl og kommunikation i anbringelsessag',
            'Administrationen havde registreret en urigtig oplysning om en dom for vold.',
            '2024-12-17',
        ),
    ):
        case = f'/sager/{number}-2024'
        q = api.post(
            case, {'@type': 'question', 'title': 'Spørgsmål', 'centre': 'cbf', 'questions': '1. …'}
        ).json['@id']
        api.post(
            q + '/@workflow/send',
            {'fields': {'sent_on': '2024-11-20', 'answer_due': '2024-12-04'}},
            status=200,
        )
        s = api.post(
            case, {'@type': 'statement', 'title': title, 'centre': 'cbf', 'summary': summary}
        ).json['@id']
        api.post(
            s, {'@type': 'finding', 'title': 'Kritik', 'legal_basis': 'fvl_19', 'criticism': 'x'}
        )
        api.post(s + '/@workflow/submit', {}, status=200)
        api.post(
            s + '/@workflow/issue',
            {'fields': {'restored': 'partly', 'criticism_grade': 'criticism', 'issued_on': issued}},
            status=200,
        )
        api.post(
            case,
            {
                '@type': 'recommendation',
                'title': 'Henstilling',
                'centre': 'cbf',
                'statement': local(s),
                'follow_up_on': '2025-03-01',
            },
        )
    admin = api_login(testapp, 'admin')
    for year, count in data['history'].items():
        admin.post('/@report-history', {'year': int(year), 'inquiries': int(count)}, status=200)
    report = api.post(
        '/rapporter',
        {
            '@type': 'report',
            'title': 'Årsberetning 2024',
            'period_from': '2024-10-01',
            'period_to': '2024-12-31',
        },
    ).json
    return api, report['@id']


THEME_LINES = {  # exactly as the seed report states them
    'Skab overblik over processen': 'Borgerrådgiversager nr. 7, 17, 18, 21, 22, 26, 28 og 29 /2024',
    'Stå ved fejl – og kom videre': 'Borgerrådgiversager nr. 17, 22 og 27 /2024',
    'Overgange mellem ydelser': 'Borgerrådgiversager nr. 9, 17, 26 og 28 /2024',
    'Rette hjælp – i rette tid': 'Borgerrådgiversager nr. 10, 11, 16, 17, 22, 27 og 29 /2024',
}


def test_the_report_document_holds_the_seeds_numbers_and_theme_lines(q4, testapp):
    from docx2python import docx2python

    api, report = q4
    issued = api.post(report + '/@issue', {'template': 'annual_report'}).json
    data = testapp.get(local(issued['download']), headers=api.headers).body
    with docx2python(BytesIO(data)) as document:
        text = document.text
    assert '24 unikke henvendelser, heraf 20 inden for vedtægtens formål (83 %)' in text
    assert '2 sæt skriftlige spørgsmål og afgivet 2 udtalelser' in text
    for theme, line in THEME_LINES.items():
        assert f'{theme}: {line}' in text
    # the social area: CVV 8 and CBF 6 of the 20 within the purpose, about 70 %
    assert 'Center for Voksen og Velfærd: 8 (40 %)' in text
    assert 'Center for Børn og Forebyggelse: 6 (30 %)' in text
    assert 'Klage: 15 (75 %)' in text
    for year, count in (('2020', '91'), ('2023', '69'), ('2024', '24')):
        assert f'{year}: {count}' in text
    assert (
        'Udtalelse 1 – Dagtilbud/specialskoletilbud (til Center for Børn og Forebyggelse, '
        '10. december 2024)' in text
    )
    assert 'En forælder henvendte sig, fordi barnet stod uden relevant skoletilbud.' in text
    assert '{{' not in text and '{%' not in text
    # the five figures are embedded images
    with zipfile.ZipFile(BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith('word/media/')]
        assert len(media) == 5 and all(z.read(n).startswith(b'\x89PNG') for n in media)
    # issued like every document: numbered, signed, verifiable
    assert issued['number'] == 'ÅB-2024-01-01'
    assert (
        TestApp(testapp.app)
        .post('/@verify', data, headers={'Content-Type': 'application/octet-stream'})
        .json['genuine']
    )


def test_the_statistics_page_shows_the_figures_and_links_each_number_to_its_cases(q4, wsgi_app):
    api, report = q4
    browser = login_browser(TestApp(wsgi_app), 'rita')
    page = browser.get(report)
    images = [img.attrs['src'] for img in page.html.find_all('img')]
    assert len(images) == 5
    for src in images:
        figure = browser.get(local(src))
        assert figure.content_type == 'image/png' and figure.body.startswith(b'\x89PNG')
    text = visible_text(page)
    assert 'Borgerrådgiversager nr. 17, 22 og 27 /2024' in text
    link = page.html.find('a', string='6')  # Center for Børn og Forebyggelse
    assert '/search?' in link['href']  # the search page lists the cases; @search the same as JSON
    listed = browser.get(local(link['href']).replace('/search?', '/@search?'))
    assert listed.json['items_total'] == 6
    theme = [
        a for a in page.html.find_all('a') if a.text == THEME_LINES['Stå ved fejl – og kom videre']
    ][0]
    numbers = sorted(
        i['number']
        for i in browser.get(local(theme['href']).replace('/search?', '/@search?')).json['items']
    )
    assert numbers == ['17/2024', '22/2024', '27/2024']


def test_exports_hold_the_same_numbers_and_the_same_data_gives_the_same_numbers(q4, testapp):
    api, report = q4
    first = api.get(report + '/@statistics').json
    assert first == api.get(report + '/@statistics').json
    assert (first['total'], first['within'], first['questions']) == (24, 20, 2)
    exported = testapp.get(local(report) + '/statistics.csv', headers=api.headers)
    rows = list(csv.reader(StringIO(exported.body.decode('utf-8-sig')), delimiter=';'))
    assert ['Henvendelser', 'I alt', '24', '100'] in rows
    assert ['Centre', 'Center for Voksen og Velfærd', '8', '40'] in rows
    from openpyxl import load_workbook

    book = load_workbook(
        BytesIO(testapp.get(local(report) + '/statistics.xlsx', headers=api.headers).body)
    )
    values = [tuple(r) for r in book.active.iter_rows(values_only=True)]
    assert ('Henvendelser', 'Inden for formålet', 20, 83) in values


def test_earlier_years_are_entered_by_administrators_only_and_checked(q4, testapp):
    api, _report = q4
    api.post('/@report-history', {'year': 2019, 'inquiries': 60}, status=403)
    admin = api_login(testapp, 'admin')
    errors = admin.post('/@report-history', {'year': 1800, 'inquiries': -1}, status=400).json[
        'error'
    ]['errors']
    assert {e['field'] for e in errors} == {'year', 'inquiries'}
    years = {i['year']: i['inquiries'] for i in api.get('/@report-history').json['items']}
    assert years == {2020: 91, 2021: 74, 2022: 58, 2023: 69}
