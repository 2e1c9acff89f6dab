"""Content types are data: a change to a YAML file in schemas/ reaches the
forms, the API, the OpenAPI document and the catalog with no Python change,
and a mistake in a schema file stops start-up with the file and the field
named."""

import re

import pytest
from webtest import TestApp

from tests.conftest import CASE, add_user, api_login, close_app, login_browser, make_app
from tracker.config import load_types
from tracker.types import SchemaError

URGENCY = """
  - name: urgency
    type: choice
    title_da: Hastegrad
    title_en: Urgency
    description_da: Hvor hurtigt skal borgeren have svar?
    description_en: How soon does the citizen need an answer?
    index: field
    choices:
      - {value: low, title_da: Kan vente, title_en: Can wait}
      - {value: high, title_da: Haster, title_en: Urgent}
"""


def _edit(path, old, new):
    """Replace one exact snippet of a schema file, as an editor would."""
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == 1, f'{old!r} should occur once in {path}'
    path.write_text(text.replace(old, new), encoding='utf-8')


# ---------------------------------------------------------------------------
# A new field declared in case.yaml


@pytest.fixture
def urgency_app(schemas_copy):
    case_yaml = schemas_copy / 'case.yaml'
    with open(case_yaml, 'a', encoding='utf-8') as f:
        f.write(URGENCY)
    app = make_app(**{'tracker.schemas': str(schemas_copy)})
    add_user(app, 'rita', ['advisor'])
    yield app
    close_app(app)


def _item_block(html, field):
    """The Deform item <div> of one field."""
    match = re.search(r'<div[^>]*class="[^"]*item-%s"[^>]*>(.*?)</div>' % field, html, re.S)
    assert match, f'the form has no field {field!r}'
    return match.group(1)


def _set_date(form, name, value):
    """Fill a date field whether it is one native input or Deform's
    date mapping (<input name="date"> between __start__/__end__ markers)."""
    if name in form.fields:
        form[name] = value
        return
    starts = [f.value for f in form.fields['__start__']]
    dates_before = sum(
        1 for s in starts[: starts.index(f'{name}:mapping')] if s.endswith(':mapping')
    )
    form.set('date', value, index=dates_before)


def test_new_yaml_field_is_in_the_html_add_form_with_danish_titles(urgency_app):
    browser = login_browser(TestApp(urgency_app), 'rita')
    page = browser.get('/sager/add?type=case')
    block = _item_block(page.text, 'urgency')
    assert 'Hastegrad' in block
    assert 'Hvor hurtigt skal borgeren have svar?' in page.text
    select = page.forms['content-form']['urgency']
    assert [value for value, _selected, _text in select.options] == ['', 'low', 'high']
    assert 'Kan vente' in page.text and 'Haster' in page.text


def test_new_yaml_field_is_saved_from_the_html_form_and_shown_in_the_edit_form(urgency_app):
    browser = login_browser(TestApp(urgency_app), 'rita')
    form = browser.get('/sager/add?type=case').forms['content-form']
    form['title'] = 'Borgeren venter på svar om hjælpemidler'
    _set_date(form, 'received', '2026-11-02')
    form['channel'] = 'phone'
    form['kind'] = 'complaint'
    form['urgency'] = 'high'
    response = form.submit('save')
    assert response.status_int == 303, response.text[:1000]
    url = response.headers['Location']
    api = api_login(TestApp(urgency_app), 'rita')
    assert api.get(url).json['urgency'] == 'high'
    edit = browser.get(url.rstrip('/') + '/edit').forms['content-form']
    assert edit['urgency'].value == 'high'


def test_api_accepts_a_declared_choice_of_the_new_field(urgency_app):
    api = api_login(TestApp(urgency_app), 'rita')
    created = api.post('/sager', dict(CASE, urgency='high')).json
    assert created['urgency'] == 'high'
    assert api.get(created['@id']).json['urgency'] == 'high'
    patched = api.patch(created['@id'], {'urgency': 'low'}).json
    assert patched['urgency'] == 'low'


