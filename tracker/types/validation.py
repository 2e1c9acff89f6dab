"""Colander schemas built from a type's fields.

The same schema validates form posts (through Deform), API bodies, CLI
input and imports: the services layer calls it, so nothing is stored
unvalidated. Schemas are built once per (type, locale) and cached; callers
that need to change them (Deform widgets) clone first.
"""

import re
from typing import Any
from zoneinfo import ZoneInfo

import colander
from translationstring import TranslationStringFactory

from ..clock import current_clock
from ..crypto.cpr import InvalidCPR, normalise_cpr
from .registry import FieldInfo, TypeInfo

_ = TranslationStringFactory('tracker')
ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
LOCAL = ZoneInfo('Europe/Copenhagen')

_TRUE = ('true', '1', 'on', 'yes')
_FALSE = ('false', '0', 'off', 'no')


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StrictDate(colander.Date):
    """A calendar date written YYYY-MM-DD, nothing more (colander would also
    take a date-time and silently drop the time)."""

    def deserialize(self, node, cstruct):
        if isinstance(cstruct, str) and cstruct and not ISO_DATE.match(cstruct.strip()):
            raise colander.Invalid(node, _('date-format', default='Write the date as YYYY-MM-DD.'))
        return super().deserialize(node, cstruct.strip() if isinstance(cstruct, str) else cstruct)


class StrictSet(colander.Set):
    """A list of choices; a string or an object is not a list."""

    def deserialize(self, node, cstruct):
        if cstruct is not colander.null and not isinstance(cstruct, (list, tuple, set)):
            raise colander.Invalid(node, _('expected-list', default='Expected a list of choices.'))
        return super().deserialize(node, cstruct)


