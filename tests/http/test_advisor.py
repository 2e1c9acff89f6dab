"""The advisor's work through HTTP: written questions, statements and their
anonymised summaries, recommendations followed up, processing time, the
deadlines page and its calendar feed, and the choice lists."""

from datetime import date, timedelta

import icalendar
import pytest
from webtest import TestApp

from tests.conftest import api_login, copenhagen_today, csrf_of, login_browser, visible_text


def local(url):
    return url.replace('http://localhost', '')


def case_with(api, **values):
    body = {
        '@type': 'case',
        'title': 'Klage over sagsbehandlingen',
        'received': '2024-11-19',
        'channel': 'email',
        'kind': 'complaint',
        'citizen_reference': 'Mette Lind Sørensen',
        'citizen_cpr': '140585-1234',
    }
    body.update(values)
    return api.post('/sager', body).json['@id']


def test_written_questions_are_sent_with_a_due_date_and_answered(api):
    case = case_with(api)
    q = api.post(
        case,
        {
            '@type': 'question',
            'title': 'Spørgsmål om partshøring',
            'centre': 'cbf',
            'questions': '1. Blev moderen partshørt?',
        },
    ).json['@id']
    assert (
        api.post(q + '/@workflow/send', {}, status=409).json['error']['message']
        == 'Udfyld først: «Sendt den», «Svarfrist».'
    )
    errors = api.post(
        q + '/@workflow/send', {'fields': {'sent_on': '2024-11-20'}}, status=400
    ).json['error']['errors']
    assert [e['field'] for e in errors] == ['answer_due']
    assert api.get(q).json['review_state'] == 'draft' and api.get(q).json['sent_on'] is None
    api.post(
        q + '/@workflow/send',
        {'fields': {'sent_on': '2024-11-20', 'answer_due': '2024-12-04'}},
        status=200,
    )
    due = api.get('/@deadlines', kind='question').json['items']
    assert [(d['@id'], d['date'], d['overdue']) for d in due] == [(q, '2024-12-04', True)]
    api.post(
        q + '/@workflow/record_answer',
        {'fields': {'answered_on': '2024-12-03', 'answer': 'Nej, det blev hun ikke.'}},
        status=200,
    )
    assert api.get('/@deadlines', kind='question').json['items'] == []
    api.patch(q, {'answer': 'Ændret'}, status=403)  # an answered question is read-only


def test_a_statement_needs_its_verdict_and_an_anonymous_summary_before_it_is_issued(api):
    case = case_with(api)
    s = api.post(
        case,
        {
            '@type': 'statement',
            'title': 'Persondata i anbringelsessag',
            'centre': 'cbf',
            'background': 'Moderen henvendte sig om samarbejdet.',
        },
    ).json['@id']
    for summary, what in (
        ('Mette Lind Sørensen klagede over forvaltningen.', 'Borger'),
        ('Sørensen klagede.', 'Borger'),
        ('Borgeren (140585-1234) klagede.', 'CPR'),
    ):
        message = api.patch(s, {'summary': summary}, status=400).json['error']['message']
        assert 'anonym' in message and what in message, message
        assert (
            'Mette' not in message and '140585' not in message
        )  # the check never repeats the value
    assert api.get(s).json['summary'] is None
    api.patch(s, {'summary': 'En forælder klagede over behandlingen af en urigtig oplysning.'})
    api.post(s + '/@workflow/submit', {}, status=200)
    refused = api.post(s + '/@workflow/issue', {}, status=409).json['error']['message']
    assert refused.startswith('Udfyld først: «Retssikkerheden er genoprettet»')
    no_finding = api.post(
        s + '/@workflow/issue',
        {
            'fields': {
                'restored': 'partly',
                'criticism_grade': 'criticism',
                'issued_on': '2024-12-10',
            }
        },
        status=409,
    ).json['error']['message']
    assert 'kritikpunkt' in no_finding
    assert api.get(s).json['restored'] is None  # the refused step kept none of its facts
    errors = api.post(
        s, {'@type': 'finding', 'title': 'For sen berigtigelse', 'criticism': 'x'}, status=400
    ).json['error']['errors']
    assert [e['field'] for e in errors] == ['legal_basis']
    api.post(
        s,
        {
            '@type': 'finding',
            'title': 'For sen berigtigelse',
            'legal_basis': 'gdpr_16',
            'criticism': 'Oplysningen stod i tre år.',
        },
    )
    api.post(
        s + '/@workflow/issue',
        {
            'fields': {
                'legal_protection_violated': True,
                'restored': 'partly',
                'criticism_grade': 'criticism',
                'issued_on': '2024-12-10',
            }
        },
        status=200,
    )
    api.patch(s, {'title': 'Ændret'}, status=403)  # an issued statement is read-only
    api.post(
        s,
        {'@type': 'finding', 'title': 'Mere', 'legal_basis': 'fvl_19', 'criticism': 'y'},
        status=403,
    )
    api.post(s + '/@workflow/follow_up', {}, status=200)
    api.post(s + '/@workflow/close', {}, status=200)


