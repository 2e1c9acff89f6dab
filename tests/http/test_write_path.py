"""The one write path, enforced: the write guard (tests/write_guard.py, on
for every test through the autouse `write_guard` fixture) catches a view
that writes content or the audit log itself instead of calling a service.
The views planted here are the deliberate violations."""

import pytest
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid_zodbconn import get_connection
from webtest import TestApp

from tests.conftest import CASE, add_user, api_login, close_app, make_app
from tracker.audit import Recorder
from tracker.model import Content, Site
from tracker.storage import AUDIT


def plant_fields(context, request):
    """A view changing an object's fields behind the services' back."""
    context.fields = dict(context.fields, title='Skrevet uden om tjenesterne')
    return {'ok': True}


def plant_audit(context, request):
    """A view appending to the audit log itself."""
    Recorder(get_connection(request, AUDIT), request.registry.tracker_keyring, 'x').record(
        'planted', None
    )
    return {'ok': True}


def through_services(context, request):
    """The same change made properly, through a service."""
    request.services.edit(context, {'title': 'Skrevet gennem tjenesterne'})
    return {'ok': True}


def includeme(config):
    for name, view, context in (
        ('plant-fields', plant_fields, Content),
        ('plant-audit', plant_audit, Site),
        ('through-services', through_services, Content),
    ):
        config.add_view(
            view,
            context=context,
            name=name,
            renderer='json',
            permission=NO_PERMISSION_REQUIRED,
            request_method='GET',
        )


@pytest.fixture
def planted_app():
    app = make_app(**{'pyramid.includes': 'tests.http.test_write_path'})
    add_user(app, 'rita', ['advisor'])
    yield app
    close_app(app)


def _case(api):
    return api.post('/sager', dict(CASE)).json['@id'].split('localhost', 1)[1]


def test_a_view_writing_fields_itself_is_caught(planted_app, write_guard):
    path = _case(api_login(TestApp(planted_app), 'rita'))
    assert write_guard.violations == []
    TestApp(planted_app).get(f'{path}/@@plant-fields', status=200)
    caught = list(write_guard.violations)
    write_guard.violations.clear()  # caught on purpose: do not fail this test
    assert [v['object'] for v in caught] == ['tracker.model.content.Content']
    assert any('plant_fields' in frame for frame in caught[0]['where'])
    with pytest.raises(AssertionError, match='Content changed outside a service call'):
        write_guard.violations.extend(caught)
        try:
            write_guard.assert_clean()
        finally:
            write_guard.violations.clear()


def test_a_view_writing_the_audit_log_itself_is_caught(planted_app, write_guard):
    TestApp(planted_app).get('/@@plant-audit', status=200)
    caught = list(write_guard.violations)
    write_guard.violations.clear()
    assert caught, 'the audit entry written by a view was not caught'
    assert {v['database'] for v in caught} == {AUDIT}


def test_the_same_change_through_a_service_passes(planted_app, write_guard):
    api = api_login(TestApp(planted_app), 'rita')
    path = _case(api)
    api.get(f'{path}/@@through-services')
    assert write_guard.violations == []