class CprNumber(colander.String):
    """DDMMYY-SSSS or DDMMYYSSSS with a real date; stored as DDMMYY-SSSS.
    No modulus-11 check: valid numbers issued since 2007 fail it."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        try:
            return normalise_cpr(value)
        except InvalidCPR:
            raise colander.Invalid(
                node,
                _(
                    'cpr-invalid',
                    default='Write the CPR number as DDMMYY-SSSS with a real date of birth.',
                ),
            ) from None


class Upload:
    """A file as received, before the services check and seal it."""

    __slots__ = ('filename', 'data')

    def __init__(self, filename, data):
        self.filename = filename
        self.data = data

    def __eq__(self, other):
        return isinstance(other, Upload) and (self.filename, self.data) == (
            other.filename,
            other.data,
        )


class FileUpload(colander.SchemaType):
    """A file from a form (a multipart field) or the API
    (`{"filename": ..., "data": <base64>}`); never serialised back."""

    def serialize(self, node, appstruct):
        return colander.null

    def deserialize(self, node, cstruct):
        if cstruct is colander.null or cstruct in ('', None, b''):
            return colander.null
        if isinstance(cstruct, Upload) or hasattr(cstruct, 'sealed_data'):
            return cstruct  # a new upload, or the stored file kept on edit
        if hasattr(cstruct, 'file') and hasattr(cstruct, 'filename'):  # multipart
            return Upload(_filename(cstruct.filename), cstruct.file.read())
        if isinstance(cstruct, dict) and isinstance(cstruct.get('data'), str):
            import base64
            import binascii

            try:
                data = base64.b64decode(cstruct['data'], validate=True)
            except (binascii.Error, ValueError):
                raise colander.Invalid(
                    node, _('file-base64', default='The file data is not base64.')
                ) from None
            return Upload(_filename(cstruct.get('filename')), data)
        raise colander.Invalid(node, _('file-expected', default='Expected a file.'))


def _filename(value):
    name = (value if isinstance(value, str) else '').replace('\\', '/').rsplit('/', 1)[-1]
    return name.strip()[:200] or 'fil'


def _not_in_future(node, value):
    if value is not None and value > current_clock().today():
        raise colander.Invalid(
            node, _('date-in-future', default='The date cannot be in the future.')
        )


def _order_rules(info, locale):
    """Mapping-level check: a date field declared `not_before` another."""
    rules = [(f, info.by_name[f.not_before]) for f in info.fields if f.not_before]

    def validator(node, values):
        invalid = None
        for f, other in rules:
            later, earlier = values.get(f.name), values.get(other.name)
            if later is not None and earlier is not None and later < earlier:
                invalid = invalid or colander.Invalid(node)
                invalid[f.name] = _(
                    'date-before',
                    default='Cannot be before "${field}".',
                    mapping={'field': other.title(locale)},
                )
        if invalid is not None:
            raise invalid

    return validator if rules else None


def _node(f: FieldInfo, locale: str) -> colander.SchemaNode:
    validators = []
    kw: dict[str, Any] = {}
    if f.type in ('string', 'text'):
        typ = colander.String()
        kw['preparer'] = _strip
        if f.max_length:
            validators.append(colander.Length(max=f.max_length))
        if f.pattern:
            validators.append(colander.Regex(f.pattern, msg=f.pattern_message(locale) or None))
    elif f.type == 'cpr':
        typ = CprNumber()
    elif f.type == 'file':
        typ = FileUpload()
    elif f.type == 'reference':
        typ = colander.String()
        kw['preparer'] = _strip
        validators.append(
            colander.Regex(
                r'^/[^\s]*$',
                msg=_(
                    'reference-format',
                    default='Expected the path of an object, e.g. /modtagere/ankestyrelsen.',
                ),
            )
        )
    elif f.type == 'date':
        typ = StrictDate()
        if f.not_after_today:
            validators.append(_not_in_future)
    elif f.type == 'boolean':
        typ = colander.Boolean(false_choices=_FALSE, true_choices=_TRUE)
    elif f.type == 'integer':
        typ = colander.Integer(strict=True)
    elif f.type == 'choice':
        typ = colander.String()
        validators.append(colander.OneOf(f.choice_values))
    elif f.type == 'multichoice':
        typ = StrictSet()
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
    if f.default is not None and f.default != 'today':
        kw['default'] = f.default
    if validators:
        kw['validator'] = colander.All(*validators) if len(validators) > 1 else validators[0]
    return colander.SchemaNode(
        typ, name=f.name, title=f.title(locale), description=f.description(locale), **kw
    )


def colander_schema(info: TypeInfo, locale: str = 'da') -> colander.SchemaNode:
    """The (cached, shared) schema of a type; clone before changing it.
    Cached on the TypeInfo itself, so a reloaded type never meets an old schema."""
    schema = info.schema_cache.get(locale)
    if schema is None:
        # An unnamed root keeps error keys plain field names ('title', not 'case.title').
        schema = colander.SchemaNode(
            colander.Mapping(unknown='ignore'), name='', validator=_order_rules(info, locale)
        )
        for f in info.fields:
            if not f.computed:  # set by rules, not by the user
                schema.add(_node(f, locale))
        info.schema_cache[locale] = schema
    return schema


def fill_defaults(info: TypeInfo, cstruct: dict, absent_only: bool = False) -> dict:
    """Dates declared `default: today` get today's date when not given; with
    `absent_only` (a new object from the API or an import) a field left out
    gets its declared default, as the form would have offered it."""
    out = dict(cstruct)
    for f in info.fields:
        if (
            f.type == 'date'
            and f.default == 'today'
            and out.get(f.name) in (None, '', colander.null)
        ):
            out[f.name] = current_clock().today().isoformat()
        elif (
            absent_only
            and f.default is not None
            and f.default != 'today'
            and f.name not in out
            and not f.computed
        ):
            out[f.name] = f.default
    return out


def form_defaults(info: TypeInfo, locale: str = 'da') -> dict:
    """What a new object's form starts with."""
    values = {
        f.name: f.default for f in info.fields if f.default is not None and f.default != 'today'
    }
    return fill_defaults(info, to_cstruct(info, values, locale))


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
    clean = {k: (colander.null if v is None else v) for k, v in values.items() if k in info.by_name}
    for f in info.fields:
        if f.type == 'multichoice' and f.name in clean and clean[f.name] is not colander.null:
            clean[f.name] = set(clean[f.name])
    return schema.serialize(clean)
