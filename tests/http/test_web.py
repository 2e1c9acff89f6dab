"""The HTML side, as an advisor uses it in a browser session: login, forms,
workflow buttons, history, search, language; CSRF on every unsafe request."""

from webtest import TestApp

from tests.conftest import PASSWORD, csrf_of, visible_text


def test_anonymous_is_sent_to_login_and_back(testapp):
    response = testapp.get('/sager', status=303)
    assert '/login?came_from=/sager' in response.location
    page = testapp.get(response.location)
    form = page.forms[0]
    form['login'] = 'rita'
    form['password'] = PASSWORD
    back = form.submit(status=303)
    assert back.location.endswith('/sager')


def test_wrong_password_is_refused_in_danish(testapp):
    page = testapp.get('/login')
    form = page.forms[0]
    form['login'] = 'rita'
    form['password'] = 'wrong'
    response = form.submit(status=400)
    assert 'Forkert brugernavn eller adgangskode' in response.text
    testapp.get('/sager', status=303)  # still not logged in


def test_login_never_redirects_to_another_site(testapp):
    page = testapp.get('/login?came_from=//evil.example/x')
    form = page.forms[0]
    form['login'] = 'rita'
    form['password'] = PASSWORD
    assert form.submit(status=303).location == 'http://localhost/'


def test_logout_ends_the_session_even_for_a_copied_cookie(wsgi_app, browser):
    page = browser.get('/sager')
    stolen = browser.cookies['tracker_session']
    browser.post('/logout', {'csrf_token': csrf_of(page)}, status=303)
    browser.get('/sager', status=303)
    thief = TestApp(wsgi_app)
    thief.set_cookie('tracker_session', stolen)
    thief.get('/sager', status=303)
    thief.get('/sager', headers={'Accept': 'application/json'}, status=401)


def test_an_empty_bearer_header_does_not_borrow_the_cookie(browser, new_case):
    browser.post_json(
        '/sager',
        new_case,
        headers={'Authorization': 'Bearer ', 'Accept': 'application/json'},
        status=401,
    )
    assert browser.get('/sager', headers={'Accept': 'application/json'}).json['items_total'] == 0


def test_unsafe_request_without_csrf_token_is_rejected(browser, new_case):
    page = browser.get('/sager/add?type=case')
    form = page.forms['content-form']
    form['title'] = 'Uden token'
    form['csrf_token'] = 'forged'
    response = form.submit('save', status=400)
    assert 'formularen' in response.text.lower()
    assert browser.get('/sager', headers={'Accept': 'application/json'}).json['items_total'] == 0
    # a cookie-authenticated JSON call needs the token too
    browser.post_json('/sager', new_case, headers={'Accept': 'application/json'}, status=400)
    token = csrf_of(browser.get('/sager'))
    browser.post_json(
        '/sager',
        new_case,
        headers={'Accept': 'application/json', 'X-CSRF-Token': token},
        status=201,
    )


def fill_case(form, **values):
    defaults = {
        'title': 'Klage over afslag på hjælp',
        'received': '2026-11-03',
        'channel': 'email',
        'kind': 'complaint',
    }
    defaults.update(values)
    for name, value in defaults.items():
        form[name] = value
    return form


def test_advisor_creates_a_case_through_the_form(browser):
    page = browser.get('/sager')
    assert 'Tilføj borgerrådgiversag' in page.text
    form = fill_case(browser.get('/sager/add?type=case').forms['content-form'])
    response = form.submit('save', status=303)
    assert response.location.endswith('/sager/1-2026/')
    case = response.follow()
    assert 'Klage over afslag på hjælp' in case.text
    assert '1/2026' in case.text
    assert 'Åben' in case.text
    assert 'oprettet' in case.text  # the flash message


def test_invalid_form_shows_the_message_next_to_the_field(browser):
    form = fill_case(
        browser.get('/sager/add?type=case').forms['content-form'], title='', kle_topic='27-24'
    )
    response = form.submit('save', status=400)
    assert 'Skriv KLE-emnet som nn.nn.nn' in response.text
    assert 'Påkrævet' in response.text
    # the user's other input is kept
    assert response.forms['content-form']['channel'].value == 'email'
    assert browser.get('/sager', headers={'Accept': 'application/json'}).json['items_total'] == 0


