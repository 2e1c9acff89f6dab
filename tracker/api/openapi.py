"""The OpenAPI 3 document, generated once at start-up from `schemas/`.

The document is data; the small builders below write its repeated
structure (a JSON body, an object schema, a parameter) once."""

from ..types.jsonschema import field_schema, input_schema


def _ref(name):
    return {'$ref': f'#/components/schemas/{name}'}


def _json(schema, description='OK'):
    return {'description': description, 'content': {'application/json': {'schema': schema}}}


def _file(media_type, description):
    """A binary response of one media type."""
    return {
        'description': description,
        'content': {media_type: {'schema': _string(format='binary')}},
    }


def _json_body(schema, required=True):
    return {'required': required, 'content': {'application/json': {'schema': schema}}}


def _string(**extra):
    return {'type': 'string', **extra}


def _integer(**extra):
    return {'type': 'integer', **extra}


def _boolean():
    return {'type': 'boolean'}


def _array(items):
    return {'type': 'array', 'items': items}


def _object(properties=None, required=None, **extra):
    """An object schema; keys in the order the document has always had."""
    schema = {'type': 'object'}
    if required is not None:
        schema['required'] = list(required)
    schema.update(extra)
    if properties is not None:
        schema['properties'] = properties
    return schema


def _strings(*names):
    """Properties that are all plain strings."""
    return {name: _string() for name in names}


def _query(name, schema=None, **extra):
    return {'name': name, 'in': 'query', **extra, 'schema': schema or _string()}


def _in_path(name, schema=None, **extra):
    return {'name': name, 'in': 'path', 'required': True, **extra, 'schema': schema or _string()}


def _operation(summary, responses, **extra):
    """One operation: its summary, then parameters or a body, then responses."""
    return {'summary': summary, **extra, 'responses': responses}


def _component_name(type_name):
    return ''.join(part.capitalize() for part in type_name.split('_'))


def _base_schemas():
    """The components every document has, whatever the types."""
    return {
        'Error': _object(
            {
                'error': _object(
                    {
                        **_strings('type', 'message'),
                        'errors': _array(_object(_strings('field', 'message'))),
                    },
                    required=['type', 'message'],
                )
            },
            required=['error'],
        ),
        'Summary': _object(
            {
                '@id': _string(format='uri'),
                **_strings('@type', 'id', 'title'),
                'review_state': _string(nullable=True),
                'number': _string(example='22/2024'),
            },
            required=['@id', '@type', 'id', 'title'],
        ),
        'HistoryEntry': _object(
            {
                'action': _string(),
                'actor': _string(nullable=True),
                'time': _string(format='date-time'),
                'review_state': _string(),
                'from': _string(nullable=True),
                'comments': _string(),
            }
        ),
        'AuditEntry': _object(
            {
                'seq': _integer(),
                **_strings('time'),
                'actor': _string(nullable=True),
                'action': _string(),
                'target': _string(nullable=True),
                'details': _object(),
                **_strings('prev_mac', 'mac'),
            }
        ),
        'AuditPage': _object(
            {'@id': _string(), 'items_total': _integer(), 'items': _array(_ref('AuditEntry'))}
        ),
        'Sharing': _object(
            {
                '@id': _string(),
                'entries': _array(_object({'login': _string(), 'roles': _array(_string())})),
                'inherited': _array(_object()),
                'available_roles': _array(_object()),
            }
        ),
        'SearchResult': _object(
            {
                '@id': _string(),
                'items_total': _integer(),
                'items': _array(_ref('Summary')),
                'batching': _object({'next': _string()}),
            }
        ),
    }


