"""Colander schemas built from a type's fields.

The same schema validates form posts (through Deform), API bodies, CLI
input and imports: the services layer calls it, so nothing is stored
unvalidated. Schemas are built once per (type, locale) and cached; callers
that need to change them (Deform widgets) clone first.
"""
import colander

from .registry import FieldInfo, TypeInfo

_TRUE = ('true', '1', 'on', 'yes')
_FALSE = ('false', '0', 'off', 'no')


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _node(f: FieldInfo, locale: str) -> colander.SchemaNode:
    validators = []
    kw = {}
    if f.type in ('string', 'text'):
        typ = colander.String()
        kw['preparer'] = _strip
        if f.max_length:
            validators.append(colander.Length(max=f.max_length))
        if f.pattern:
            validators.append(colander.Regex(f.pattern, msg=f.pattern_message(locale) or None))
    elif f.type == 'date':
        typ = colander.Date()
    elif f.type == 'boolean':
        typ = colander.Boolean(false_choices=_FALSE, true_choices=_TRUE)
    elif f.type == 'integer':
        typ = colander.Integer(strict=True)
    elif f.type == 'choice':
        typ = colander.String()
        validators.append(colander.OneOf(f.choice_values))
    elif f.type == 'multichoice':
        typ = colander.Set()
        validators.append(colander.ContainsOnly(f.choice_values))
    else:  # the loader rejects other types
        raise ValueError(f.type)
    if not f.required:
        if f.type == 'multichoice':
            kw['missing'] = ()
        elif f.type == 'boolean':
            kw['missing'] = bool(f.default) if f.default is not None else False
        else:
            kw['missing'] = None
    if f.default is not None:
        kw['default'] = f.default
    if validators:
        kw['validator'] = colander.All(*validators) if len(validators) > 1 else validators[0]
    return colander.SchemaNode(typ, name=f.name, title=f.title(locale),
                               description=f.description(locale), **kw)


def colander_schema(info: TypeInfo, locale: str = 'da') -> colander.SchemaNode:
    """The (cached, shared) schema of a type; clone before changing it.
    Cached on the TypeInfo itself, so a reloaded type never meets an old schema."""
    schema = info.schema_cache.get(locale)
    if schema is None:
        # An unnamed root keeps error keys plain field names ('title', not 'case.title').
        schema = colander.SchemaNode(colander.Mapping(unknown='ignore'), name='')
        for f in info.fields:
            schema.add(_node(f, locale))
        info.schema_cache[locale] = schema
    return schema


def normalise(info: TypeInfo, appstruct: dict) -> dict:
    """Store multichoice values as sorted tuples (sets are not stable)."""
    out = dict(appstruct)
    for f in info.fields:
        if f.type == 'multichoice' and f.name in out:
            out[f.name] = tuple(sorted(out[f.name] or ()))
    return out


def to_cstruct(info: TypeInfo, values: dict, locale: str = 'da') -> dict:
    """Serialise stored values back to the strings/lists a form or API sends."""
    schema = colander_schema(info, locale)
    clean = {k: (colander.null if v is None else v) for k, v in values.items()
             if k in info.by_name}
    for f in info.fields:
        if f.type == 'multichoice' and f.name in clean and clean[f.name] is not colander.null:
            clean[f.name] = set(clean[f.name])
    return schema.serialize(clean)
