"""Rectification tracking through the HTTP API: the Udtalelse 2 case replayed
end to end, and the mistakes the product must refuse with a clear error and
without changing anything."""

import base64
import csv
import io
from datetime import timedelta

import pytest
from webtest import TestApp

from tests.conftest import add_user, api_login, copenhagen_today, login_browser, visible_text
from tests.files import make_docx

SCENARIO_RECIPIENTS = [
    ('Familieretshuset', 'authority', 'digital_post'),
    ('Ankestyrelsen', 'authority', 'digital_post'),
    ('Opholdsstedet Lærkehøj', 'placement', 'secure_email'),
    ('Skolen ved Søen, PPR', 'school', 'secure_email'),
    ('Børne- og Ungdomspsykiatrisk Center', 'health', 'secure_email'),
    ('Københavns Vestegns Politi', 'police', 'digital_post'),
]
WRONG = 'Moderen er dømt for vold mod Emil.'
CORRECT = 'Moderen er ikke dømt for vold. Der er hverken rejst sigtelse eller tiltale mod hende.'


def local(url):
    return url.replace('http://localhost', '')


def upload(text, name):
    return {'filename': name, 'data': base64.b64encode(make_docx(text)).decode()}


@pytest.fixture
def karin(wsgi_app, testapp):
    add_user(wsgi_app, 'karin', ['jurist'])
    return api_login(testapp, 'karin')


@pytest.fixture
def jens(testapp):
    return api_login(testapp, 'jens')


def build_case(api, new_case):
    """The case, the registry, four documents and seven disclosures over three years."""
    case = api.post('/sager', new_case).json['@id']
    recipients = {
        name: local(
            api.post(
                '/modtagere',
                {'@type': 'recipient', 'title': name, 'kind': kind, 'channel': channel},
            ).json['@id']
        )
        for name, kind, channel in SCENARIO_RECIPIENTS
    }
    docs = {}
    for key, title, dated, wrong in (
        ('D1', 'Børnefaglig undersøgelse (Emil)', '2021-09-14', True),
        ('D2', 'Indstilling til Børn og Unge-udvalget', '2021-11-02', True),
        ('D3', 'Barnets plan (Emil og Ida)', '2022-03-21', True),
        ('D4', 'Statusrapport fra opholdsstedet', '2023-06-30', False),
    ):
        text = f'Oplysninger om familien: {WRONG}' if wrong else 'Barnet trives.'
        docs[key] = api.post(
            case,
            {
                '@type': 'document',
                'title': title,
                'document_date': dated,
                'direction': 'internal',
                'file': upload(text, f'{key}.docx'),
            },
        ).json['@id']
    for key, to, on, basis in (
        ('D1', 'Familieretshuset', '2021-10-05', 'forvaltningsloven § 28, stk. 2'),
        ('D2', 'Ankestyrelsen', '2022-01-18', 'klagesag'),
        ('D1', 'Opholdsstedet Lærkehøj', '2021-12-01', 'anbringelsen'),
        ('D3', 'Skolen ved Søen, PPR', '2022-04-04', 'samtykke 2022-03-28'),
        ('D3', 'Børne- og Ungdomspsykiatrisk Center', '2023-02-13', 'samtykke 2023-02-01'),
        ('D1', 'Københavns Vestegns Politi', '2022-08-22', 'underretning'),
        ('D4', 'Ankestyrelsen', '2023-07-10', 'klagesag'),
    ):
        api.post(
            case,
            {
                '@type': 'disclosure',
                'title': f'{key} til {to}',
                'recipient': recipients[to],
                'document': local(docs[key]),
                'disclosed_on': on,
                'channel': 'digital_post',
                'legal_basis': basis,
            },
        )
    return case, recipients, docs


def new_request(api, container, **extra):
    return api.post(
        container,
        dict(
            {
                '@type': 'rectification',
                'title': 'Forkert oplysning om dom for vold',
                'received': '2024-10-14',
                'channel': 'letter',
                'requester': 'citizen',
                'centres': ['cbf'],
                'data_subject': 'Mette Lind Sørensen',
            },
            **extra,
        ),
    ).json


