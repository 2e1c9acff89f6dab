"""Field kinds: what one field type (`type:` in a schema) means everywhere.

One `FieldKind` subclass per field type carries what would otherwise be an
if-chain in every layer: the colander type and validators, the Deform
widget, the JSON Schema, how a search value is converted, what the catalog
indexes, how a value is displayed and what a letter shows. Adding a field
type is one class here (or anywhere) plus one registration
(`register`, called by the configuration); adding a field is one YAML line.

Kinds are stateless: one instance per registered name, shared by every
field of that type. No Pyramid here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

import colander  # type: ignore[import-untyped, unused-ignore]

from .colander_types import CprNumber, FileUpload, StrictDate, StrictSet, _, not_in_future
from .display import long_date

JSON = dict[str, Any]
Validator = Callable[[Any, Any], None]


class Field(Protocol):
    """What a kind reads of a field (`registry.FieldInfo`)."""

    @property
    def type(self) -> str: ...
    @property
    def widget(self) -> str | None: ...
    @property
    def choices(self) -> Sequence[Any]: ...
    @property
    def choice_values(self) -> tuple[str, ...]: ...
    @property
    def default(self) -> Any: ...
    @property
    def max_length(self) -> int | None: ...
    @property
    def pattern(self) -> str | None: ...
    @property
    def not_after_today(self) -> bool: ...
    @property
    def target_types(self) -> tuple[str, ...]: ...

    def pattern_message(self, locale: str) -> str: ...

    def choice_title(self, value: str, locale: str) -> str: ...


class KindRegistrar(Protocol):
    """The part of `extensions.Registrar` that registers field kinds."""

    def add_field_kind(self, name: str, cls: type[FieldKind]) -> None: ...


_TRUE = ('true', '1', 'on', 'yes')
_FALSE = ('false', '0', 'off', 'no')


class FieldKind:
    """The behaviour of one field type; subclasses override what differs.

    Class attributes are the facts the schema loader checks fields against,
    so a new kind needs no change to the loader."""

    #: may be sealed (stored encrypted as text, shown only with view_protected)
    protectable: ClassVar[bool] = False
    #: always sealed, even when the schema does not say `protected`
    always_protected: ClassVar[bool] = False
    #: must be declared `protected: true`
    must_be_protected: ClassVar[bool] = False
    #: offers `choices:` (needs them; may be `extensible`)
    has_choices: ClassVar[bool] = False
    #: a calendar date (`not_after_today`, `not_before`, `default: today`)
    is_date: ClassVar[bool] = False
    #: the index kinds a field of this kind may declare
    index_kinds: ClassVar[tuple[str, ...]] = ('field', 'keyword', 'text')
    #: may be set by a rule (`computed: true`)
    computable: ClassVar[bool] = True
    #: an optional field may be null in JSON (else it has an empty value)
    nullable: ClassVar[bool] = True
    #: shown in the merge data of letters
    in_letters: ClassVar[bool] = True

    def check(self, f: Field, where: str) -> str | None:
        """A problem with this field's declaration, or None."""
        return None

    # -- validation (colander) ------------------------------------------------
    def colander_type(self, f: Field) -> Any:
        return colander.String()

    def preparer(self, f: Field) -> Callable[[Any], Any] | None:
        return None

    def validators(self, f: Field, locale: str) -> list[Validator]:
        return []

    def missing(self, f: Field) -> Any:
        """What an optional field holds when nothing was sent."""
        return None

    def dynamic_default(self, f: Field, today: date) -> Any:
        """A default worked out when the object is made (None: no such default)."""
        return None

    def normalise(self, value: Any) -> Any:
        """The stored form of a validated value."""
        return value

    def serializable(self, value: Any) -> Any:
        """A stored value in the form colander serialises."""
        return value

    # -- forms (Deform) --------------------------------------------------------
    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.text_input()

    # -- JSON Schema (OpenAPI 3.0 dialect) --------------------------------------
    def json_schema(self, f: Field) -> JSON:
        return {'type': 'string'}

    # -- catalog ------------------------------------------------------------------
    def query_value(self, raw: str) -> Any:
        """A search value from a URL or a form; ValueError when it cannot be one."""
        return raw

    def index_value(self, index: str, value: Any) -> Any:
        """What an index of kind `index` holds for a stored (clear) value."""
        if index == 'text':
            return str(value)
        if index == 'keyword':
            return list(value)
        return value

    # -- reading -------------------------------------------------------------------
    def display(self, f: Field, value: Any, locale: str) -> str:
        """A stored value as a reader expects it (never None)."""
        if value is None or value == () or value == '':
            return ''
        return str(value)

    def letter_value(self, f: Field, value: Any, locale: str) -> str:
        return self.display(f, value, locale)


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class StringKind(FieldKind):
    protectable = True

    def preparer(self, f: Field) -> Callable[[Any], Any] | None:
        return strip

    def validators(self, f: Field, locale: str) -> list[Validator]:
        out: list[Validator] = []
        if f.max_length:
            out.append(colander.Length(max=f.max_length))
        if f.pattern:
            out.append(colander.Regex(f.pattern, msg=f.pattern_message(locale) or None))
        return out

    def json_schema(self, f: Field) -> JSON:
        s: JSON = {'type': 'string'}
        if f.max_length:
            s['maxLength'] = f.max_length
        if f.pattern:
            s['pattern'] = f.pattern
        return s


class TextKind(StringKind):
    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.text_area()


class DateKind(FieldKind):
    is_date = True

    def colander_type(self, f: Field) -> Any:
        return StrictDate()

    def validators(self, f: Field, locale: str) -> list[Validator]:
        return [not_in_future] if f.not_after_today else []

    def dynamic_default(self, f: Field, today: date) -> Any:
        return today.isoformat() if f.default == 'today' else None

    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.native_date()

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'string', 'format': 'date'}

    def query_value(self, raw: str) -> Any:
        return date.fromisoformat(raw)

    def display(self, f: Field, value: Any, locale: str) -> str:
        if isinstance(value, date):
            return long_date(value, locale)
        return super().display(f, value, locale)


