"""Colander schemas built from a type's fields.

The same schema validates form posts (through Deform), API bodies, CLI
input and imports: the services layer calls it, so nothing is stored
unvalidated. Schemas are built once per (type, locale) and cached; callers
that need to change them (Deform widgets) clone first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import colander  # type: ignore[import-untyped, unused-ignore]

from ..clock import current_clock
from .colander_types import (
    CprNumber,
    FileUpload,
    StrictDate,
    StrictSet,
    Upload,
    _,
)
from .registry import FieldInfo, TypeInfo

__all__ = [
    'CprNumber',
    'FileUpload',
    'StrictDate',
    'StrictSet',
    'Upload',
    'colander_schema',
    'fill_defaults',
    'form_defaults',
    'normalise',
    'to_cstruct',
]


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
    today = current_clock().today()
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