def item(api, request_url, doc_url, title):
    return api.post(
        request_url,
        {
            '@type': 'contested_item',
            'title': title,
            'document': local(doc_url),
            'passage': 'Afsnittet "Familiens forhold"',
            'wrong_statement': WRONG,
            'correct_statement': CORRECT,
            'how_arose': 'En underretning om en verserende politisag blev noteret som en dom.',
        },
    ).json['@id']


def receipt(name):
    return {'filename': name, 'data': base64.b64encode(f'Kvittering {name}'.encode()).decode()}


def test_udtalelse_2_end_to_end(testapp, api, jens, karin, new_case):
    case, recipients, docs = build_case(api, new_case)
    request = new_request(
        api,
        case,
        identity_method='mitid',
        identity_checked_on='2024-10-15',
        identity_checked_by='rita',
    )
    url = request['@id']
    assert request['number'] == 'BR-2024-0001'
    assert request['due'] == '2024-11-14'  # one calendar month after receipt
    items = {key: item(api, url, docs[key], f'Dom for vold ({key})') for key in ('D1', 'D2', 'D3')}
    api.post(url + '/@workflow/assess', {}, status=200)
    api.patch(url, {'restricted_from': '2024-10-15'})
    assert api.get(url).json['restricted'] is True

    # D1 refused on unfavourable information: a hearing is needed first
    refusal = {
        'decision': 'refused',
        'decided_on': '2024-10-28',
        'unfavourable': True,
        'reasons': 'Faglig vurdering.',
    }
    errors = api.patch(items['D1'], refusal, status=400).json['error']['errors']
    assert [e['field'] for e in errors] == ['hearing_on']
    api.patch(items['D1'], dict(refusal, hearing_on='2024-10-24'))
    for key in ('D2', 'D3'):
        api.patch(items[key], {'decision': 'rectified', 'decided_on': '2024-10-28'})
    api.patch(url, {'answered_on': '2024-10-28'})
    api.post(url + '/@workflow/decide', {}, status=200)
    # while D1 stands refused, its recipients are not derived
    names = {r['name'] for r in api.get(url + '/@completeness').json['recipients']}
    assert names == {'Ankestyrelsen', 'Skolen ved Søen, PPR', 'Børne- og Ungdomspsykiatrisk Center'}

    # reconsidered: D1 granted; the refusal stays on record as a version
    api.post(url + '/@workflow/reconsider', {'comment': 'Borgerrådgiverens spørgsmål'}, status=200)
    api.patch(
        items['D1'],
        {
            'decision': 'rectified',
            'decided_on': '2024-12-03',
            'hearing_on': None,
            'unfavourable': False,
        },
    )
    assert api.get(items['D1']).json['version'] == 3
    changes = {
        c['field']: (c['a'], c['b'])
        for c in api.get(items['D1'] + '/@versions', a=2, b=3).json['compare']['changes']
    }
    assert changes['decision'] == ('refused', 'rectified')
    api.post(url + '/@workflow/decide', {}, status=200)
    # the corrected assessment is version 2, caused by this request
    api.patch(
        docs['D1'],
        {
            'file': upload(f'RETTELSE: {CORRECT}', 'D1-rettet.docx'),
            '@reason': 'Berigtiget',
            '@caused_by': local(url),
        },
    )

    # lifting the restriction needs the notice to the citizen first
    errors = api.patch(url, {'restriction_lifted_on': '2024-12-05'}, status=400).json['error'][
        'errors'
    ]
    assert [e['field'] for e in errors] == ['lift_notice_on']
    assert api.get(url).json['restricted'] is True  # nothing changed
    api.patch(url, {'restriction_lifted_on': '2024-12-05', 'lift_notice_on': '2024-12-03'})
    assert api.get(url).json['restricted'] is False

    api.post(url + '/@workflow/notify', {}, status=200)
    created = api.post(url + '/@derive-notifications').json['items']
    assert len(created) == 6
    report = api.get(url + '/@completeness').json
    rows = {r['name']: r for r in report['recipients']}
    assert set(rows) == {name for name, _k, _c in SCENARIO_RECIPIENTS}
    assert all(r['origin'] == 'derived' for r in rows.values())
    # Ankestyrelsen got the wrong D2 and the correct D4: only D2 makes it a recipient
    assert [d['disclosed_on'] for d in rows['Ankestyrelsen']['disclosures']] == ['2022-01-18']
    assert not report['complete']
    notes = {r['name']: r['notification']['@id'] for r in report['recipients']}

    sent = {
        'Familieretshuset': ('2024-12-04', '2024-12-09'),
        'Ankestyrelsen': ('2024-12-04', '2024-12-12'),
        'Opholdsstedet Lærkehøj': ('2024-12-04', '2024-12-05'),
        'Skolen ved Søen, PPR': ('2024-12-05', '2024-12-16'),
        'Børne- og Ungdomspsykiatrisk Center': ('2024-12-05', None),
    }
    for name, (sent_on, acknowledged_on) in sent.items():
        api.post(
            notes[name] + '/@workflow/send',
            {
                'fields': {
                    'sent_on': sent_on,
                    'channel': 'digital_post',
                    'sent_evidence': receipt(f'{name}.pdf'),
                }
            },
            status=200,
        )
        if acknowledged_on:
            api.post(
                notes[name] + '/@workflow/acknowledge',
                {
                    'fields': {
                        'acknowledged_on': acknowledged_on,
                        'acknowledged_evidence': receipt(f'{name}-kvittering.pdf'),
                    }
                },
                status=200,
            )

    police = notes['Københavns Vestegns Politi']
    # an exemption without a reason: a clear error, nothing changed
    errors = api.post(
        police + '/@workflow/exempt', {'fields': {'exemption': 'impossible'}}, status=400
    ).json['error']['errors']
    assert [e['field'] for e in errors] == ['exemption_explanation']
    api.post(police + '/@workflow/exempt', {}, status=409)
    police_now = api.get(police).json
    assert police_now['review_state'] == 'identified' and police_now['exemption'] is None

    api.post(url + '/@workflow/submit', {}, status=200)  # jens prepared it
    # (rita's token submitted; the preparer is whoever submits)
    refused = karin.post(url + '/@workflow/approve', {}, status=409).json['error']['message']
    assert 'Københavns Vestegns Politi' in refused
    assert api.get(url).json['review_state'] == 'awaiting_approval'

    karin.post(url + '/@workflow/send_back', {'comment': 'Politiet mangler'}, status=200)
    api.post(
        police + '/@workflow/exempt',
        {
            'fields': {
                'exemption': 'impossible',
                'exemption_explanation': 'Politiets sag er afsluttet og materialet returneret.',
            }
        },
        status=200,
    )
    jens.post(url + '/@workflow/submit', {}, status=200)
    four_eyes = jens.post(url + '/@workflow/approve', {}, status=409).json['error']['message']
    assert 'jurist' in four_eyes.lower()
    assert api.get(url).json['review_state'] == 'awaiting_approval'
    karin.post(url + '/@workflow/approve', {}, status=200)
    assert api.get(url).json['review_state'] == 'closed'

    final = api.get(url + '/@completeness').json
    assert final['complete'] and final['gaps'] == []
    by_name = {r['name']: r for r in final['recipients']}
    assert len(by_name) == 6 and all(r['accounted'] for r in by_name.values())
    for name, (sent_on, acknowledged_on) in sent.items():
        n = by_name[name]['notification']
        assert (n['sent_on'], n['acknowledged_on'], n['sent_evidence']) == (
            sent_on,
            acknowledged_on,
            True,
        )
    assert by_name['Københavns Vestegns Politi']['notification']['exemption'] == 'impossible'
    assert final['deadline']['due'] == '2024-11-14' and final['deadline']['state'] == 'done'

    # the timeline tells it in order, with the dated facts
    timeline = api.get(url + '/@timeline').json['items']
    whens = [e['when'][:10] for e in timeline]
    assert whens == sorted(whens)
    assert whens[0] == '2024-10-14' and timeline[0]['what'] == 'Modtaget'
    assert any(
        e['kind'] == 'transition' and e['what'] == 'Godkend (fire øjne)' and e['actor'] == 'karin'
        for e in timeline
    )

    timeline_page = visible_text(TestApp(testapp.app).get(url + '/timeline', headers=api.headers))
    assert 'Godkend (fire øjne) → Afsluttet (karin)' in timeline_page
    # the document page shows the rectification note, the wrong passage struck through
    browser = login_browser(TestApp(testapp.app), 'rita')
    page = browser.get(docs['D1'])
    assert f'<del>{WRONG}</del>' in page.text
    assert 'er forkert og må ikke anvendes' in visible_text(page)
    assert local(url) + '/' in page.text
    assert f'<del>{WRONG}</del>' in browser.get(items['D2']).text
    listing = visible_text(browser.get(case))
    assert listing.count('Berigtiget: se noten') == 3  # D1, D2, D3 carry marks; D4 not


