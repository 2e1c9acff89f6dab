"""Views and page parts registered by content type: a type-specific view
name on another type is a plain 404, and a second registration of the same
panel stops start-up naming both places."""

import pytest
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError

from tests.conftest import PASSWORD, make_app
from tests.http.test_permission_matrix import ADMIN, C, D, call, prepared  # noqa: F401


def type_specific_views(registry):
    """(name, method, type names) of every view registered with type_name."""
    found = set()
    for item in registry.introspector.get_category('views'):
        view = item['introspectable']
        names = view.get('type_name')
        if names is None:
            continue
        names = (names,) if isinstance(names, str) else tuple(names)
        methods = view['request_methods'] or ('GET',)
        for method in (methods,) if isinstance(methods, str) else methods:
            found.add((view['name'], method, names))
    return found


def test_a_type_specific_view_on_another_type_is_not_found(prepared, wsgi_app):  # noqa: F811
    views = type_specific_views(wsgi_app.registry)
    names = {name for name, _method, _types in views}
    # the views that asked "is this a ...?" themselves before
    assert {
        'timeline',
        '@timeline',
        '@completeness',
        '@derive-notifications',
        'derive-notifications',
        'issue-notices',
        '@issue-notices',
        '@pdf',
        'delay-notice',
        '@delay-notice',
        '@figure',
        '@statistics',
        'statistics.csv',
        'statistics.xlsx',
    } <= names
    token = prepared.post_json('/@login', {'login': ADMIN, 'password': PASSWORD}).json['token']
    for name, method, types in sorted(views):
        other = D if 'case' in types else C  # a document, or the case
        key = (name, method, None)
        response = call(prepared, token, key, f'{other}/{name}', {})
        assert response.status_int == 404, (name, method, response.status)
        if name.startswith('@'):
            # the reader learns nothing of how the view is registered
            assert response.json['error']['message'] == 'Siden blev ikke fundet.'


def duplicate_panel(config):
    config.add_panel('rectification', lambda request, context, values: '')


def panel_for_unknown_type(config):
    config.add_panel('no_such_type', lambda request, context, values: '')


def start_with(monkeypatch, extra):
    """Start the application with `extra` included beside tracker.views
    (from tracker.api's includeme: after the start-up commit of
    tracker.config, like every page registration)."""
    import tracker.api

    original = tracker.api.includeme

    def includeme(config):
        original(config)
        config.include(extra)

    monkeypatch.setattr(tracker.api, 'includeme', includeme)
    return make_app()


def test_a_second_panel_for_a_type_stops_start_up_naming_both_places(monkeypatch):
    with pytest.raises(ConfigurationConflictError) as failure:
        start_with(monkeypatch, duplicate_panel)
    message = str(failure.value)
    assert "('tracker.panel', 'rectification', 'top')" in message
    assert 'tracker/views/rectification.py' in message  # the first, by @panel
    assert 'tests/http/test_by_type.py' in message  # the second


def test_a_panel_for_an_unknown_type_stops_start_up(monkeypatch):
    with pytest.raises(ConfigurationError, match='no_such_type'):
        start_with(monkeypatch, panel_for_unknown_type)


def test_page_parts_registered_by_type_show_on_their_type_only(prepared, wsgi_app):  # noqa: F811
    from tests.conftest import api_login, login_browser
    from tests.http.test_permission_matrix import ADVISOR, R

    browser = login_browser(prepared, ADVISOR)
    case_page, request_page = browser.get(C).text, browser.get(R).text
    # the case's "what happens next" panel, the request's completeness panel
    assert 'Hvad sker der nu?' in case_page and 'Hvad sker der nu?' not in request_page
    assert 'Tidslinje' in request_page and 'Tidslinje' not in case_page  # the request's tab
    # the columns and badges of a listing come from the listed types
    sager = browser.get('/sager').text
    assert 'sort_on=next_contact' in sager and 'Ingen næste kontakt' in sager
    assert 'sort_on=next_contact' not in case_page  # a case holds no cases
    # the notices button is the request's, on its Documents tab
    assert 'issue-notices' in browser.get(R + '/letters').text
    assert 'issue-notices' not in browser.get(C + '/letters').text
    # the request's deadline in its JSON; a document has none
    api = api_login(prepared, ADVISOR)
    assert api.get(R).json['deadline'] in ('open', 'due_soon', 'overdue')
    assert 'deadline' not in api.get(D).json
