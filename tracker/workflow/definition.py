"""Workflow definitions loaded from YAML (states, transitions, guards)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NoReturn

from ..titled import Named
from .guards import missing_fields_message

Guard = Callable[[Any, Any], Any]


class WorkflowError(Exception):
    pass


@dataclass(frozen=True)
class State(Named):
    readonly: bool = False


@dataclass(frozen=True)
class Transition(Named):
    sources: tuple[str, ...]
    target: str
    permission: str
    guards: tuple[str, ...] = ()
    comment_required: bool = False
    requires: tuple[str, ...] = ()  # fields that must hold a value first (the step's facts)
    # the named guards' functions, resolved when the workflow is loaded
    checks: tuple[Guard, ...] = field(default=(), compare=False, repr=False)

    def failed_guards(self, obj: Any, ctx: Any = None) -> list[Any]:
        """Messages of the guards that block this transition for obj; `ctx`
        (a GuardContext) tells guards who acts, when and where. Missing
        `requires` fields come first, named by their titles."""
        failed = []
        missing = [name for name in self.requires if obj.fields.get(name) in (None, '', ())]
        if missing:
            failed.append(missing_fields_message(obj, missing, ctx))
        return failed + [msg for msg in (check(obj, ctx) for check in self.checks) if msg]


@dataclass(frozen=True)
class Workflow:
    name: str
    title_da: str
    title_en: str
    initial: str
    states: Mapping[str, State]
    transitions: Mapping[str, Transition]
    source: str = ''

    def state(self, name: str) -> State:
        return self.states[name]

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def load_workflow(raw: Mapping[str, Any], source: str, guards: Mapping[str, Guard]) -> Workflow:
    """A workflow from its YAML; `guards` are the registered guards by name."""

    def fail(msg: str) -> NoReturn:
        raise WorkflowError(f'{source}: {msg}')

    name = raw.get('name') or fail('name is required')
    states = {}
    for sname, sraw in (raw.get('states') or {}).items():
        sraw = sraw or {}
        states[sname] = State(
            sname,
            sraw.get('title_da', sname),
            sraw.get('title_en', sname),
            bool(sraw.get('readonly', False)),
        )
    if not states:
        fail('no states')
    initial = raw.get('initial')
    if not isinstance(initial, str) or initial not in states:
        fail(f'initial state {initial!r} is not a state')
    transitions = {}
    for tname, traw in (raw.get('transitions') or {}).items():
        sources = tuple(traw.get('from') or ())
        target = traw.get('to')
        for s in sources + (target,):
            if s not in states:
                fail(f'transition {tname!r} names unknown state {s!r}')
        names = tuple(traw.get('guards') or ())
        for g in names:
            if g not in guards:
                fail(f'transition {tname!r} names unknown guard {g!r}')
        if not traw.get('permission'):
            fail(f'transition {tname!r} needs a permission')
        transitions[tname] = Transition(
            tname,
            traw.get('title_da', tname),
            traw.get('title_en', tname),
            sources,
            target,
            traw['permission'],
            names,
            bool(traw.get('comment_required', False)),
            tuple(traw.get('requires') or ()),
            tuple(guards[g] for g in names),
        )
    return Workflow(
        name,
        raw.get('title_da', name),
        raw.get('title_en', name),
        initial,
        MappingProxyType(states),
        MappingProxyType(transitions),
        source,
    )