def test_refusals_need_reasons_complaint_guidance_and_supplements_a_statement(api, new_case):
    case, _recipients, docs = build_case(api, new_case)
    url = new_request(api, case)['@id']
    item_url = item(api, url, docs['D1'], 'Dom for vold')
    before = api.get(item_url).json
    for change, field in (
        ({'decision': 'refused', 'decided_on': '2024-10-28'}, 'reasons'),
        (
            {
                'decision': 'refused',
                'decided_on': '2024-10-28',
                'reasons': 'x',
                'complaint_guidance': None,
            },
            'complaint_guidance',
        ),
        ({'decision': 'supplemented', 'decided_on': '2024-10-28'}, 'citizen_statement'),
        ({'decision': 'rectified'}, 'decided_on'),
    ):
        errors = api.patch(item_url, change, status=400).json['error']['errors']
        assert [e['field'] for e in errors] == [field], change
    after = api.get(item_url).json
    assert after['version'] == before['version'] == 1 and after['decision'] is None


def test_an_extension_only_within_the_first_month_with_notice_and_only_once(api, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case, received='2024-01-31')['@id']
    assert api.get(url).json['due'] == '2024-02-29'  # leap year: end of February
    late = {
        'extension_months': 2,
        'extension_decided_on': '2024-03-01',
        'extension_reason': 'Sagen er omfattende.',
        'extension_notice_on': '2024-03-01',
    }
    message = api.patch(url, late, status=400).json['error']['message']
    assert 'for sent' in message
    no_notice = dict(late, extension_decided_on='2024-02-20', extension_notice_on=None)
    assert (
        'underretning' in api.patch(url, no_notice, status=400).json['error']['message']
        or 'besked' in api.patch(url, no_notice, status=400).json['error']['message']
    )
    three = dict(
        late,
        extension_months=3,
        extension_decided_on='2024-02-20',
        extension_notice_on='2024-02-20',
    )
    api.patch(url, three, status=400)
    assert api.get(url).json['due'] == '2024-02-29'  # none of that changed anything
    api.patch(url, dict(three, extension_months=2))
    assert api.get(url).json['due'] == '2024-04-30'  # counted from receipt: 31 Jan + 3 months
    again = api.patch(url, {'extension_months': 1}, status=400).json['error']['message']
    assert 'kun forlænges én gang' in again