def test_api_rejects_an_undeclared_choice_of_the_new_field_naming_it(urgency_app):
    api = api_login(TestApp(urgency_app), 'rita')
    error = api.post('/sager', dict(CASE, urgency='extreme'), status=400).json['error']
    assert [e['field'] for e in error['errors']] == ['urgency']
    assert api.get('/sager').json['items_total'] == 0
    url = api.post('/sager', CASE).json['@id']
    error = api.patch(url, {'urgency': 'extreme'}, status=400).json['error']
    assert [e['field'] for e in error['errors']] == ['urgency']
    assert api.get(url).json['urgency'] is None


def test_new_yaml_field_is_in_the_openapi_document_and_the_type_schema(urgency_app):
    testapp = TestApp(urgency_app)
    spec = testapp.get('/@openapi.json').json
    schemas = spec['components']['schemas']
    read_props = {}
    for part in schemas['Case']['allOf']:
        read_props.update(part.get('properties', {}))
    for props in (read_props, schemas['CaseAdd']['properties'], schemas['CasePatch']['properties']):
        assert props['urgency']['type'] == 'string'
        assert props['urgency']['enum'] == ['low', 'high', None]  # optional: null allowed
        assert props['urgency']['title'] == 'Hastegrad'
    search_params = {p['name'] for p in spec['paths']['/@search']['get']['parameters']}
    assert 'urgency' in search_params

    api = api_login(testapp, 'rita')
    type_schema = api.get('/@types/case').json
    assert type_schema['properties']['urgency']['enum'] == ['low', 'high', None]
    assert type_schema['properties']['urgency']['title'] == 'Hastegrad'
    in_fieldsets = [name for fs in type_schema['fieldsets'] for name in fs['fields']]
    assert 'urgency' in in_fieldsets


def test_new_indexed_yaml_field_is_searchable(urgency_app):
    api = api_login(TestApp(urgency_app), 'rita')
    api.post('/sager', dict(CASE, title='Haster meget', urgency='high'))
    api.post('/sager', dict(CASE, title='Kan godt vente', urgency='low'))
    api.post('/sager', dict(CASE, title='Uden hastegrad'))
    found = api.get('/@search', urgency='high').json
    assert [i['title'] for i in found['items']] == ['Haster meget']
    assert [i['title'] for i in api.get('/@search', urgency='low').json['items']] == [
        'Kan godt vente'
    ]


# ---------------------------------------------------------------------------
# A newly declared index is filled from objects that already exist


def test_newly_indexed_field_finds_cases_stored_before_the_change(tmp_path, schemas_copy):
    settings = {'zodbconn.uri': f'file://{tmp_path}/Data.fs', 'tracker.schemas': str(schemas_copy)}
    before = make_app(**settings)
    add_user(before, 'rita', ['advisor'])
    api = api_login(TestApp(before), 'rita')
    old = api.post('/sager', dict(CASE, kle_action='K02')).json
    api.post('/sager', dict(CASE, title='En anden sag', kle_action='G01'))
    # kle_action is not indexed yet: searching on it is refused
    assert (
        api.get('/@search', kle_action='K02', status=400).json['error']['errors'][0]['field']
        == 'kle_action'
    )
    close_app(before)

    _edit(
        schemas_copy / 'case.yaml',
        "    pattern_message_en: Write the action code as a letter and two digits, e.g. K02\n",
        "    pattern_message_en: Write the action code as a letter and two digits, e.g. K02\n"
        "    index: field\n",
    )
    after = make_app(**settings)
    try:
        api = api_login(TestApp(after), 'rita')
        found = api.get('/@search', kle_action='K02').json
        assert [i['@id'] for i in found['items']] == [old['@id']]
        assert api.get('/@search', kle_action='G01').json['items_total'] == 1
        assert api.get('/@search', kle_action='X99').json['items_total'] == 0
        # and cases added after the change are indexed as they are added
        new = api.post('/sager', dict(CASE, title='Ny klage', kle_action='K02')).json
        found = api.get('/@search', kle_action='K02').json
        assert {i['@id'] for i in found['items']} == {old['@id'], new['@id']}
    finally:
        close_app(after)