def test_recommendations_are_followed_up_and_overdue_across_month_ends(api, testapp):
    case = case_with(api)
    r = api.post(
        case,
        {
            '@type': 'recommendation',
            'title': 'Skriftlige samtykker til videregivelse',
            'centre': 'cbf',
            'follow_up_on': '2025-01-31',
        },
    ).json['@id']
    api.post(r + '/@workflow/send', {}, status=200)
    due = {d['@id']: d for d in api.get('/@deadlines', kind='recommendation').json['items']}
    assert due[r]['date'] == '2025-01-31' and due[r]['overdue'] is True
    api.post(r + '/@workflow/record_followed', {}, status=409)  # the centre's answer first
    api.post(
        r + '/@workflow/record_followed',
        {
            'fields': {
                'answered_on': '2025-02-03',
                'answer': 'Centret indfører skriftlige samtykker.',
            }
        },
        status=200,
    )
    assert api.get('/@deadlines', kind='recommendation').json['items'] == []
    errors = api.post(
        r + '/@workflow/verify', {'fields': {'verified_on': '2025-03-01'}}, status=400
    ).json['error']['errors']
    assert [e['field'] for e in errors] == ['verification']
    api.post(
        r + '/@workflow/verify',
        {'fields': {'verified_on': '2025-03-01', 'verification': 'Stikprøve af fem sager.'}},
        status=200,
    )
    api.post(r + '/@workflow/close', {}, status=200)


@pytest.mark.parametrize(
    'received, resolved, group',
    [
        ('2024-10-01', '2024-10-01', 'same_day'),
        ('2024-10-01', '2024-10-08', 'within_week'),
        ('2024-10-01', '2024-10-09', 'within_month'),
        ('2024-01-31', '2024-02-29', 'within_month'),  # one calendar month, leap year
        ('2024-01-31', '2024-03-01', 'longer'),
        ('2024-10-01', None, None),
    ],
)
def test_processing_time_falls_in_the_reports_groups(api, received, resolved, group):
    case = api.get(case_with(api, received=received, resolved=resolved)).json
    assert case['processing_group'] == group
    assert case['deadline'] == (date.fromisoformat(received) + timedelta(days=30)).isoformat()


def test_a_case_past_the_advisors_deadline_asks_for_a_delay_notice(wsgi_app, api):
    case = case_with(api, received='2024-10-01', next_contact='2024-12-01')
    browser = login_browser(TestApp(wsgi_app), 'rita')
    page = browser.get(case)
    assert 'svartid' in visible_text(page) or 'fristen' in visible_text(page)
    before = copenhagen_today()
    browser.post(case + '/delay-notice', {'csrf_token': csrf_of(page)}, status=303)
    after = api.get(case).json
    # (midnight may pass between the two looks at the date)
    assert after['delay_notice_on'] in {before.isoformat(), copenhagen_today().isoformat()}
    assert '1. december 2024' in after['delay_notice']
    assert 'We cannot' not in visible_text(browser.get(case))
    assert [
        d for d in api.get('/@deadlines', kind='case_deadline').json['items'] if d['@id'] == case
    ] == []


