"""The OpenAPI document at /@openapi.json: valid OpenAPI 3, describes the
API, and the API's real requests and responses match it (a client that
generates code from it, or validates against it, works)."""

from pathlib import Path

import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate

from tests.conftest import CASE, PROJECT

SCHEMAS = Path(PROJECT) / 'schemas'


@pytest.fixture
def spec(testapp):
    return testapp.get('/@openapi.json').json


def schema_errors(spec, schema, instance):
    """Messages of every way `instance` breaks `schema` (which may $ref the
    document's components), with OpenAPI 3.0 semantics and formats checked."""
    validator = OAS30Validator(
        dict(schema, components=spec['components']), format_checker=oas30_format_checker
    )

    def short(message):
        return message if len(message) <= 400 else message[:100] + ' ... ' + message[-300:]

    return [
        f'{"/".join(map(str, e.absolute_path)) or "<root>"}: {short(e.message)}'
        for e in validator.iter_errors(instance)
    ]


def component(name):
    return {'$ref': f'#/components/schemas/{name}'}


def response_schema(spec, path, method, status):
    return spec['paths'][path][method]['responses'][status]['content']['application/json']['schema']


def request_schema(spec, path, method):
    return spec['paths'][path][method]['requestBody']['content']['application/json']['schema']


# ---------------------------------------------------------------------------
# The document itself


def test_openapi_is_served_without_login(testapp):
    response = testapp.get('/@openapi.json', status=200)
    assert response.content_type == 'application/json'
    assert response.json['openapi'].startswith('3.')


def test_openapi_document_is_valid_openapi_3(spec):
    validate(spec)  # raises OpenAPIValidationError with the first problem


def test_openapi_describes_login_search_objects_and_workflow(spec):
    paths = spec['paths']
    login = paths['/@login']['post']
    assert login['security'] == []  # usable before logging in
    assert set(login['requestBody']['content']['application/json']['schema']['required']) == {
        'login',
        'password',
    }
    assert 'get' in paths['/@search']
    search_params = {p['name'] for p in paths['/@search']['get']['parameters']}
    assert {'q', 'type', 'review_state', 'sort_on', 'b_start', 'b_size'} <= search_params
    assert {'channel', 'kind', 'centres', 'received'} <= search_params  # indexed case fields
    assert {'get', 'post', 'patch'} <= set(paths['/{path}'])
    transition = paths['/{path}/@workflow/{transition}']
    assert 'post' in transition
    params = {p['name'] for p in transition['post']['parameters']}
    assert params == {'path', 'transition'}
    assert '409' in transition['post']['responses']
    assert spec['components']['securitySchemes']['bearer'] == {'type': 'http', 'scheme': 'bearer'}


def _yaml_types():
    out = {}
    for path in sorted(SCHEMAS.glob('*.yaml')):
        if path.name != 'roles.yaml':
            raw = yaml.safe_load(path.read_text(encoding='utf-8'))
            out[raw['name']] = raw
    return out


@pytest.mark.parametrize('type_name', sorted(_yaml_types()))
def test_openapi_has_a_component_for_each_type_in_schemas(spec, type_name):
    raw = _yaml_types()[type_name]
    name = ''.join(part.capitalize() for part in type_name.split('_'))
    schemas = spec['components']['schemas']
    assert name in schemas and f'{name}Patch' in schemas
    read_props = {}
    for part in schemas[name]['allOf']:
        read_props.update(part.get('properties', {}))
    declared = [f['name'] for f in raw['fields']]
    assert set(declared) <= set(read_props)
    assert set(schemas[f'{name}Patch']['properties']) == set(declared)
    if raw.get('addable', True):
        add = schemas[f'{name}Add']
        assert set(add['properties']) == set(declared) | {'@type'}
        assert set(add['required']) == {'@type'} | {
            f['name'] for f in raw['fields'] if f.get('required')
        }
    else:
        assert f'{name}Add' not in schemas


# ---------------------------------------------------------------------------
# Real requests and responses against the document


def test_case_read_response_matches_the_case_component(spec, api):
    created = api.post(
        '/sager',
        dict(CASE, kle_topic='27.24.00', citizen_reference='Borger A', next_contact='2026-12-01'),
    ).json
    assert schema_errors(spec, component('Case'), created) == []
    got = api.get(created['@id']).json
    assert schema_errors(spec, component('Case'), got) == []


def test_folder_read_response_matches_the_folder_component(spec, api):
    api.post('/sager', CASE)
    listing = api.get('/sager').json
    assert listing['items_total'] == 1
    assert schema_errors(spec, component('Folder'), listing) == []


def test_read_response_matches_the_get_operation_schema(spec, api):
    """What a client validating GET /{path} against the document sees. The
    schema is a oneOf over the type components, so a case must match
    exactly one of them."""
    schema = response_schema(spec, '/{path}', 'get', '200')
    url = api.post('/sager', CASE).json['@id']
    assert schema_errors(spec, schema, api.get(url).json) == []
    assert schema_errors(spec, schema, api.get('/sager').json) == []


def test_add_request_body_matches_the_post_operation_schema(spec, api):
    """A body the API accepts for POST /sager is valid by the document."""
    schema = request_schema(spec, '/{path}', 'post')
    api.post('/sager', CASE)  # the API accepts it ...
    assert schema_errors(spec, schema, CASE) == []  # ... and so does the document
    folder = {'@type': 'folder', 'title': 'Arkiv'}
    assert schema_errors(spec, schema, folder) == []