def test_a_hand_added_recipient_is_marked_and_one_notification_per_recipient(api, new_case):
    case, recipients, docs = build_case(api, new_case)
    url = new_request(api, case)['@id']
    item(api, url, docs['D4'], 'Forkert i statusrapporten')  # D4 went to Ankestyrelsen only
    extra = local(
        api.post(
            '/modtagere',
            {
                '@type': 'recipient',
                'title': 'Statsforvaltningen',
                'kind': 'authority',
                'channel': 'letter',
            },
        ).json['@id']
    )
    by_hand = api.post(url, {'@type': 'notification', 'recipient': extra}).json
    assert by_hand['origin'] == 'manual' and by_hand['title'] == 'Statsforvaltningen'
    derived = api.post(
        url, {'@type': 'notification', 'recipient': recipients['Ankestyrelsen']}
    ).json
    assert derived['origin'] == 'derived'
    errors = api.post(url, {'@type': 'notification', 'recipient': extra}, status=400).json['error'][
        'errors'
    ]
    assert [e['field'] for e in errors] == ['recipient']
    # the system sets origin and title; a client cannot
    api.post(
        url,
        {'@type': 'notification', 'recipient': recipients['Familieretshuset'], 'origin': 'derived'},
        status=400,
    )
    rows = {r['name']: r['origin'] for r in api.get(url + '/@completeness').json['recipients']}
    assert rows == {'Ankestyrelsen': 'derived', 'Statsforvaltningen': 'manual'}
    assert len(api.get(url).json['items']) == 3  # the item and two notifications: nothing else