class BooleanKind(FieldKind):
    nullable = False

    def colander_type(self, f: Field) -> Any:
        return colander.Boolean(false_choices=_FALSE, true_choices=_TRUE)

    def missing(self, f: Field) -> Any:
        return bool(f.default) if f.default is not None else False

    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.checkbox()

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'boolean'}

    def query_value(self, raw: str) -> Any:
        if raw.lower() in ('true', '1', 'yes', 'on'):
            return True
        if raw.lower() in ('false', '0', 'no', 'off'):
            return False
        raise ValueError(raw)

    def display(self, f: Field, value: Any, locale: str) -> str:
        if value is None or value == () or value == '':
            return ''
        return ('Yes' if value else 'No') if locale == 'en' else ('Ja' if value else 'Nej')


class IntegerKind(FieldKind):
    def colander_type(self, f: Field) -> Any:
        return colander.Integer(strict=True)

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'integer'}

    def query_value(self, raw: str) -> Any:
        return int(raw)


class ChoiceKind(FieldKind):
    has_choices = True

    def check(self, f: Field, where: str) -> str | None:
        return None if f.choices else f'a {f.type} field needs choices'

    def validators(self, f: Field, locale: str) -> list[Validator]:
        return [colander.OneOf(f.choice_values)]

    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        values = [(c.value, c.title(locale)) for c in f.choices]
        if f.widget == 'radio':
            return widgets.radio(values)
        return widgets.select([('', '–'), *values])

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'string', 'enum': list(f.choice_values)}

    def display(self, f: Field, value: Any, locale: str) -> str:
        if value is None or value == '':
            return ''
        return f.choice_title(value, locale)


class MultiChoiceKind(ChoiceKind):
    index_kinds = ('keyword', 'text')
    nullable = False

    def colander_type(self, f: Field) -> Any:
        return StrictSet()

    def validators(self, f: Field, locale: str) -> list[Validator]:
        return [colander.ContainsOnly(f.choice_values)]

    def missing(self, f: Field) -> Any:
        return ()

    def normalise(self, value: Any) -> Any:
        return tuple(sorted(value or ()))  # sets are not stable

    def serializable(self, value: Any) -> Any:
        return value if value is colander.null else set(value)

    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.checkboxes([(c.value, c.title(locale)) for c in f.choices])

    def json_schema(self, f: Field) -> JSON:
        return {
            'type': 'array',
            'uniqueItems': True,
            'items': {'type': 'string', 'enum': list(f.choice_values)},
        }

    def display(self, f: Field, value: Any, locale: str) -> str:
        if not value:
            return ''
        return ', '.join(f.choice_title(v, locale) for v in value)


class CprKind(FieldKind):
    """A Danish CPR number: always sealed; searchable only by its keyed hash."""

    protectable = True
    must_be_protected = True
    index_kinds = ('blind',)

    def colander_type(self, f: Field) -> Any:
        return CprNumber()

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'string', 'pattern': r'^\d{6}-?\d{4}$'}

    def query_value(self, raw: str) -> Any:
        from ..crypto.cpr import normalise_cpr

        return normalise_cpr(raw)  # InvalidCPR is a ValueError


class FileKind(FieldKind):
    """An uploaded file: always sealed, its words indexed as keyed hashes."""

    protectable = True
    always_protected = True
    index_kinds = ('words',)
    computable = False
    in_letters = False

    def colander_type(self, f: Field) -> Any:
        return FileUpload()

    def widget(self, f: Field, locale: str) -> Any:
        from . import widgets

        return widgets.native_file()

    def json_schema(self, f: Field) -> JSON:
        return {
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


class ReferenceKind(FieldKind):
    """The path of another object of one of `target_types`."""

    def check(self, f: Field, where: str) -> str | None:
        return None if f.target_types else 'a reference needs target_types'

    def preparer(self, f: Field) -> Callable[[Any], Any] | None:
        return strip

    def validators(self, f: Field, locale: str) -> list[Validator]:
        return [
            colander.Regex(
                r'^/[^\s]*$',
                msg=_(
                    'reference-format',
                    default='Expected the path of an object, e.g. /modtagere/ankestyrelsen.',
                ),
            )
        ]

    def json_schema(self, f: Field) -> JSON:
        return {'type': 'string', 'description': 'path of a ' + ' or '.join(f.target_types)}


def register(registrar: KindRegistrar) -> None:
    """The built-in field kinds, one line each (the configuration calls this)."""
    registrar.add_field_kind('string', StringKind)
    registrar.add_field_kind('text', TextKind)
    registrar.add_field_kind('date', DateKind)
    registrar.add_field_kind('boolean', BooleanKind)
    registrar.add_field_kind('integer', IntegerKind)
    registrar.add_field_kind('choice', ChoiceKind)
    registrar.add_field_kind('multichoice', MultiChoiceKind)
    registrar.add_field_kind('cpr', CprKind)
    registrar.add_field_kind('file', FileKind)
    registrar.add_field_kind('reference', ReferenceKind)


class _Kinds:
    def __init__(self) -> None:
        self.found: dict[str, FieldKind] = {}

    def add_field_kind(self, name: str, cls: type[FieldKind]) -> None:
        self.found[name] = cls()


@cache
def builtin_kinds() -> Mapping[str, FieldKind]:
    """The built-in kinds by name, for fields made in code (tests, tools)."""
    kinds = _Kinds()
    register(kinds)
    return MappingProxyType(kinds.found)
