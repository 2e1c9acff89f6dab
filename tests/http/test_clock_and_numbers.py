"""One clock and one number label: the web app's clock (a fixture the tests
move) is the today that deadlines, rules and pages use, in Copenhagen; a
numbered object is called by its type's label everywhere."""

from datetime import UTC, date, datetime

from webtest import TestApp

from tests.conftest import api_login, login_browser, visible_text


def _request(api, received):
    return api.post(
        '/berigtigelser',
        {
            '@type': 'rectification',
            'title': 'Forkert oplysning om dom for vold',
            'received': received.isoformat(),
            'channel': 'letter',
            'requester': 'citizen',
            'centres': ['cbf'],
            'data_subject': 'Mette Lind Sørensen',
        },
    ).json


def test_moving_the_clock_makes_a_deadline_overdue_through_http(testapp, clock):
    api = api_login(testapp, 'jens')
    url = _request(api, clock.today())['@id'].split('localhost', 1)[1]
    assert api.get(url).json['deadline'] == 'open'
    due = date.fromisoformat(api.get(url).json['due'])
    clock.advance(days=(due - clock.today()).days)
    api = api_login(testapp, 'jens')  # the old token has expired by the moved clock
    assert api.get(url).json['deadline'] == 'due_soon'  # the due day itself is in time
    clock.advance(days=1)
    api = api_login(testapp, 'jens')
    assert api.get(url).json['deadline'] == 'overdue'


def test_today_is_copenhagens_by_the_apps_clock(testapp, clock):
    clock.set(datetime(2030, 1, 1, 22, 30, tzinfo=UTC))  # 23:30 in Copenhagen
    api = api_login(testapp, 'rita')
    assert api.get('/@deadlines').json['today'] == '2030-01-01'
    clock.advance(minutes=45)  # 00:15 on 2 January in Copenhagen, still 1 January in UTC
    assert api.get('/@deadlines').json['today'] == '2030-01-02'
    # the schema's "not in the future" check asks the same clock
    assert _request(api, date(2030, 1, 2))['received'] == '2030-01-02'
    refused = api.post(
        '/berigtigelser',
        {
            '@type': 'rectification',
            'title': 'Dagen efter i morgen',
            'received': '2030-01-03',
            'channel': 'letter',
            'requester': 'citizen',
            'centres': ['cbf'],
            'data_subject': 'Mette Lind Sørensen',
        },
        status=400,
    )
    assert [e['field'] for e in refused.json['error']['errors']] == ['received']


def test_rules_and_guards_get_today_from_the_services_clock(wsgi_app, clock):
    from tests.conftest import db_of, system_services

    clock.set(datetime(2031, 6, 30, 22, 5, tzinfo=UTC))  # 1 July in Copenhagen
    with db_of(wsgi_app).transaction() as conn:
        core = system_services(conn, wsgi_app).core
        info = core.type_info('rectification')
        assert core.rule_context(info, core.site).today == date(2031, 7, 1)
        assert core.guard_context().today == date(2031, 7, 1)


def test_creating_a_request_flashes_its_br_number(wsgi_app):
    browser = login_browser(TestApp(wsgi_app), 'rita')
    form = browser.get('/berigtigelser/add?type=rectification').forms['content-form']
    for name, value in {
        'title': 'Forkert adresse',
        'received': '2026-11-02',
        'channel': 'email',
        'requester': 'citizen',
        'data_subject': 'Borger B',
    }.items():
        form[name] = value
    page = form.submit('save', status=303).follow()
    text = visible_text(page)
    assert 'Anmodning om berigtigelse BR-2026-0001” er oprettet' in text, text[:400]
    assert '1/2026' not in text


def test_number_text_uses_the_types_label(wsgi_app):
    from tracker.model import Content
    from tracker.model.numbering import number_text

    types = wsgi_app.registry.tracker_types
    request, case = Content('rectification'), Content('case')
    request.number = case.number = (17, 2024)
    assert number_text(request, types) == 'BR-2024-0017'
    assert number_text(case, types) == '17/2024'
    assert number_text(Content('folder'), types) == ''