def test_the_deadlines_page_puts_overdue_first_and_the_feed_parses(wsgi_app, testapp, api):
    today = copenhagen_today()
    old = case_with(api, title='Gammel sag', received='2024-10-01', next_contact='2024-12-01')
    new = case_with(
        api,
        title='Ny sag',
        received=today.isoformat(),
        next_contact=(today + timedelta(days=10)).isoformat(),
    )
    admin = api_login(testapp, 'admin')
    jens_case = admin.post(
        old,
        {
            '@type': 'question',
            'title': 'Admin spørger',
            'centre': 'cbf',
            'questions': 'x',
            'sent_on': '2024-10-02',
            'answer_due': '2024-10-16',
        },
    ).json['@id']
    items = api.get('/@deadlines').json['items']
    dates = [i['date'] for i in items]
    assert dates == sorted(dates) and items[0]['overdue'] and not items[-1]['overdue']
    assert {(i['@id'], i['kind']) for i in items} >= {
        (old, 'next_contact'),
        (new, 'next_contact'),
        (jens_case, 'question'),
    }
    mine = {i['@id'] for i in admin.get('/@deadlines', mine='1').json['items']}
    assert mine == {jens_case}
    assert 'Gammel sag' in visible_text(login_browser(TestApp(wsgi_app), 'rita').get('/deadlines'))
    # the calendar feed: a personal token in the address, no login needed
    url = api.post('/@deadlines-feed', {}, status=200).json['url']
    anonymous = TestApp(wsgi_app)
    feed = anonymous.get(local(url))
    calendar = icalendar.Calendar.from_ical(feed.body)
    events = [e for e in calendar.walk('VEVENT')]
    assert any(
        str(e['summary']).startswith('Næste kontakt med borgeren: Gammel sag') for e in events
    )
    assert all('Mette' not in str(e['summary']) for e in events)
    assert {e.decoded('dtstart') for e in events} >= {date(2024, 12, 1)}
    anonymous.get('/@deadlines.ics', status=(401, 403))
    anonymous.get('/@deadlines.ics?feed=wrong', status=(401, 403))
    # a new password ends the feed's token
    from tests.conftest import PASSWORD

    api.post(
        '/@password',
        {'old_password': PASSWORD, 'new_password': 'En helt ny og lang adgangsfrase 2026'},
        status=200,
    )
    anonymous.get(local(url), status=(401, 403))


def test_an_administrator_adds_a_theme_and_cases_can_use_it(testapp, api):
    admin = api_login(testapp, 'admin')
    case = case_with(api)
    errors = api.patch(case, {'themes': ['involvement']}, status=400).json['error']['errors']
    assert [e['field'] for e in errors] == ['themes']
    api.post(
        '/@choices',
        {'type': 'case', 'field': 'themes', 'value': 'involvement', 'title_da': 'Inddrag borgeren'},
        status=403,
    )
    admin.post(
        '/@choices',
        {
            'type': 'case',
            'field': 'themes',
            'value': 'involvement',
            'title_da': 'Inddrag borgeren',
            'title_en': 'Involve the citizen',
        },
    )
    admin.post(
        '/@choices',
        {'type': 'case', 'field': 'themes', 'value': 'involvement', 'title_da': 'Igen'},
        status=400,
    )
    admin.post(
        '/@choices',
        {'type': 'case', 'field': 'channel', 'value': 'fax', 'title_da': 'Fax'},
        status=400,
    )  # not an extensible field
    api.patch(case, {'themes': ['involvement', 'process_overview']})
    assert api.get(case).json['themes'] == ['involvement', 'process_overview']
    themes = [f for f in api.get('/@choices').json['items'] if f['field'] == 'themes'][0]
    assert {'value': 'involvement', 'title': 'Inddrag borgeren'} in themes['choices']
    schema = api.get('/@types/case').json
    assert 'involvement' in schema['properties']['themes']['items']['enum']