def test_add_request_body_with_wrong_type_is_invalid_by_the_document(spec):
    """The document is not so loose that it accepts anything."""
    schema = request_schema(spec, '/{path}', 'post')
    assert schema_errors(spec, schema, dict(CASE, channel='pigeon')) != []
    assert schema_errors(spec, component('CaseAdd'), dict(CASE, channel='pigeon')) != []
    assert schema_errors(spec, component('CaseAdd'), dict(CASE, colour='red')) != []
    assert schema_errors(spec, component('CaseAdd'), CASE) == []


def test_patch_request_body_matches_the_patch_operation_schema(spec, api):
    """PATCH {"title": ...} is accepted by the API and so must be valid by
    the document."""
    schema = request_schema(spec, '/{path}', 'patch')
    url = api.post('/sager', CASE).json['@id']
    body = {'title': 'Nyt emne'}
    api.patch(url, body)
    assert schema_errors(spec, component('CasePatch'), body) == []
    assert schema_errors(spec, schema, body) == []


def test_search_response_matches_the_document(spec, api):
    api.post('/sager', CASE)
    api.post('/sager', dict(CASE, title='Vejledning', kind='guidance'))
    found = api.get('/@search', kind='complaint').json
    assert found['items_total'] == 1
    assert schema_errors(spec, response_schema(spec, '/@search', 'get', '200'), found) == []
    assert schema_errors(spec, component('SearchResult'), api.get('/@search', b_size=1).json) == []


def test_workflow_and_history_responses_match_the_document(spec, api):
    url = api.post('/sager', CASE).json['@id']
    moved = api.post(
        url + '/@workflow/investigate', {'comment': 'Ringer til centret'}, status=200
    ).json
    schema = response_schema(spec, '/{path}/@workflow/{transition}', 'post', '200')
    assert schema_errors(spec, schema, moved) == []
    history = api.get(url + '/@history').json
    assert (
        schema_errors(spec, response_schema(spec, '/{path}/@history', 'get', '200'), history) == []
    )


def test_login_response_matches_the_document(spec, testapp):
    from tests.conftest import PASSWORD

    body = {'login': 'rita', 'password': PASSWORD}
    assert schema_errors(spec, request_schema(spec, '/@login', 'post'), body) == []
    ok = testapp.post_json('/@login', body).json
    assert schema_errors(spec, response_schema(spec, '/@login', 'post', '200'), ok) == []
    refused = testapp.post_json('/@login', dict(body, password='wrong'), status=401).json
    assert schema_errors(spec, response_schema(spec, '/@login', 'post', '401'), refused) == []


def test_400_error_body_matches_the_error_component(spec, api):
    bad = dict(CASE, received='2026-13-45', channel='pigeon')
    error = api.post('/sager', bad, status=400).json
    assert {e['field'] for e in error['error']['errors']} == {'received', 'channel'}
    assert schema_errors(spec, component('Error'), error) == []
    assert schema_errors(spec, response_schema(spec, '/{path}', 'post', '400'), error) == []
    search_error = api.get('/@search', colour='red', status=400).json
    assert schema_errors(spec, response_schema(spec, '/@search', 'get', '400'), search_error) == []


def test_other_error_bodies_match_the_error_component(spec, testapp, api):
    url = api.post('/sager', CASE).json['@id']
    not_logged_in = testapp.get(url, headers={'Accept': 'application/json'}, status=401).json
    assert schema_errors(spec, response_schema(spec, '/{path}', 'get', '401'), not_logged_in) == []
    missing = api.get('/sager/999-2026', status=404).json
    assert schema_errors(spec, response_schema(spec, '/{path}', 'get', '404'), missing) == []
    refused = api.delete(url, status=403).json
    assert schema_errors(spec, response_schema(spec, '/{path}', 'delete', '403'), refused) == []
    blocked = api.post(url + '/@workflow/close', status=409).json
    assert (
        schema_errors(
            spec, response_schema(spec, '/{path}/@workflow/{transition}', 'post', '409'), blocked
        )
        == []
    )


def test_a_response_that_breaks_the_document_is_caught(spec, api):
    """The checks above can fail: a case with a wrong value does not match."""
    got = api.get(api.post('/sager', CASE).json['@id']).json
    assert schema_errors(spec, component('Case'), dict(got, channel='pigeon')) != []
    assert schema_errors(spec, component('Case'), dict(got, received='2. november')) != []
    assert schema_errors(spec, component('Error'), {'error': {'message': 'x'}}) != []


def test_every_named_endpoint_is_described(wsgi_app):
    """Each registered @-endpoint appears in the document with its method,
    so a new endpoint cannot be forgotten in the OpenAPI description."""
    from tests.http.test_permission_matrix import registered_views

    spec = wsgi_app.registry.tracker_openapi
    described = {
        (path.split('/')[2] if path.startswith('/{path}/') else path.split('/')[1], method.upper())
        for path, item in spec['paths'].items()
        for method in item
        if method in ('get', 'post', 'patch', 'delete')
    }
    for name, method, _accept in registered_views(wsgi_app.registry):
        if name.startswith('@'):
            assert (name, method) in described, f'{method} {name} is not in /@openapi.json'