def test_approval_refused_for_the_preparer_and_for_non_jurists(api, jens, karin, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case, answered_on='2024-10-20')['@id']
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
    for step in ('assess', 'decide'):
        api.post(url + f'/@workflow/{step}', {}, status=200)
    jens.post(url + '/@workflow/submit', {}, status=200)
    api.post(url + '/@workflow/approve', {}, status=403)  # an advisor is no approver
    message = jens.post(url + '/@workflow/approve', {}, status=409).json['error']['message']
    assert 'fire øjne' in message.lower() or 'four eyes' in message.lower()
    workflow = karin.get(url + '/@workflow').json
    assert [t['available'] for t in workflow['transitions'] if t['name'] == 'approve'] == [True]
    karin.post(url + '/@workflow/approve', {}, status=200)


def test_a_missed_deadline_is_a_gap_until_explained(api, new_case):
    case = api.post('/sager', new_case).json['@id']
    url = new_request(api, case, answered_on='2024-12-01')['@id']
    gaps = api.get(url + '/@completeness').json['gaps']
    assert any(g['kind'] == 'deadline' and '14. november 2024' in g['message'] for g in gaps)
    api.patch(url, {'late_explanation': 'Sagen krævede indhentning af politiets akter.'})
    assert not [g for g in api.get(url + '/@completeness').json['gaps'] if g['kind'] == 'deadline']


def test_a_disclosure_on_consent_must_fall_within_it(api, new_case):
    case, recipients, docs = build_case(api, new_case)
    consent = api.post(
        case,
        {
            '@type': 'consent',
            'title': 'Samtykke til PPR',
            'given_by': 'Mette',
            'scope': 'Barnets plan til PPR',
            'given_on': '2022-03-28',
            'withdrawn_on': '2023-01-01',
        },
    ).json['@id']
    base = {
        '@type': 'disclosure',
        'title': 'Planen til PPR',
        'recipient': recipients['Skolen ved Søen, PPR'],
        'document': local(docs['D3']),
        'channel': 'secure_email',
        'consent': local(consent),
    }
    api.post(case, dict(base, disclosed_on='2022-04-04'))
    errors = api.post(case, dict(base, disclosed_on='2023-02-13'), status=400).json['error'][
        'errors'
    ]
    assert [e['field'] for e in errors] == ['consent']
    errors = api.post(case, dict(base, consent=None, disclosed_on='2023-02-13'), status=400).json[
        'error'
    ]['errors']
    assert [e['field'] for e in errors] == ['legal_basis']


def test_the_dashboard_lists_open_requests_with_gaps_filters_and_exports(testapp, api, new_case):
    case, recipients, docs = build_case(api, new_case)
    first = new_request(api, case)['@id']
    item(api, first, docs['D1'], 'Dom for vold')
    # received five days ago: open, neither due soon nor overdue, whatever today is
    received = copenhagen_today() - timedelta(days=5)
    second = new_request(
        api,
        '/berigtigelser',
        title='Forkert adresse',
        centres=['bs'],
        received=received.isoformat(),
    )['@id']
    board = api.get('/@dashboard').json
    assert board['items_total'] == 2
    assert [i['@id'] for i in board['items']] == [first, second]  # by due date
    row = board['items'][0]
    assert row['deadline'] == 'overdue' and any(
        'ingen beslutning' in g.lower() or 'afgørelse' in g.lower() for g in row['gaps']
    )
    assert board['counts']['overdue'] == 1 and board['counts']['due_soon'] == 0
    assert [i['@id'] for i in api.get('/@dashboard', centre='bs').json['items']] == [second]
    assert api.get('/@dashboard', centre='nope', status=400)
    assert [i['@id'] for i in api.get('/@dashboard', min_age_days='30').json['items']] == [first]
    # a caseworker sees only what is shared with them
    cw = api_login(testapp, 'cw')
    assert cw.get('/@dashboard').json['items_total'] == 0
    browser = login_browser(TestApp(testapp.app), 'jens')
    exported = browser.get('/dashboard.csv')
    assert exported.content_type == 'text/csv'
    rows = list(csv.reader(io.StringIO(exported.body.decode('utf-8-sig')), delimiter=';'))
    assert rows[0][0] == 'Nummer' and [r[0] for r in rows[1:]] == [
        'BR-2024-0001',
        f'BR-{received.year}-0001',
    ]
    page = visible_text(browser.get('/dashboard'))
    assert 'Forkert adresse' in page and 'Overskredet' in page
    case_page = visible_text(browser.get(case))
    assert 'Forkert oplysning om dom for vold' in case_page and 'Overskredet' in case_page
    assert api.get(first).json['deadline'] == 'overdue'
    request_page = visible_text(browser.get(first))
    assert 'Mangler' in request_page and '"Dom for vold": ingen afgørelse' in request_page
    assert 'Familieretshuset' in request_page and 'Fundet i videregivelsesloggen' in request_page
    assert 'Tidslinje' in request_page


