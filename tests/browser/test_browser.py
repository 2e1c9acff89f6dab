"""The web interface in a real browser: Playwright drives Debian's Chromium
against the app served by waitress on 127.0.0.1. An advisor records a case,
a disclosure and a rectification request, notifies the recipient with an
evidence upload and sees the gaps close; a jurist submits, a second jurist
approves and downloads the completion letter. axe-core (from the npm
registry, `make axe`) checks the main pages for serious or critical
accessibility violations.

Skipped locally when Chromium, Playwright or axe-core is missing; under CI
their absence fails the run."""

from pathlib import Path

import pytest

from tests.conftest import PASSWORD, PROJECT, add_user, close_app, in_ci, make_app
from tests.files import make_docx

CHROMIUM = Path('/usr/bin/chromium')
AXE = PROJECT / '.cache' / 'node_modules' / 'axe-core' / 'axe.min.js'
TIMEOUT_MS = 120_000
FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]


def _missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'Playwright (pip) is not installed'
    if not CHROMIUM.exists():
        return f'{CHROMIUM} is missing (apt-get install chromium)'
    if not AXE.exists():
        return f'{AXE} is missing (make axe)'
    return None


@pytest.fixture(scope='module')
def browser():
    missing = _missing()
    if missing:
        if in_ci():
            pytest.fail(f'browser tests cannot run in CI: {missing}')
        pytest.skip(f'{missing} (skipped locally only: under CI this fails)')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path):
    """The app over a file storage, served by waitress on 127.0.0.1."""
    from webtest.http import StopableWSGIServer

    app = make_app(**{'zodbconn.uri': f'file://{tmp_path}/Data.fs'})
    add_user(app, 'rita', ['advisor'])
    add_user(app, 'jens', ['jurist'])
    add_user(app, 'karin', ['jurist'])
    # waitress listens before create() returns: nothing to wait for
    server = StopableWSGIServer.create(app, host='127.0.0.1', port=0, threads=4)
    yield f'http://127.0.0.1:{server.effective_port}'
    server.shutdown()
    close_app(app)


def session(browser, base, login):
    # bypass_csp only so the test can inject axe-core; the app's own pages never
    # need it (no inline script), and the CSP header itself is tested elsewhere
    context = browser.new_context(
        base_url=base, bypass_csp=True, locale='da-DK', accept_downloads=True
    )
    # a generous bound, not a pause: on a busy machine a page may take long
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto('/login')
    page.fill('[name=login]', login)
    page.fill('[name=password]', PASSWORD)
    click_through(page, page.locator('button[type=submit]'))
    assert '/login' not in page.url, page.content()[:500]
    return page


def click_through(page, control):
    """Click a link or a form's button and wait for the page it leads to.
    (Waiting for "load" after the click returns at once: the old page stays
    loaded until the server's answer arrives, later on a busy machine.)"""
    with page.expect_navigation():
        control.click()


def save(page):
    click_through(page, page.locator('#content-form button[type=submit]'))


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate('async () => await axe.run(document, {resultTypes: ["violations"]})')
    return [
        (v['id'], v['impact'], [n['target'] for n in v['nodes']][:3])
        for v in result['violations']
        if v['impact'] in ('serious', 'critical')
    ]


def click_transition(page, title):
    click_through(page, page.get_by_role('button', name=title, exact=True))


