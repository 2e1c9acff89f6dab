"""JSON Schema (OpenAPI 3.0 dialect) for a type, from the same field list
that builds the colander schema; each field's kind gives its own part."""

from __future__ import annotations

from typing import Any

from .registry import FieldInfo, TypeInfo

JSON = dict[str, Any]


def field_schema(f: FieldInfo, locale: str = 'da') -> JSON:
    s = f.kind.json_schema(f)
    s['title'] = f.title(locale)
    if f.description(locale):
        s['description'] = f.description(locale)
    if f.protected:
        s['x-protected'] = True
    if f.computed:
        s['readOnly'] = True
    if not f.required and f.kind.nullable:
        s['nullable'] = True
        if 'enum' in s:
            s['enum'].append(None)  # OpenAPI 3.0: a nullable enum lists null
    return s


def input_schema(info: TypeInfo, locale: str = 'da', partial: bool = False) -> JSON:
    """The body of a POST (partial=False) or PATCH (partial=True)."""
    schema: JSON = {
        'type': 'object',
        'additionalProperties': False,
        'properties': {f.name: field_schema(f, locale) for f in info.fields},
    }
    required = [f.name for f in info.fields if f.required]
    if required and not partial:
        schema['required'] = required
    return schema


def type_json_schema(info: TypeInfo, locale: str = 'da') -> JSON:
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
