"""JSON Schema (OpenAPI 3.0 dialect) for a type, from the same field list
that builds the colander schema."""


def field_schema(f, locale='da'):
    if f.type == 'file':
        s = {
            'type': 'object',
            'required': ['filename', 'data'],
            'properties': {
                'filename': {'type': 'string'},
                'data': {'type': 'string', 'format': 'byte'},
                'content_type': {'type': 'string', 'readOnly': True},
                'size': {'type': 'integer', 'readOnly': True},
                'sha256': {'type': 'string', 'readOnly': True},
                'download': {'type': 'string', 'readOnly': True},
            },
        }
    elif f.type == 'reference':
        s = {'type': 'string', 'description': 'path of a ' + ' or '.join(f.target_types)}
    elif f.type == 'cpr':
        s = {'type': 'string', 'pattern': r'^\d{6}-?\d{4}$'}
    elif f.type in ('string', 'text'):
        s = {'type': 'string'}
        if f.max_length:
            s['maxLength'] = f.max_length
        if f.pattern:
            s['pattern'] = f.pattern
    elif f.type == 'date':
        s = {'type': 'string', 'format': 'date'}
    elif f.type == 'boolean':
        s = {'type': 'boolean'}
    elif f.type == 'integer':
        s = {'type': 'integer'}
    elif f.type == 'choice':
        s = {'type': 'string', 'enum': list(f.choice_values)}
    else:  # multichoice
        s = {
            'type': 'array',
            'uniqueItems': True,
            'items': {'type': 'string', 'enum': list(f.choice_values)},
        }
    s['title'] = f.title(locale)
    if f.description(locale):
        s['description'] = f.description(locale)
    if f.protected:
        s['x-protected'] = True
    if f.computed:
        s['readOnly'] = True
    if not f.required and f.type not in ('multichoice', 'boolean'):
        s['nullable'] = True
        if 'enum' in s:
            s['enum'].append(None)  # OpenAPI 3.0: a nullable enum lists null
    return s


def input_schema(info, locale='da', partial=False):
    """The body of a POST (partial=False) or PATCH (partial=True)."""
    schema = {
        'type': 'object',
        'additionalProperties': False,
        'properties': {f.name: field_schema(f, locale) for f in info.fields},
    }
    required = [f.name for f in info.fields if f.required]
    if required and not partial:
        schema['required'] = required
    return schema


def type_json_schema(info, locale='da'):
    """What `@types/<name>` answers: the type's input schema with titles
    and fieldsets, as plone.restapi does."""
    schema = input_schema(info, locale)
    schema['title'] = info.title(locale)
    schema['fieldsets'] = [
        {
            'id': fs.name if fs else 'default',
            'title': fs.title(locale) if fs else '',
            'fields': [f.name for f in fields],
        }
        for fs, fields in info.grouped_fields()
    ]
    if info.workflow:
        schema['x-workflow'] = {
            'name': info.workflow.name,
            'initial': info.workflow.initial,
            'states': list(info.workflow.states),
            'transitions': {
                t.name: {'from': list(t.sources), 'to': t.target}
                for t in info.workflow.transitions.values()
            },
        }
    return schema