def test_a_rectification_from_case_to_completion_letter_in_the_browser(browser, site, tmp_path):
    rita = session(browser, site, 'rita')
    checked = {}

    # the registry and a case with a document disclosed to a recipient
    rita.goto('/modtagere/add?type=recipient')
    rita.fill('[name=title]', 'Familieretshuset')
    rita.select_option('[name=kind]', 'authority')
    rita.select_option('[name=channel]', 'digital_post')
    save(rita)
    rita.goto('/sager/add?type=case')
    rita.fill('[name=title]', 'Klage over forkert oplysning')
    rita.fill('[name=received]', '2026-11-02')
    rita.select_option('[name=channel]', 'email')
    rita.select_option('[name=kind]', 'complaint')
    save(rita)
    case = rita.url.rstrip('/')
    assert '1/2026' in rita.inner_text('h1')
    checked['sag'] = rita.url
    rita.goto(case + '/add?type=document')
    rita.fill('[name=title]', 'Børnefaglig undersøgelse')
    rita.fill('[name=document_date]', '2026-11-02')
    rita.select_option('[name=direction]', 'internal')
    doc_file = tmp_path / 'undersoegelse.docx'
    doc_file.write_bytes(make_docx('Moderen er dømt for vold.'))
    rita.set_input_files('[name=file]', str(doc_file))
    save(rita)
    document = rita.url.rstrip('/').replace(site, '')
    rita.goto(case + '/add?type=disclosure')
    rita.fill('[name=title]', 'Undersøgelsen sendt til Familieretshuset')
    rita.fill('[name=recipient]', '/modtagere/familieretshuset')
    rita.fill('[name=document]', document)
    rita.fill('[name=disclosed_on]', '2026-11-03')
    rita.select_option('[name=channel]', 'digital_post')
    rita.fill('[name=legal_basis]', 'forvaltningsloven § 28, stk. 2')
    save(rita)

    # the request, its contested item and decision
    rita.goto(case + '/add?type=rectification')
    rita.fill('[name=title]', 'Forkert oplysning om dom')
    rita.fill('[name=received]', '2026-11-04')
    rita.select_option('[name=channel]', 'letter')
    rita.select_option('[name=requester]', 'citizen')
    rita.fill('[name=data_subject]', 'Mette Lind Sørensen')
    save(rita)
    request = rita.url.rstrip('/')
    assert 'BR-2026-0001' in rita.inner_text('h1')
    rita.goto(request + '/add?type=contested_item')
    rita.fill('[name=title]', 'Dom for vold')
    rita.fill('[name=document]', document)
    rita.fill('[name=wrong_statement]', 'Moderen er dømt for vold.')
    rita.fill('[name=correct_statement]', 'Moderen er ikke dømt for vold.')
    rita.select_option('[name=decision]', 'rectified')
    rita.fill('[name=decided_on]', '2026-11-10')
    save(rita)
    rita.goto(request + '/edit')
    rita.fill('[name=answered_on]', '2026-11-10')
    save(rita)
    for title in ('Start vurdering', 'Registrér afgørelse', 'Underret modtagere'):
        click_transition(rita, title)
    assert 'Underretter modtagere' in rita.inner_text('.state')

    # the recipient is derived from the disclosure log; the gap is named
    click_through(
        rita, rita.get_by_role('button', name='Opret underretninger til de fundne modtagere')
    )
    gaps = rita.inner_text('.gaps')
    assert 'Familieretshuset: ikke underrettet endnu' in gaps
    checked['anmodning'] = rita.url
    click_through(rita, rita.locator('a.notification-link'))
    notification = rita.url.rstrip('/')
    rita.goto(notification + '/edit')
    rita.fill('[name=sent_on]', '2026-11-12')
    rita.select_option('[name=channel]', 'digital_post')
    receipt = tmp_path / 'kvittering.pdf'
    from tests.files import make_pdf

    receipt.write_bytes(make_pdf('Kvittering fra Digital Post'))
    rita.set_input_files('[name=sent_evidence]', str(receipt))
    save(rita)
    click_transition(rita, 'Registrér afsendelse')
    rita.goto(request)
    assert 'Komplet' in rita.inner_text('.completeness')

    # four eyes: jens submits, karin approves and issues the completion letter
    jens = session(browser, site, 'jens')
    jens.goto(request)
    click_transition(jens, 'Send til godkendelse')
    assert jens.get_by_role('button', name='Godkend (fire øjne)').is_disabled()
    assert 'Fire øjne' in jens.inner_text('.workflow')
    karin = session(browser, site, 'karin')
    karin.goto(request)
    click_transition(karin, 'Godkend (fire øjne)')
    assert 'Afsluttet' in karin.inner_text('.state')
    click_through(karin, karin.locator('nav.tabs >> text=Dokumenter'))
    karin.select_option('[name=template]', 'rectification_completion')
    click_through(karin, karin.get_by_role('button', name='Udsted', exact=True))
    with karin.expect_download() as download:
        karin.click('section.letter a:text("Word")')
    letter = Path(download.value.path()).read_bytes()
    from tracker.letters.render import text_of

    assert 'Familieretshuset: underrettet 12. november 2026' in text_of(letter)
    checked['dokumenter'] = karin.url

    # the main pages pass axe-core without serious or critical violations
    rita.goto('/rapporter/add?type=report')
    rita.fill('[name=title]', 'Årsberetning 2026')
    rita.fill('[name=period_from]', '2026-01-01')
    rita.fill('[name=period_to]', '2026-12-31')
    save(rita)
    assert rita.locator('figure img').count() == 5
    checked['rapport'] = rita.url
    rita.goto('/sager?review_state=closed')
    assert 'Intet i denne tilstand' in rita.inner_text('main')
    for path in ('/', '/sager', '/dashboard', '/deadlines', '/search?q=klage', '/verify'):
        rita.goto(path)
        checked[path] = rita.url
    failures = {}
    for name, url in checked.items():
        rita.goto(url)
        found = axe_violations(rita)
        if found:
            failures[name] = found
    assert not failures, failures
    # the check itself sees a violation when there is one
    rita.set_content(
        '<html lang="da"><head><title>Test</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert [v[0] for v in axe_violations(rita)] == ['image-alt']
    login = browser.new_context(base_url=site, bypass_csp=True).new_page()
    login.goto('/login')
    assert axe_violations(login) == []
    assert login.evaluate('document.documentElement.lang') == 'da'