def test_edit_form_changes_the_case(browser):
    fill_case(browser.get('/sager/add?type=case').forms['content-form']).submit('save')
    form = browser.get('/sager/1-2026/edit').forms['content-form']
    assert form['title'].value == 'Klage over afslag på hjælp'
    form['next_step'] = 'Vi skriver til centret'
    form['next_contact'] = '2026-12-01'
    page = form.submit('save', status=303).follow()
    assert 'Vi skriver til centret' in page.text
    assert '1. december 2026' in page.text


def test_workflow_buttons_and_history_tab(browser):
    fill_case(browser.get('/sager/add?type=case').forms['content-form']).submit('save')
    page = browser.get('/sager/1-2026/')
    assert 'Start undersøgelse' in page.text
    # the guarded transition is shown disabled, with the reason
    assert 'Udfyld datoen' in page.text
    form = page.forms[[k for k, f in page.forms.items() if 'transition' in f.fields][0]]
    form['comment'] = 'Vi går i gang'
    page = form.submit('transition', value='investigate', status=303).follow()
    assert 'Under undersøgelse' in page.text
    history = browser.get('/sager/1-2026/history')
    assert 'Start undersøgelse' in history.text
    assert 'Vi går i gang' in history.text
    assert 'rita' in history.text


def test_closed_case_edit_is_refused_with_the_reason(browser):
    fill_case(
        browser.get('/sager/add?type=case').forms['content-form'], resolved='2026-11-10'
    ).submit('save')
    page = browser.get('/sager/1-2026/')
    token = csrf_of(page)
    browser.post('/sager/1-2026/workflow', {'transition': 'close', 'csrf_token': token}, status=303)
    response = browser.get('/sager/1-2026/edit', status=303).follow()
    assert 'skrivebeskyttet' in response.text.lower()


def test_search_page_finds_cases(browser):
    fill_case(browser.get('/sager/add?type=case').forms['content-form']).submit('save')
    page = browser.get('/search', params={'q': 'afslag'})
    assert 'Klage over afslag på hjælp' in page.text
    assert 'Resultater: 1' in visible_text(page)
    assert 'Klage over afslag' not in browser.get('/search', params={'q': 'boligstøtte'}).text


def test_language_switch_to_english_and_back(browser):
    page = browser.get('/sager')
    assert '<html lang="da"' in page.text
    browser.get('/language?lang=en&came_from=/sager', status=303)
    page = browser.get('/sager')
    assert '<html lang="en"' in page.text
    assert 'Add advisor case' in page.text
    browser.get('/language?lang=da&came_from=/sager', status=303)
    assert 'Tilføj borgerrådgiversag' in browser.get('/sager').text


def test_unknown_url_is_a_friendly_404(browser):
    response = browser.get('/sager/nope', status=404)
    assert 'ikke fundet' in response.text
    assert 'Traceback' not in response.text


def test_pages_forbid_inline_scripts(browser):
    response = browser.get('/sager')
    assert "script-src 'self'" in response.headers['Content-Security-Policy']


def test_api_without_login_is_401_not_a_redirect(testapp):
    response = testapp.get('/sager', headers={'Accept': 'application/json'}, status=401)
    assert response.json['error']['type'] == 'Unauthorized'


def test_api_logout_ends_the_token(testapp):
    token = testapp.post_json('/@login', {'login': 'rita', 'password': PASSWORD}).json['token']
    headers = {'Authorization': f'Bearer {token}', 'Accept': 'application/json'}
    testapp.get('/sager', headers=headers, status=200)
    testapp.post('/@logout', headers=headers, status=200)
    testapp.get('/sager', headers=headers, status=401)


def test_api_login_with_wrong_password_is_401(testapp):
    response = testapp.post_json('/@login', {'login': 'rita', 'password': 'nope'}, status=401)
    assert response.json['error']['type'] == 'Unauthorized'