def build_openapi(types, locale='da'):
    schemas = _base_schemas()
    add_bodies, read_refs, patch_refs = [], [], []
    read_mapping, add_mapping = {}, {}
    for info in types.types.values():
        name = _component_name(info.name)
        read = {
            'allOf': [
                _ref('Summary'),
                _object(
                    {
                        '@type': _string(enum=[info.name]),
                        'created': _string(format='date-time', nullable=True),
                        'modified': _string(format='date-time', nullable=True),
                        'creator': _string(nullable=True),
                        'items': _array(_ref('Summary')),
                        'items_total': _integer(),
                        **{f.name: field_schema(f, locale) for f in info.fields},
                    }
                ),
            ],
            'description': info.title(locale),
        }
        schemas[name] = read
        read_refs.append(_ref(name))
        read_mapping[info.name] = f'#/components/schemas/{name}'
        schemas[f'{name}Patch'] = input_schema(info, locale, partial=True)
        patch_refs.append(_ref(f'{name}Patch'))
        if info.addable:
            body = input_schema(info, locale)
            body['properties']['@type'] = _string(enum=[info.name])
            body['required'] = ['@type'] + body.get('required', [])
            schemas[f'{name}Add'] = body
            add_bodies.append(_ref(f'{name}Add'))
            add_mapping[info.name] = f'#/components/schemas/{name}Add'

    errors = {
        '400': _json(_ref('Error'), 'Bad input: each bad field is named'),
        '401': _json(_ref('Error'), 'Not logged in'),
        '403': _json(_ref('Error'), 'Not allowed'),
        '404': _json(_ref('Error'), 'Not found'),
    }

    def only(*codes):
        """The named error responses."""
        return {code: errors[code] for code in codes}

    path_param = _in_path('path', description='The object path, e.g. sager/22-2024')

    def read_part(summary, ok, *parameters):
        """GET on part of an object: the answer, or 404 where there is no such object."""
        return _operation(summary, {'200': ok, **only('404')}, parameters=[path_param, *parameters])

    batch = [
        _query('b_start', _integer(minimum=0)),
        _query('b_size', _integer(minimum=1, maximum=200)),
    ]
    search_params = batch + [
        _query('q', description='Full-text query'),
        _query('type'),
        _query('review_state'),
        _query('sort_on'),
        _query('sort_order', _string(enum=['ascending', 'descending'])),
    ]
    for fname, kind in sorted(types.indexed_fields().items()):
        if kind != 'text':
            search_params.append(_query(fname))
    any_read = {
        'oneOf': read_refs,
        'discriminator': {'propertyName': '@type', 'mapping': read_mapping},
    }
    version_param = _in_path('version', _integer())
    paths = {
        '/@login': {
            'post': {
                'summary': 'Log in; returns a bearer token',
                'security': [],
                'requestBody': _json_body(
                    _object(_strings('login', 'password'), required=['login', 'password'])
                ),
                'responses': {
                    '200': _json(
                        _object(
                            {
                                **_strings('token', 'login'),
                                'roles': _array(_string()),
                                'expires_in': _integer(),
                            }
                        )
                    ),
                    **only('401'),
                },
            }
        },
        '/@logout': {
            'post': _operation('End the bearer token', {'200': _json(_object()), **only('400')})
        },
        '/@openapi.json': {
            'get': {
                'summary': 'This document',
                'security': [],
                'responses': {'200': _json(_object())},
            }
        },
        '/@types': {
            'get': _operation('The content types', {'200': _json(_array(_object())), **only('401')})
        },
        '/@types/{name}': {
            'get': _operation(
                "A type's JSON Schema",
                {'200': _json(_object()), **only('404')},
                parameters=[_in_path('name', _string(enum=list(types.types)))],
            )
        },
        '/@search': {
            'get': _operation(
                'Search the whole site',
                {'200': _json(_ref('SearchResult')), **only('400', '401')},
                parameters=search_params,
            ),
            'post': {
                'summary': 'Search with the parameters in the body (keeps a CPR '
                'number out of URLs); searches by person are audited',
                'requestBody': _json_body(
                    _object(additionalProperties={'oneOf': [_string(), _array(_string())]})
                ),
                'responses': {'200': _json(_ref('SearchResult')), **only('400', '401')},
            },
        },
        '/@password': {
            'post': {
                'summary': 'Change your own password (ends your other sessions and tokens)',
                'requestBody': _json_body(
                    _object(
                        _strings('old_password', 'new_password'),
                        required=['old_password', 'new_password'],
                    )
                ),
                'responses': {'200': _json(_object()), **only('400', '403')},
            }
        },
        '/@audit': {
            'get': _operation(
                'The audit log (auditor, admin)',
                {'200': _json(_ref('AuditPage')), **only('403')},
                parameters=batch + [_query(n) for n in ('actor', 'action', 'from', 'to')],
            )
        },
        '/{path}': {
            'parameters': [path_param],
            'get': _operation(
                'Read an object (Accept: application/json)',
                {'200': _json(any_read), **only('401', '404')},
                parameters=batch + [_query('sort_on')],
            ),
            'post': {
                'summary': 'Add an object to this container',
                'requestBody': _json_body(
                    {
                        'oneOf': add_bodies,
                        'discriminator': {'propertyName': '@type', 'mapping': add_mapping},
                    }
                ),
                'responses': {'201': _json(any_read, 'Created'), **errors},
            },
            'patch': {
                'summary': 'Change some fields of an object',
                # a PATCH body does not name its type: any may match
                'requestBody': _json_body({'anyOf': patch_refs}),
                'responses': {'200': _json(any_read), **errors},
            },
            'delete': {
                'summary': 'Refused: case records are never deleted',
                'responses': only('403', '401'),
            },
        },
        '/{path}/@search': {
            'get': _operation(
                'Search under an object',
                {'200': _json(_ref('SearchResult')), **only('400')},
                parameters=[path_param] + search_params,
            )
        },
        '/{path}/@history': {
            'get': read_part('The review history', _json(_array(_ref('HistoryEntry'))))
        },
        '/{path}/@workflow': {
            'get': read_part('State, available transitions, history', _json(_object()))
        },
        '/{path}/@audit': {
            'get': read_part(
                "An object's audit trail (auditor, admin)", _json(_ref('AuditPage')), *batch
            )
        },
        '/{path}/@sharing': {
            'parameters': [path_param],
            'get': _operation(
                'Local roles granted here and inherited',
                {'200': _json(_ref('Sharing')), **only('404')},
            ),
            'post': {
                'summary': 'Grant (or with an empty list revoke) local roles',
                'requestBody': _json_body(
                    _object(
                        {'login': _string(), 'roles': _array(_string())},
                        required=['login', 'roles'],
                    )
                ),
                'responses': {'200': _json(_ref('Sharing')), **errors},
            },
        },
        '/{path}/@versions': {
            'get': {
                'summary': 'The versions of a versioned object; ?a=&b= compares two',
                'parameters': [path_param] + [_query(n, _integer()) for n in ('a', 'b')],
                'responses': {
                    '200': _json(_object({'items': _array(_object()), 'compare': _object()})),
                    **only('404'),
                },
            }
        },
        '/{path}/@recipients': {
            'get': {
                'summary': 'Who received these versions of a document (from the disclosure log): '
                'the recipients a correction must reach',
                'parameters': [path_param, _query('version', _integer())],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'versions': _array(_integer()),
                                'items': _array(
                                    _object(
                                        {
                                            'recipient': _ref('Summary'),
                                            'channel': _string(nullable=True),
                                            'disclosures': _array(_object()),
                                        }
                                    )
                                ),
                            }
                        )
                    ),
                    **only('400', '404'),
                },
            }
        },
        '/{path}/@journal-import': {
            'post': {
                'summary': "Import a journal list (CSV/XLSX) into a case; dry_run (the default) "
                'reports what would be created and keeps nothing',
                'parameters': [path_param],
                'requestBody': _json_body(
                    _object(
                        {
                            'file': _object(
                                {'filename': _string(), 'data': _string(format='byte')},
                                required=['filename', 'data'],
                            ),
                            'mapping': _object(
                                description='target -> column name: date, '
                                'title, direction (required); party, filename, recipient, '
                                'legal_basis',
                                additionalProperties=_string(),
                            ),
                            'dry_run': {'type': 'boolean', 'default': True},
                        },
                        required=['file', 'mapping'],
                    )
                ),
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'dry_run': _boolean(),
                                'created': _array(_object()),
                                'problems': _array(
                                    _object({'row': _integer(), 'message': _string()})
                                ),
                                'counts': _object(),
                            }
                        )
                    ),
                    **errors,
                },
            }
        },
        '/{path}/@download/{field}': {
            'get': {
                'summary': "The current version's file (audited)",
                'parameters': [path_param, _in_path('field')],
                'responses': {
                    '200': _file('application/octet-stream', 'The file'),
                    **only('403', '404'),
                },
            }
        },
        '/{path}/@download/{field}/{version}': {
            'get': {
                'summary': "A given version's file (audited)",
                'parameters': [path_param, _in_path('field'), version_param],
                'responses': {
                    '200': _file('application/octet-stream', 'The file'),
                    **only('403', '404'),
                },
            }
        },
        '/{path}/@workflow/{transition}': {
            'post': {
                'summary': 'Take a workflow transition',
                'parameters': [path_param, _in_path('transition')],
                'requestBody': _json_body(
                    _object(
                        {
                            'comment': _string(),
                            'fields': _object(
                                description='fields saved with the step, '
                                'all or nothing (e.g. sent_on, channel, sent_evidence)'
                            ),
                        }
                    ),
                    required=False,
                ),
                'responses': {
                    '200': _json(
                        _object(
                            {'review_state': _string(), 'history': _array(_ref('HistoryEntry'))}
                        )
                    ),
                    '409': _json(_ref('Error'), 'Not possible now (state or guard)'),
                    **errors,
                },
            }
        },
        '/{path}/@completeness': {
            'get': {
                'summary': 'A rectification request: its gaps, deadline, restriction and every '
                'recipient (derived from the disclosure log or added by hand) with its '
                'notification',
                'parameters': [path_param],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'complete': _boolean(),
                                'gaps': _array(_object(_strings('kind', 'subject', 'message'))),
                                'deadline': _object(),
                                'restricted': _boolean(),
                                'recipients': _array(
                                    _object(
                                        {
                                            **_strings('recipient', 'name'),
                                            'origin': _string(enum=['derived', 'manual']),
                                            'accounted': _boolean(),
                                            'disclosures': _array(_object()),
                                            'notification': _object(nullable=True),
                                        }
                                    )
                                ),
                            }
                        )
                    ),
                    **only('404'),
                },
            }
        },
        '/{path}/@derive-notifications': {
            'post': {
                'summary': 'Add a notification for every derived recipient that has none yet',
                'parameters': [path_param],
                'responses': {
                    '201': _json(_object({'items': _array(_ref('Summary'))}), 'Created'),
                    '200': _json(_object(), 'Nothing to add'),
                    **errors,
                },
            }
        },
        '/{path}/@timeline': {
            'get': {
                'summary': "A rectification request's events in order: dated facts, transitions, "
                'versions and recorded changes',
                'parameters': [path_param],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'items': _array(
                                    _object(
                                        {
                                            **_strings('when', 'kind', 'subject', 'what'),
                                            'actor': _string(nullable=True),
                                            'detail': _string(),
                                        }
                                    )
                                )
                            }
                        )
                    ),
                    **only('404'),
                },
            }
        },
        '/@deadlines': {
            'get': {
                'summary': 'Everything due that the user may see, earliest (overdue) first: written '
                'questions, recommendations, rectification deadlines, notifications '
                'without receipts, next contact dates, case deadlines',
                'parameters': [
                    {
                        'name': 'mine',
                        'in': 'query',
                        'schema': _boolean(),
                        'description': 'only what the user created',
                    },
                    _query('kind'),
                ],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'today': _string(format='date'),
                                'items': _array(
                                    _object(
                                        {
                                            'date': _string(format='date'),
                                            **_strings('kind', 'kind_title'),
                                            'overdue': _boolean(),
                                            **_strings('@id', 'title', 'number'),
                                        }
                                    )
                                ),
                            }
                        )
                    ),
                    **only('400', '401'),
                },
            }
        },
        '/@deadlines.ics': {
            'get': {
                'summary': 'The same as an iCalendar feed; `feed` is the personal token from '
                '@deadlines-feed (for Outlook, which sends no header)',
                'security': [{'bearer': []}, {}],
                'parameters': [_query('feed')],
                'responses': {
                    '200': {
                        'description': 'iCalendar',
                        'content': {'text/calendar': {'schema': _string()}},
                    },
                    **only('403'),
                },
            }
        },
        '/@deadlines-feed': {
            'post': _operation(
                'Make a personal calendar feed address (ends the old one)',
                {'200': _json(_object({'url': _string()})), **only('401')},
            )
        },
        '/@choices': {
            'get': _operation(
                'The extensible choice lists (themes, legal bases)',
                {'200': _json(_object()), **only('401')},
            ),
            'post': {
                'summary': 'Add a choice (administrators); choices are never removed',
                'requestBody': _json_body(
                    _object(
                        _strings('type', 'field', 'value', 'title_da', 'title_en'),
                        required=['type', 'field', 'value', 'title_da'],
                    )
                ),
                'responses': {'201': _json(_object(), 'Created'), **errors},
            },
        },
        '/{path}/@delay-notice': {
            'post': {
                'summary': "Record that the citizen was told the advisor's deadline cannot be met "
                '(retssikkerhedsloven § 3, stk. 2)',
                'parameters': [path_param],
                'requestBody': _json_body(_object({'text': _string()}), required=False),
                'responses': {'200': _json(_object()), **errors},
            }
        },
        '/{path}/@letters': {
            'get': {
                'summary': 'The documents issued from an object (every version, with downloads) and '
                'the letters that can be issued from it now',
                'parameters': [path_param],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'items': _array(_object()),
                                'templates': _array(
                                    _object({**_strings('id', 'title'), 'available': _boolean()})
                                ),
                            }
                        )
                    ),
                    **only('404'),
                },
            }
        },
        '/{path}/@issue': {
            'post': {
                'summary': 'Issue a letter from this object (numbered, stored encrypted, signed); '
                'issuing the same letter again makes a new version that supersedes the old',
                'parameters': [path_param],
                'requestBody': _json_body(
                    _object(_strings('template', 'reason'), required=['template'])
                ),
                'responses': {
                    '201': _json(
                        _object(
                            {
                                **_strings('@id', 'number'),
                                'version': _integer(),
                                **_strings('sha256', 'download'),
                            }
                        ),
                        'Created',
                    ),
                    '409': _json(_ref('Error'), 'Not in this state'),
                    **errors,
                },
            }
        },
        '/{path}/@issue-notices': {
            'post': _operation(
                "Issue every recipient notice of a rectification request; answers one zip",
                {'200': _file('application/zip', 'The notices'), **errors},
                parameters=[path_param],
            )
        },
        '/{path}/@pdf/{version}': {
            'get': {
                'summary': 'A PDF copy of an issued version (LibreOffice; 404 where it is not installed)',
                'parameters': [path_param, version_param],
                'responses': {
                    '200': _file('application/pdf', 'The PDF'),
                    **only('404'),
                    '503': _json(_ref('Error'), 'LibreOffice failed'),
                },
            }
        },
        '/@verify': {
            'post': {
                'summary': 'Is this file a genuine issued document? Which one, which version, '
                'superseded? Open to anyone; details only for readers of the document',
                'security': [{'bearer': []}, {}],
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/octet-stream': {'schema': _string(format='binary')},
                        'application/json': {'schema': _object({'data': _string(format='byte')})},
                    },
                },
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'status': _string(
                                    enum=[
                                        'genuine',
                                        'changed',
                                        'bad_signature',
                                        'unknown',
                                        'not_docx',
                                    ]
                                ),
                                'genuine': _boolean(),
                                'number': _string(nullable=True),
                                'version': _integer(nullable=True),
                                'latest_version': _integer(nullable=True),
                                'superseded': _boolean(),
                            }
                        )
                    ),
                    **only('400'),
                },
            }
        },
        '/{path}/@statistics': {
            'get': read_part(
                "A report's statistics for its period (the numbers of \"Året i tal\")",
                _json(_object()),
            )
        },
        '/{path}/@figure/{number}': {
            'get': read_part(
                "A report's figure 1-5 as PNG",
                _file('image/png', 'The figure'),
                _in_path('number', _integer(minimum=1, maximum=5)),
            )
        },
        '/@report-history': {
            'get': _operation(
                "Earlier years' unique inquiries (entered by hand)",
                {'200': _json(_object()), **only('401')},
            ),
            'post': {
                'summary': "Enter a year's total (administrators)",
                'requestBody': _json_body(
                    _object(
                        {'year': _integer(), 'inquiries': _integer()},
                        required=['year', 'inquiries'],
                    )
                ),
                'responses': {'200': _json(_object()), **errors},
            },
        },
        '/@dashboard': {
            'get': {
                'summary': "The jurist's dashboard: open rectification requests with their gaps, "
                'deadline counts, unacknowledged notifications, exemptions to review',
                'parameters': batch
                + [
                    _query('centre'),
                    _query('state'),
                    _query('min_age_days', _integer()),
                    _query('gaps_only', _boolean()),
                ],
                'responses': {
                    '200': _json(
                        _object(
                            {
                                'items_total': _integer(),
                                'counts': _object(),
                                'items': _array(_object()),
                                'unacknowledged': _object(),
                                'exemptions': _object(),
                            }
                        )
                    ),
                    **only('400', '401'),
                },
            }
        },
    }
    return {
        'openapi': '3.0.3',
        'info': {
            'title': 'Tracker API',
            'version': '1',
            'description': 'Cases, documents and GDPR rectifications. Send '
            '`Accept: application/json`; log in with POST /@login.',
        },
        'servers': [{'url': '/'}],
        'components': {
            'schemas': schemas,
            'securitySchemes': {'bearer': {'type': 'http', 'scheme': 'bearer'}},
        },
        'security': [{'bearer': []}],
        'paths': paths,
    }
