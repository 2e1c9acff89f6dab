"""The OpenAPI 3 document, generated once at start-up from `schemas/`."""

from ..types.jsonschema import field_schema, input_schema


def _ref(name):
    return {'$ref': f'#/components/schemas/{name}'}


def _json(schema, description='OK'):
    return {'description': description, 'content': {'application/json': {'schema': schema}}}


def _component_name(type_name):
    return ''.join(part.capitalize() for part in type_name.split('_'))


def build_openapi(types, locale='da'):
    schemas = {
        'Error': {
            'type': 'object',
            'required': ['error'],
            'properties': {
                'error': {
                    'type': 'object',
                    'required': ['type', 'message'],
                    'properties': {
                        'type': {'type': 'string'},
                        'message': {'type': 'string'},
                        'errors': {
                            'type': 'array',
                            'items': {
                                'type': 'object',
                                'properties': {
                                    'field': {'type': 'string'},
                                    'message': {'type': 'string'},
                                },
                            },
                        },
                    },
                }
            },
        },
        'Summary': {
            'type': 'object',
            'required': ['@id', '@type', 'id', 'title'],
            'properties': {
                '@id': {'type': 'string', 'format': 'uri'},
                '@type': {'type': 'string'},
                'id': {'type': 'string'},
                'title': {'type': 'string'},
                'review_state': {'type': 'string', 'nullable': True},
                'number': {'type': 'string', 'example': '22/2024'},
            },
        },
        'HistoryEntry': {
            'type': 'object',
            'properties': {
                'action': {'type': 'string'},
                'actor': {'type': 'string', 'nullable': True},
                'time': {'type': 'string', 'format': 'date-time'},
                'review_state': {'type': 'string'},
                'from': {'type': 'string', 'nullable': True},
                'comments': {'type': 'string'},
            },
        },
        'AuditEntry': {
            'type': 'object',
            'properties': {
                'seq': {'type': 'integer'},
                'time': {'type': 'string'},
                'actor': {'type': 'string', 'nullable': True},
                'action': {'type': 'string'},
                'target': {'type': 'string', 'nullable': True},
                'details': {'type': 'object'},
                'prev_mac': {'type': 'string'},
                'mac': {'type': 'string'},
            },
        },
        'AuditPage': {
            'type': 'object',
            'properties': {
                '@id': {'type': 'string'},
                'items_total': {'type': 'integer'},
                'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/AuditEntry'}},
            },
        },
        'Sharing': {
            'type': 'object',
            'properties': {
                '@id': {'type': 'string'},
                'entries': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {
                            'login': {'type': 'string'},
                            'roles': {'type': 'array', 'items': {'type': 'string'}},
                        },
                    },
                },
                'inherited': {'type': 'array', 'items': {'type': 'object'}},
                'available_roles': {'type': 'array', 'items': {'type': 'object'}},
            },
        },
        'SearchResult': {
            'type': 'object',
            'properties': {
                '@id': {'type': 'string'},
                'items_total': {'type': 'integer'},
                'items': {'type': 'array', 'items': _ref('Summary')},
                'batching': {'type': 'object', 'properties': {'next': {'type': 'string'}}},
            },
        },
    }
    add_bodies, read_refs, patch_refs = [], [], []
    read_mapping, add_mapping = {}, {}
    for info in types.types.values():
        name = _component_name(info.name)
        read = {
            'allOf': [
                _ref('Summary'),
                {
                    'type': 'object',
                    'properties': {
                        '@type': {'type': 'string', 'enum': [info.name]},
                        'created': {'type': 'string', 'format': 'date-time', 'nullable': True},
                        'modified': {'type': 'string', 'format': 'date-time', 'nullable': True},
                        'creator': {'type': 'string', 'nullable': True},
                        'items': {'type': 'array', 'items': _ref('Summary')},
                        'items_total': {'type': 'integer'},
                        **{f.name: field_schema(f, locale) for f in info.fields},
                    },
                },
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
            body['properties']['@type'] = {'type': 'string', 'enum': [info.name]}
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
    path_param = {
        'name': 'path',
        'in': 'path',
        'required': True,
        'description': 'The object path, e.g. sager/22-2024',
        'schema': {'type': 'string'},
    }
    batch = [
        {'name': 'b_start', 'in': 'query', 'schema': {'type': 'integer', 'minimum': 0}},
        {
            'name': 'b_size',
            'in': 'query',
            'schema': {'type': 'integer', 'minimum': 1, 'maximum': 200},
        },
    ]
    search_params = batch + [
        {
            'name': 'q',
            'in': 'query',
            'description': 'Full-text query',
            'schema': {'type': 'string'},
        },
        {'name': 'type', 'in': 'query', 'schema': {'type': 'string'}},
        {'name': 'review_state', 'in': 'query', 'schema': {'type': 'string'}},
        {'name': 'sort_on', 'in': 'query', 'schema': {'type': 'string'}},
        {
            'name': 'sort_order',
            'in': 'query',
            'schema': {'type': 'string', 'enum': ['ascending', 'descending']},
        },
    ]
    for fname, kind in sorted(types.indexed_fields().items()):
        if kind != 'text':
            search_params.append({'name': fname, 'in': 'query', 'schema': {'type': 'string'}})
    any_read = {
        'oneOf': read_refs,
        'discriminator': {'propertyName': '@type', 'mapping': read_mapping},
    }
    transition_param = {
        'name': 'transition',
        'in': 'path',
        'required': True,
        'schema': {'type': 'string'},
    }
    paths = {
        '/@login': {
            'post': {
                'summary': 'Log in; returns a bearer token',
                'security': [],
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['login', 'password'],
                                'properties': {
                                    'login': {'type': 'string'},
                                    'password': {'type': 'string'},
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'token': {'type': 'string'},
                                'login': {'type': 'string'},
                                'roles': {'type': 'array', 'items': {'type': 'string'}},
                                'expires_in': {'type': 'integer'},
                            },
                        }
                    ),
                    '401': errors['401'],
                },
            }
        },
        '/@logout': {
            'post': {
                'summary': 'End the bearer token',
                'responses': {'200': _json({'type': 'object'}), '400': errors['400']},
            }
        },
        '/@openapi.json': {
            'get': {
                'summary': 'This document',
                'security': [],
                'responses': {'200': _json({'type': 'object'})},
            }
        },
        '/@types': {
            'get': {
                'summary': 'The content types',
                'responses': {
                    '200': _json({'type': 'array', 'items': {'type': 'object'}}),
                    '401': errors['401'],
                },
            }
        },
        '/@types/{name}': {
            'get': {
                'summary': "A type's JSON Schema",
                'parameters': [
                    {
                        'name': 'name',
                        'in': 'path',
                        'required': True,
                        'schema': {'type': 'string', 'enum': list(types.types)},
                    }
                ],
                'responses': {'200': _json({'type': 'object'}), '404': errors['404']},
            }
        },
        '/@search': {
            'get': {
                'summary': 'Search the whole site',
                'parameters': search_params,
                'responses': {
                    '200': _json(_ref('SearchResult')),
                    '400': errors['400'],
                    '401': errors['401'],
                },
            },
            'post': {
                'summary': 'Search with the parameters in the body (keeps a CPR '
                'number out of URLs); searches by person are audited',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'additionalProperties': {
                                    'oneOf': [
                                        {'type': 'string'},
                                        {'type': 'array', 'items': {'type': 'string'}},
                                    ]
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '200': _json(_ref('SearchResult')),
                    '400': errors['400'],
                    '401': errors['401'],
                },
            },
        },
        '/@password': {
            'post': {
                'summary': 'Change your own password (ends your other sessions and tokens)',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['old_password', 'new_password'],
                                'properties': {
                                    'old_password': {'type': 'string'},
                                    'new_password': {'type': 'string'},
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '200': _json({'type': 'object'}),
                    '400': errors['400'],
                    '403': errors['403'],
                },
            }
        },
        '/@audit': {
            'get': {
                'summary': 'The audit log (auditor, admin)',
                'parameters': batch
                + [
                    {'name': n, 'in': 'query', 'schema': {'type': 'string'}}
                    for n in ('actor', 'action', 'from', 'to')
                ],
                'responses': {'200': _json(_ref('AuditPage')), '403': errors['403']},
            }
        },
        '/{path}': {
            'parameters': [path_param],
            'get': {
                'summary': 'Read an object (Accept: application/json)',
                'parameters': batch
                + [{'name': 'sort_on', 'in': 'query', 'schema': {'type': 'string'}}],
                'responses': {'200': _json(any_read), '401': errors['401'], '404': errors['404']},
            },
            'post': {
                'summary': 'Add an object to this container',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'oneOf': add_bodies,
                                'discriminator': {'propertyName': '@type', 'mapping': add_mapping},
                            }
                        }
                    },
                },
                'responses': {'201': _json(any_read, 'Created'), **errors},
            },
            'patch': {
                'summary': 'Change some fields of an object',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            # a PATCH body does not name its type: any may match
                            'schema': {'anyOf': patch_refs}
                        }
                    },
                },
                'responses': {'200': _json(any_read), **errors},
            },
            'delete': {
                'summary': 'Refused: case records are never deleted',
                'responses': {'403': errors['403'], '401': errors['401']},
            },
        },
        '/{path}/@search': {
            'get': {
                'summary': 'Search under an object',
                'parameters': [path_param] + search_params,
                'responses': {'200': _json(_ref('SearchResult')), '400': errors['400']},
            }
        },
        '/{path}/@history': {
            'get': {
                'summary': 'The review history',
                'parameters': [path_param],
                'responses': {
                    '200': _json({'type': 'array', 'items': _ref('HistoryEntry')}),
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@workflow': {
            'get': {
                'summary': 'State, available transitions, history',
                'parameters': [path_param],
                'responses': {'200': _json({'type': 'object'}), '404': errors['404']},
            }
        },
        '/{path}/@audit': {
            'get': {
                'summary': "An object's audit trail (auditor, admin)",
                'parameters': [path_param] + batch,
                'responses': {'200': _json(_ref('AuditPage')), '404': errors['404']},
            }
        },
        '/{path}/@sharing': {
            'parameters': [path_param],
            'get': {
                'summary': 'Local roles granted here and inherited',
                'responses': {'200': _json(_ref('Sharing')), '404': errors['404']},
            },
            'post': {
                'summary': 'Grant (or with an empty list revoke) local roles',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['login', 'roles'],
                                'properties': {
                                    'login': {'type': 'string'},
                                    'roles': {'type': 'array', 'items': {'type': 'string'}},
                                },
                            }
                        }
                    },
                },
                'responses': {'200': _json(_ref('Sharing')), **errors},
            },
        },
        '/{path}/@versions': {
            'get': {
                'summary': 'The versions of a versioned object; ?a=&b= compares two',
                'parameters': [path_param]
                + [{'name': n, 'in': 'query', 'schema': {'type': 'integer'}} for n in ('a', 'b')],
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'items': {'type': 'array', 'items': {'type': 'object'}},
                                'compare': {'type': 'object'},
                            },
                        }
                    ),
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@recipients': {
            'get': {
                'summary': 'Who received these versions of a document (from the disclosure log): '
                'the recipients a correction must reach',
                'parameters': [
                    path_param,
                    {'name': 'version', 'in': 'query', 'schema': {'type': 'integer'}},
                ],
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'versions': {'type': 'array', 'items': {'type': 'integer'}},
                                'items': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'recipient': _ref('Summary'),
                                            'channel': {'type': 'string', 'nullable': True},
                                            'disclosures': {
                                                'type': 'array',
                                                'items': {'type': 'object'},
                                            },
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    '400': errors['400'],
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@journal-import': {
            'post': {
                'summary': "Import a journal list (CSV/XLSX) into a case; dry_run (the default) "
                'reports what would be created and keeps nothing',
                'parameters': [path_param],
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['file', 'mapping'],
                                'properties': {
                                    'file': {
                                        'type': 'object',
                                        'required': ['filename', 'data'],
                                        'properties': {
                                            'filename': {'type': 'string'},
                                            'data': {'type': 'string', 'format': 'byte'},
                                        },
                                    },
                                    'mapping': {
                                        'type': 'object',
                                        'description': 'target -> column name: date, '
                                        'title, direction (required); party, filename, recipient, '
                                        'legal_basis',
                                        'additionalProperties': {'type': 'string'},
                                    },
                                    'dry_run': {'type': 'boolean', 'default': True},
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'dry_run': {'type': 'boolean'},
                                'created': {'type': 'array', 'items': {'type': 'object'}},
                                'problems': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'row': {'type': 'integer'},
                                            'message': {'type': 'string'},
                                        },
                                    },
                                },
                                'counts': {'type': 'object'},
                            },
                        }
                    ),
                    **errors,
                },
            }
        },
        '/{path}/@download/{field}': {
            'get': {
                'summary': "The current version's file (audited)",
                'parameters': [
                    path_param,
                    {'name': 'field', 'in': 'path', 'required': True, 'schema': {'type': 'string'}},
                ],
                'responses': {
                    '200': {
                        'description': 'The file',
                        'content': {
                            'application/octet-stream': {
                                'schema': {'type': 'string', 'format': 'binary'}
                            }
                        },
                    },
                    '403': errors['403'],
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@download/{field}/{version}': {
            'get': {
                'summary': "A given version's file (audited)",
                'parameters': [
                    path_param,
                    {'name': 'field', 'in': 'path', 'required': True, 'schema': {'type': 'string'}},
                    {
                        'name': 'version',
                        'in': 'path',
                        'required': True,
                        'schema': {'type': 'integer'},
                    },
                ],
                'responses': {
                    '200': {
                        'description': 'The file',
                        'content': {
                            'application/octet-stream': {
                                'schema': {'type': 'string', 'format': 'binary'}
                            }
                        },
                    },
                    '403': errors['403'],
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@workflow/{transition}': {
            'post': {
                'summary': 'Take a workflow transition',
                'parameters': [path_param, transition_param],
                'requestBody': {
                    'required': False,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'properties': {
                                    'comment': {'type': 'string'},
                                    'fields': {
                                        'type': 'object',
                                        'description': 'fields saved with the step, '
                                        'all or nothing (e.g. sent_on, channel, sent_evidence)',
                                    },
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'review_state': {'type': 'string'},
                                'history': {'type': 'array', 'items': _ref('HistoryEntry')},
                            },
                        }
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
                        {
                            'type': 'object',
                            'properties': {
                                'complete': {'type': 'boolean'},
                                'gaps': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'kind': {'type': 'string'},
                                            'subject': {'type': 'string'},
                                            'message': {'type': 'string'},
                                        },
                                    },
                                },
                                'deadline': {'type': 'object'},
                                'restricted': {'type': 'boolean'},
                                'recipients': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'recipient': {'type': 'string'},
                                            'name': {'type': 'string'},
                                            'origin': {
                                                'type': 'string',
                                                'enum': ['derived', 'manual'],
                                            },
                                            'accounted': {'type': 'boolean'},
                                            'disclosures': {
                                                'type': 'array',
                                                'items': {'type': 'object'},
                                            },
                                            'notification': {'type': 'object', 'nullable': True},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@derive-notifications': {
            'post': {
                'summary': 'Add a notification for every derived recipient that has none yet',
                'parameters': [path_param],
                'responses': {
                    '201': _json(
                        {
                            'type': 'object',
                            'properties': {'items': {'type': 'array', 'items': _ref('Summary')}},
                        },
                        'Created',
                    ),
                    '200': _json({'type': 'object'}, 'Nothing to add'),
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
                        {
                            'type': 'object',
                            'properties': {
                                'items': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'when': {'type': 'string'},
                                            'kind': {'type': 'string'},
                                            'subject': {'type': 'string'},
                                            'what': {'type': 'string'},
                                            'actor': {'type': 'string', 'nullable': True},
                                            'detail': {'type': 'string'},
                                        },
                                    },
                                }
                            },
                        }
                    ),
                    '404': errors['404'],
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
                        'schema': {'type': 'boolean'},
                        'description': 'only what the user created',
                    },
                    {'name': 'kind', 'in': 'query', 'schema': {'type': 'string'}},
                ],
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'today': {'type': 'string', 'format': 'date'},
                                'items': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'date': {'type': 'string', 'format': 'date'},
                                            'kind': {'type': 'string'},
                                            'kind_title': {'type': 'string'},
                                            'overdue': {'type': 'boolean'},
                                            '@id': {'type': 'string'},
                                            'title': {'type': 'string'},
                                            'number': {'type': 'string'},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    '400': errors['400'],
                    '401': errors['401'],
                },
            }
        },
        '/@deadlines.ics': {
            'get': {
                'summary': 'The same as an iCalendar feed; `feed` is the personal token from '
                '@deadlines-feed (for Outlook, which sends no header)',
                'security': [{'bearer': []}, {}],
                'parameters': [{'name': 'feed', 'in': 'query', 'schema': {'type': 'string'}}],
                'responses': {
                    '200': {
                        'description': 'iCalendar',
                        'content': {'text/calendar': {'schema': {'type': 'string'}}},
                    },
                    '403': errors['403'],
                },
            }
        },
        '/@deadlines-feed': {
            'post': {
                'summary': 'Make a personal calendar feed address (ends the old one)',
                'responses': {
                    '200': _json({'type': 'object', 'properties': {'url': {'type': 'string'}}}),
                    '401': errors['401'],
                },
            }
        },
        '/@choices': {
            'get': {
                'summary': 'The extensible choice lists (themes, legal bases)',
                'responses': {'200': _json({'type': 'object'}), '401': errors['401']},
            },
            'post': {
                'summary': 'Add a choice (administrators); choices are never removed',
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['type', 'field', 'value', 'title_da'],
                                'properties': {
                                    k: {'type': 'string'}
                                    for k in ('type', 'field', 'value', 'title_da', 'title_en')
                                },
                            }
                        }
                    },
                },
                'responses': {'201': _json({'type': 'object'}, 'Created'), **errors},
            },
        },
        '/{path}/@delay-notice': {
            'post': {
                'summary': "Record that the citizen was told the advisor's deadline cannot be met "
                '(retssikkerhedsloven § 3, stk. 2)',
                'parameters': [path_param],
                'requestBody': {
                    'required': False,
                    'content': {
                        'application/json': {
                            'schema': {'type': 'object', 'properties': {'text': {'type': 'string'}}}
                        }
                    },
                },
                'responses': {'200': _json({'type': 'object'}), **errors},
            }
        },
        '/{path}/@letters': {
            'get': {
                'summary': 'The documents issued from an object (every version, with downloads) and '
                'the letters that can be issued from it now',
                'parameters': [path_param],
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'items': {'type': 'array', 'items': {'type': 'object'}},
                                'templates': {
                                    'type': 'array',
                                    'items': {
                                        'type': 'object',
                                        'properties': {
                                            'id': {'type': 'string'},
                                            'title': {'type': 'string'},
                                            'available': {'type': 'boolean'},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    '404': errors['404'],
                },
            }
        },
        '/{path}/@issue': {
            'post': {
                'summary': 'Issue a letter from this object (numbered, stored encrypted, signed); '
                'issuing the same letter again makes a new version that supersedes the old',
                'parameters': [path_param],
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['template'],
                                'properties': {
                                    'template': {'type': 'string'},
                                    'reason': {'type': 'string'},
                                },
                            }
                        }
                    },
                },
                'responses': {
                    '201': _json(
                        {
                            'type': 'object',
                            'properties': {
                                '@id': {'type': 'string'},
                                'number': {'type': 'string'},
                                'version': {'type': 'integer'},
                                'sha256': {'type': 'string'},
                                'download': {'type': 'string'},
                            },
                        },
                        'Created',
                    ),
                    '409': _json(_ref('Error'), 'Not in this state'),
                    **errors,
                },
            }
        },
        '/{path}/@issue-notices': {
            'post': {
                'summary': "Issue every recipient notice of a rectification request; answers one zip",
                'parameters': [path_param],
                'responses': {
                    '200': {
                        'description': 'The notices',
                        'content': {
                            'application/zip': {'schema': {'type': 'string', 'format': 'binary'}}
                        },
                    },
                    **errors,
                },
            }
        },
        '/{path}/@pdf/{version}': {
            'get': {
                'summary': 'A PDF copy of an issued version (LibreOffice; 404 where it is not installed)',
                'parameters': [
                    path_param,
                    {
                        'name': 'version',
                        'in': 'path',
                        'required': True,
                        'schema': {'type': 'integer'},
                    },
                ],
                'responses': {
                    '200': {
                        'description': 'The PDF',
                        'content': {
                            'application/pdf': {'schema': {'type': 'string', 'format': 'binary'}}
                        },
                    },
                    '404': errors['404'],
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
                        'application/octet-stream': {
                            'schema': {'type': 'string', 'format': 'binary'}
                        },
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'properties': {'data': {'type': 'string', 'format': 'byte'}},
                            }
                        },
                    },
                },
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'status': {
                                    'type': 'string',
                                    'enum': [
                                        'genuine',
                                        'changed',
                                        'bad_signature',
                                        'unknown',
                                        'not_docx',
                                    ],
                                },
                                'genuine': {'type': 'boolean'},
                                'number': {'type': 'string', 'nullable': True},
                                'version': {'type': 'integer', 'nullable': True},
                                'latest_version': {'type': 'integer', 'nullable': True},
                                'superseded': {'type': 'boolean'},
                            },
                        }
                    ),
                    '400': errors['400'],
                },
            }
        },
        '/{path}/@statistics': {
            'get': {
                'summary': "A report's statistics for its period (the numbers of \"Året i tal\")",
                'parameters': [path_param],
                'responses': {'200': _json({'type': 'object'}), '404': errors['404']},
            }
        },
        '/{path}/@figure/{number}': {
            'get': {
                'summary': "A report's figure 1-5 as PNG",
                'parameters': [
                    path_param,
                    {
                        'name': 'number',
                        'in': 'path',
                        'required': True,
                        'schema': {'type': 'integer', 'minimum': 1, 'maximum': 5},
                    },
                ],
                'responses': {
                    '200': {
                        'description': 'The figure',
                        'content': {
                            'image/png': {'schema': {'type': 'string', 'format': 'binary'}}
                        },
                    },
                    '404': errors['404'],
                },
            }
        },
        '/@report-history': {
            'get': {
                'summary': "Earlier years' unique inquiries (entered by hand)",
                'responses': {'200': _json({'type': 'object'}), '401': errors['401']},
            },
            'post': {
                'summary': "Enter a year's total (administrators)",
                'requestBody': {
                    'required': True,
                    'content': {
                        'application/json': {
                            'schema': {
                                'type': 'object',
                                'required': ['year', 'inquiries'],
                                'properties': {
                                    'year': {'type': 'integer'},
                                    'inquiries': {'type': 'integer'},
                                },
                            }
                        }
                    },
                },
                'responses': {'200': _json({'type': 'object'}), **errors},
            },
        },
        '/@dashboard': {
            'get': {
                'summary': "The jurist's dashboard: open rectification requests with their gaps, "
                'deadline counts, unacknowledged notifications, exemptions to review',
                'parameters': batch
                + [
                    {'name': 'centre', 'in': 'query', 'schema': {'type': 'string'}},
                    {'name': 'state', 'in': 'query', 'schema': {'type': 'string'}},
                    {'name': 'min_age_days', 'in': 'query', 'schema': {'type': 'integer'}},
                    {'name': 'gaps_only', 'in': 'query', 'schema': {'type': 'boolean'}},
                ],
                'responses': {
                    '200': _json(
                        {
                            'type': 'object',
                            'properties': {
                                'items_total': {'type': 'integer'},
                                'counts': {'type': 'object'},
                                'items': {'type': 'array', 'items': {'type': 'object'}},
                                'unacknowledged': {'type': 'object'},
                                'exemptions': {'type': 'object'},
                            },
                        }
                    ),
                    '400': errors['400'],
                    '401': errors['401'],
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
