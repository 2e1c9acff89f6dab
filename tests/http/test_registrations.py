"""Field kinds, rules, guards and letter contexts are registered through
Pyramid configuration actions: a new field type is one class plus one
registration, a name registered twice stops start-up naming both places,
and the type registry cannot be changed once the application runs."""

import dataclasses

import pytest
from pyramid.exceptions import ConfigurationConflictError
from webtest import TestApp

from tests.conftest import CASE, PROJECT, add_user, api_login, close_app, make_app
from tracker.config import load_types

EMAIL_FIELD = """
  - name: contact_email
    type: email
    title_da: E-mail til borgeren
    title_en: Citizen's e-mail
"""


@pytest.fixture
def email_app(schemas_copy):
    with open(schemas_copy / 'case.yaml', 'a', encoding='utf-8') as f:
        f.write(EMAIL_FIELD)
    app = make_app(
        **{'tracker.schemas': str(schemas_copy), 'tracker.includes': 'tests.extension_email'}
    )
    add_user(app, 'rita', ['advisor'])
    yield app
    close_app(app)


def test_a_registered_field_kind_validates_on_add_through_http(email_app):
    api = api_login(TestApp(email_app), 'rita')
    error = api.post('/sager', dict(CASE, contact_email='ikke en adresse'), status=400).json
    assert [e['field'] for e in error['error']['errors']] == ['contact_email']
    assert api.get('/sager').json['items_total'] == 0
    created = api.post('/sager', dict(CASE, contact_email=' borger@example.dk ')).json
    assert created['contact_email'] == 'borger@example.dk'
    assert api.get(created['@id']).json['contact_email'] == 'borger@example.dk'


def test_a_registered_field_kind_is_in_the_type_schema_and_openapi(email_app):
    testapp = TestApp(email_app)
    api = api_login(testapp, 'rita')
    prop = api.get('/@types/case').json['properties']['contact_email']
    assert prop['format'] == 'email' and prop['title'] == 'E-mail til borgeren'
    assert prop['nullable'] is True
    add = testapp.get('/@openapi.json').json['components']['schemas']['CaseAdd']
    assert add['properties']['contact_email']['format'] == 'email'


def test_a_schema_naming_an_unregistered_kind_stops_start_up(schemas_copy):
    from tracker.types import SchemaError

    with open(schemas_copy / 'case.yaml', 'a', encoding='utf-8') as f:
        f.write(EMAIL_FIELD)
    with pytest.raises(SchemaError, match=r'case\.yaml.*contact_email.*type must be one of'):
        make_app(**{'tracker.schemas': str(schemas_copy)})
    # and the CLI's registry, built through the same registrations, agrees
    with pytest.raises(SchemaError, match='contact_email'):
        load_types(schemas_copy)
    assert 'email' in load_types(schemas_copy, 'tests.extension_email').extensions.kinds


@pytest.mark.parametrize(
    ('include', 'registered_in'),
    [
        ('duplicate_rule', 'tracker/types/rules.py'),
        ('duplicate_guard', 'tracker/workflow/guards.py'),
        ('duplicate_kind', 'tracker/types/kinds.py'),
        ('duplicate_letter_context', 'tracker/letters/context.py'),
    ],
)
def test_a_name_registered_twice_stops_start_up_naming_both_places(include, registered_in):
    with pytest.raises(ConfigurationConflictError) as conflict:
        make_app(**{'tracker.includes': f'tests.extension_duplicates.{include}'})
    message = str(conflict.value)
    assert registered_in in message
    assert 'tests/extension_duplicates.py' in message
    # the CLI's registry refuses it the same way
    with pytest.raises(ConfigurationConflictError):
        load_types(PROJECT / 'schemas', f'tests.extension_duplicates.{include}')


def test_the_type_registry_cannot_be_changed_after_start_up(wsgi_app):
    types = wsgi_app.registry.tracker_types
    case = types['case']
    themes = case.by_name['themes']
    with pytest.raises(dataclasses.FrozenInstanceError):
        types.types = {}
    with pytest.raises(TypeError):
        types.types['case'] = case
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.fields = ()
    with pytest.raises(TypeError):
        case.by_name['themes'] = themes
    with pytest.raises(dataclasses.FrozenInstanceError):
        themes.choices = ()
    with pytest.raises(TypeError):
        types.rules['document_version'] = None
    with pytest.raises(TypeError):
        types.roles['admin']['permissions'] = ('view',)
    with pytest.raises(TypeError):
        case.settings['anything'] = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.workflow.transitions['close'].checks = ()


def test_an_added_choice_makes_a_new_registry_and_leaves_the_old_one_alone(wsgi_app, testapp):
    before = wsgi_app.registry.tracker_types
    admin = api_login(testapp, 'admin')
    admin.post(
        '/@choices', {'type': 'case', 'field': 'themes', 'value': 'ny_tema', 'title_da': 'Nyt'}
    )
    enum = admin.get('/@types/case').json['properties']['themes']['items']['enum']
    assert 'ny_tema' in enum
    after = wsgi_app.registry.tracker_types
    assert after is not before
    assert 'ny_tema' in after['case'].by_name['themes'].choice_values
    assert 'ny_tema' not in before['case'].by_name['themes'].choice_values
    assert after['site'] is before['site']  # types without added choices are shared


def test_a_request_on_an_older_choices_version_keeps_the_newer_registry():
    """The shared registry only ever moves forward: a request whose
    snapshot of the site is older does not take added choices away."""
    from types import SimpleNamespace

    from tracker.config import current_types

    start = load_types(PROJECT / 'schemas')
    registry = SimpleNamespace(tracker_types=start)
    newer = SimpleNamespace(
        choices_version=2, extra_choices={('case', 'themes'): (('ny', 'Ny', 'New'),)}
    )
    derived = current_types(registry, newer)
    assert registry.tracker_types is derived and derived.choices_version == 2
    assert 'ny' in derived['case'].by_name['themes'].choice_values
    assert 'ny' not in start['case'].by_name['themes'].choice_values
    assert derived.base_choice_values('case', 'themes') == start.base_choice_values(
        'case', 'themes'
    )
    older = SimpleNamespace(choices_version=1, extra_choices={})
    assert current_types(registry, older) is derived
    assert current_types(registry, newer) is derived  # derived once per version