# ---------------------------------------------------------------------------
# Schema mistakes stop start-up, naming the file and the field

KLE_ACTION_TYPE = "  - name: kle_action\n    type: string\n"
CITIZEN_REFERENCE = "    protected: true\n    max_length: 200\n"

MISTAKES = {
    'unknown field type': (
        'case.yaml',
        KLE_ACTION_TYPE,
        "  - name: kle_action\n    type: code\n",
        ['kle_action', 'type'],
    ),
    'protected field with an index': (
        'case.yaml',
        CITIZEN_REFERENCE,
        "    protected: true\n    max_length: 200\n    index: field\n",
        ['citizen_reference', 'protected'],
    ),
    'unknown workflow guard': (
        'workflows/case_workflow.yaml',
        'guards: [resolved_date_set]',
        'guards: [resolved_date_is_set]',
        ['close', 'resolved_date_is_set'],
    ),
    'fieldset naming an unknown field': (
        'case.yaml',
        'fields: [citizen_reference, citizen_cpr, summary]',
        'fields: [citizen_reference, citizen_cpr, summary, citizen_phone]',
        ['citizen', 'citizen_phone'],
    ),
    'misspelt field key': (
        'case.yaml',
        "    title_en: Received\n    required: true\n",
        "    title_en: Received\n    requird: true\n",
        ['received', 'requird'],
    ),
    'a step requiring an unknown field': (
        'workflows/notification_workflow.yaml',
        'requires: [sent_on, channel]',
        'requires: [sent_on, chanel]',
        ['send', 'chanel'],
    ),
    'unknown rule': (
        'case.yaml',
        'rules: [case_processing]',
        'rules: [case_procesing]',
        ['case_procesing', 'rule'],
    ),
    'choice field without choices': (
        'folder.yaml',
        "  - name: description\n    type: text\n",
        "  - name: description\n    type: choice\n",
        ['description', 'choices'],
    ),
}


@pytest.mark.parametrize('mistake', list(MISTAKES))
def test_schema_mistake_is_reported_with_file_and_field(schemas_copy, mistake):
    filename, old, new, named = MISTAKES[mistake]
    path = schemas_copy / filename
    _edit(path, old, new)
    with pytest.raises(SchemaError) as loaded:
        load_types(schemas_copy)
    message = str(loaded.value)
    assert str(path) in message
    for word in named:
        assert word in message, f'{word!r} not in {message!r}'


@pytest.mark.parametrize('mistake', list(MISTAKES))
def test_schema_mistake_stops_the_application_start(schemas_copy, mistake):
    filename, old, new, _named = MISTAKES[mistake]
    _edit(schemas_copy / filename, old, new)
    with pytest.raises(SchemaError, match=re.escape(filename.split('/')[-1])):
        make_app(**{'tracker.schemas': str(schemas_copy)})


def test_a_changed_type_is_validated_with_its_own_fields_in_the_same_process():
    """Apps (and tests) built one after another in one process each load the
    schemas afresh; the validation schema of a type must follow the fields
    of that type, never those of an earlier, discarded version of it."""
    from tracker.types import FieldInfo, TypeInfo
    from tracker.types.validation import colander_schema

    title = FieldInfo(
        name='title', type='string', title_da='Emne', title_en='Subject', required=True
    )
    urgency = FieldInfo(name='urgency', type='string', title_da='Hastegrad', title_en='Urgency')
    for _attempt in range(20):
        before = TypeInfo(name='case', title_da='Sag', title_en='Case', fields=(title,))
        assert [n.name for n in colander_schema(before).children] == ['title']
        del before  # the old registry is gone, e.g. the old app was closed
        after = TypeInfo(name='case', title_da='Sag', title_en='Case', fields=(title, urgency))
        assert [n.name for n in colander_schema(after).children] == ['title', 'urgency']
        del after


def test_unchanged_schema_copy_loads(schemas_copy):
    """The mistakes above are the only cause of the errors: the copy itself loads."""
    registry = load_types(schemas_copy)
    assert {'site', 'folder', 'case'} <= set(registry.types)
