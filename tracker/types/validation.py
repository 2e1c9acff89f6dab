"""Colander schemas built from a type's fields.

The same schema validates form posts (through Deform), API bodies, CLI
input and imports: the services layer calls it, so nothing is stored
unvalidated. Schemas are built once per (type, locale) and cached; callers
that need to change them (Deform widgets) clone first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import colander  # type: ignore[import-untyped]
from translationstring import TranslationStringFactory  # type: ignore[import-untyped]

from ..crypto.cpr import InvalidCPR, normalise_cpr
from .registry import FieldInfo, TypeInfo

_ = TranslationStringFactory('tracker')
ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
LOCAL = ZoneInfo('Europe/Copenhagen')


class StrictDate(colander.Date):  # type: ignore[misc]
    """A calendar date written YYYY-MM-DD, nothing more (colander would also
    take a date-time and silently drop the time)."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        if isinstance(cstruct, str) and cstruct and not ISO_DATE.match(cstruct.strip()):
            raise colander.Invalid(node, _('date-format', default='Write the date as YYYY-MM-DD.'))
        return super().deserialize(node, cstruct.strip() if isinstance(cstruct, str) else cstruct)


class StrictSet(colander.Set):  # type: ignore[misc]
    """A list of choices; a string or an object is not a list."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        if cstruct is not colander.null and not isinstance(cstruct, (list, tuple, set)):
            raise colander.Invalid(node, _('expected-list', default='Expected a list of choices.'))
        return super().deserialize(node, cstruct)


class CprNumber(colander.String):  # type: ignore[misc]
    """DDMMYY-SSSS or DDMMYYSSSS with a real date; stored as DDMMYY-SSSS.
    No modulus-11 check: valid numbers issued since 2007 fail it."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
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

    def __init__(self, filename: str, data: bytes) -> None:
        self.filename = filename
        self.data = data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Upload) and (self.filename, self.data) == (
            other.filename,
            other.data,
        )


class FileUpload(colander.SchemaType):  # type: ignore[misc]
    """A file from a form (a multipart field) or the API
    (`{"filename": ..., "data": <base64>}`); never serialised back."""

    def serialize(self, node: Any, appstruct: Any) -> Any:
        return colander.null

    def deserialize(self, node: Any, cstruct: Any) -> Any:
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


def _filename(value: object) -> str:
    name = (value if isinstance(value, str) else '').replace('\\', '/').rsplit('/', 1)[-1]
    return name.strip()[:200] or 'fil'


def not_in_future(node: Any, value: date | None) -> None:
    if value is not None and value > datetime.now(LOCAL).date():
        raise colander.Invalid(
            node, _('date-in-future', default='The date cannot be in the future.')
        )


def _order_rules(info: TypeInfo, locale: str) -> Callable[[Any, Mapping[str, Any]], None] | None:
    """Mapping-level check: a date field declared `not_before` another."""
    rules = [(f, info.by_name[f.not_before]) for f in info.fields if f.not_before]

    def validator(node: Any, values: Mapping[str, Any]) -> None:
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


def _node(f: FieldInfo, locale: str) -> Any:
    """One field's node: its kind gives the colander type and validators."""
    kind = f.kind
    kw: dict[str, Any] = {}
    preparer = kind.preparer(f)
    if preparer is not None:
        kw['preparer'] = preparer
    if not f.required:
        kw['missing'] = kind.missing(f)
    if f.default is not None and f.default != 'today':
        kw['default'] = f.default
    validators = kind.validators(f, locale)
    if validators:
        kw['validator'] = colander.All(*validators) if len(validators) > 1 else validators[0]
    return colander.SchemaNode(
        kind.colander_type(f),
        name=f.name,
        title=f.title(locale),
        description=f.description(locale),
        **kw,
    )


def colander_schema(info: TypeInfo, locale: str = 'da') -> Any:
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


def fill_defaults(
    info: TypeInfo, cstruct: Mapping[str, Any], absent_only: bool = False
) -> dict[str, Any]:
    """Dates declared `default: today` get today's date when not given; with
    `absent_only` (a new object from the API or an import) a field left out
    gets its declared default, as the form would have offered it."""
    out = dict(cstruct)
    today = datetime.now(LOCAL).date()
    for f in info.fields:
        dynamic = f.kind.dynamic_default(f, today)
        if dynamic is not None and out.get(f.name) in (None, '', colander.null):
            out[f.name] = dynamic
        elif (
            absent_only
            and f.default is not None
            and f.default != 'today'
            and f.name not in out
            and not f.computed
        ):
            out[f.name] = f.default
    return out


def form_defaults(info: TypeInfo, locale: str = 'da') -> dict[str, Any]:
    """What a new object's form starts with."""
    values = {
        f.name: f.default for f in info.fields if f.default is not None and f.default != 'today'
    }
    return fill_defaults(info, to_cstruct(info, values, locale))


def normalise(info: TypeInfo, appstruct: Mapping[str, Any]) -> dict[str, Any]:
    """Values as stored (multichoice values as sorted tuples: sets are not stable)."""
    out = dict(appstruct)
    for f in info.fields:
        if f.name in out:
            out[f.name] = f.kind.normalise(out[f.name])
    return out


def to_cstruct(info: TypeInfo, values: Mapping[str, Any], locale: str = 'da') -> dict[str, Any]:
    """Serialise stored values back to the strings/lists a form or API sends."""
    schema = colander_schema(info, locale)
    clean = {k: (colander.null if v is None else v) for k, v in values.items() if k in info.by_name}
    for f in info.fields:
        if f.name in clean:
            clean[f.name] = f.kind.serializable(clean[f.name])
    result: dict[str, Any] = schema.serialize(clean)
    return result
