"""What code contributes to the data-driven types: field kinds, named rules,
workflow guards and letter-context providers, each under a name a schema
(or a template's `applies_to`) may use.

Packages never fill a module dict when imported. Each exposes a
`register(registrar)` function that names its contributions one line each;
the web layer's configuration (`tracker.registration`) passes a Pyramid
configurator, whose directives turn each call into a `config.action` with a
discriminator, so a name registered twice stops start-up naming both
places. `Collector` is the plain registrar for code without Pyramid.
The result, `Extensions`, is read-only and handed to `load_registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .kinds import FieldKind

#: (values, RuleContext) -> values; raises RuleFailed
Rule = Callable[[dict[str, Any], Any], dict[str, Any]]
#: (obj, GuardContext | None) -> None, or why the transition is not possible
Guard = Callable[[Any, Any], Any]
#: (obj, site, types, read) -> the type's part of a letter's merge data
LetterContext = Callable[[Any, Any, Any, Callable[[Any], dict[str, Any]]], dict[str, Any]]


class Registrar(Protocol):
    """What `register(registrar)` functions call (a Pyramid configurator
    with tracker.registration's directives, or a `Collector`)."""

    def add_field_kind(self, name: str, cls: type[FieldKind]) -> None: ...

    def add_rule(self, name: str, func: Rule) -> None: ...

    def add_guard(self, name: str, func: Guard) -> None: ...

    def add_letter_context(self, type_name: str, func: LetterContext) -> None: ...


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Extensions:
    """The registered contributions by name (read-only)."""

    kinds: Mapping[str, FieldKind] = field(default_factory=_empty)
    rules: Mapping[str, Rule] = field(default_factory=_empty)
    guards: Mapping[str, Guard] = field(default_factory=_empty)
    letter_contexts: Mapping[str, LetterContext] = field(default_factory=_empty)


class DuplicateName(ValueError):
    """The same name registered twice (`Collector`; Pyramid raises its own
    ConfigurationConflictError)."""


class Collector:
    """A registrar without Pyramid: collects, refuses duplicates."""

    def __init__(self) -> None:
        self.kinds: dict[str, FieldKind] = {}
        self.rules: dict[str, Rule] = {}
        self.guards: dict[str, Guard] = {}
        self.letter_contexts: dict[str, LetterContext] = {}

    @staticmethod
    def _add(table: dict[str, Any], what: str, name: str, value: Any) -> None:
        if name in table:
            raise DuplicateName(f'{what} {name!r} registered twice: {table[name]!r} and {value!r}')
        table[name] = value

    def add_field_kind(self, name: str, cls: type[FieldKind]) -> None:
        self._add(self.kinds, 'field kind', name, cls())

    def add_rule(self, name: str, func: Rule) -> None:
        self._add(self.rules, 'rule', name, func)

    def add_guard(self, name: str, func: Guard) -> None:
        self._add(self.guards, 'guard', name, func)

    def add_letter_context(self, type_name: str, func: LetterContext) -> None:
        self._add(self.letter_contexts, 'letter context', type_name, func)

    def freeze(self) -> Extensions:
        return Extensions(
            kinds=MappingProxyType(dict(self.kinds)),
            rules=MappingProxyType(dict(self.rules)),
            guards=MappingProxyType(dict(self.guards)),
            letter_contexts=MappingProxyType(dict(self.letter_contexts)),
        )