def test_an_advisor_records_a_request_and_a_notification_step_in_the_browser(
    wsgi_app, api, new_case
):
    """The forms: computed fields are shown, not asked; a rule's error is
    shown next to its field; a notification step with a missing fact is
    refused with the guard's reason."""
    browser = login_browser(TestApp(wsgi_app), 'rita')
    form = browser.get('/berigtigelser/add?type=rectification').forms['content-form']
    assert 'due' not in form.fields and 'gap_count' not in form.fields
    for name, value in {
        'title': 'Forkert adresse',
        'received': '2026-11-02',
        'channel': 'email',
        'requester': 'representative',
        'data_subject': 'Borger B',
    }.items():
        form[name] = value
    refused = form.submit('save', status=400)
    assert 'Angiv partsrepræsentanten' in refused.text
    form = refused.forms['content-form']
    form['representative'] = 'Advokat A'
    form['power_of_attorney_on'] = '2026-11-02'
    page = form.submit('save', status=303).follow()
    assert 'BR-2026-0001' in page.text and '2. december 2026' in visible_text(page)  # the due date
    court = api.post(
        '/modtagere',
        {
            '@type': 'recipient',
            'title': 'Familieretshuset',
            'kind': 'authority',
            'channel': 'digital_post',
        },
    ).json['@id']
    note = api.post(
        '/berigtigelser/br-2026-0001', {'@type': 'notification', 'recipient': local(court)}
    ).json['@id']
    page = browser.get(note)
    assert 'Tilføjet manuelt' in visible_text(page)
    # the step's button is disabled with the reason beside it; forcing it changes nothing
    assert 'Udfyld først: «Sendt den», «Kanal».' in visible_text(page)
    from tests.conftest import csrf_of

    browser.post(
        note + '/workflow', {'transition': 'send', 'csrf_token': csrf_of(page)}, status=(303, 409)
    )
    assert api.get(note).json['review_state'] == 'identified'


def test_a_disclosure_of_the_corrected_version_derives_no_recipient(api, new_case):
    """Version 1 carries the wrong passage; the request's correction is
    version 2. Who got version 1 must be told; who got version 2 got it right."""
    case, recipients, docs = build_case(api, new_case)
    url = new_request(api, case)['@id']
    item(api, url, docs['D4'], 'Fejl i statusrapporten')
    api.patch(
        docs['D4'],
        {
            'file': upload('Rettet statusrapport.', 'D4-rettet.docx'),
            '@reason': 'Berigtiget',
            '@caused_by': local(url),
        },
    )
    later = local(
        api.post(
            '/modtagere',
            {
                '@type': 'recipient',
                'title': 'Statsforvaltningen',
                'kind': 'authority',
                'channel': 'letter',
            },
        ).json['@id']
    )
    api.post(
        case,
        {
            '@type': 'disclosure',
            'title': 'Rettet rapport',
            'recipient': later,
            'document': local(docs['D4']),
            'disclosed_on': '2024-12-20',
            'channel': 'letter',
            'legal_basis': 'klagesag',
        },
    )
    api.post(
        case,
        {
            '@type': 'disclosure',
            'title': 'Gammel rapport',
            'recipient': recipients['Skolen ved Søen, PPR'],
            'document': local(docs['D4']),
            'document_version': 1,
            'disclosed_on': '2024-12-21',
            'channel': 'letter',
            'legal_basis': 'klagesag',
        },
    )
    names = {r['name'] for r in api.get(url + '/@completeness').json['recipients']}
    assert names == {'Ankestyrelsen', 'Skolen ved Søen, PPR'}  # version 1's recipients only
