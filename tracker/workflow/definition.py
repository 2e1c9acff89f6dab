"""Workflow definitions loaded from YAML (states, transitions, guards)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from translationstring import TranslationString

from .guards import GUARDS, GuardContext, missing_fields_message

if TYPE_CHECKING:
    from ..model.content import Content


class WorkflowError(Exception):
    pass


@dataclass(frozen=True)
class State:
    name: str
    title_da: str
    title_en: str
    readonly: bool = False

    def title(self, locale: str) -> str:
        return self.title_en if locale == 'en' else self.title_da


@dataclass(frozen=True)
class Transition:
    name: str
    title_da: str
    title_en: str
    sources: tuple[str, ...]
    target: str
    permission: str
    guards: tuple[str, ...] = ()
    comment_required: bool = False
    requires: tuple[str, ...] = ()  # fields that must hold a value first (the step's facts)

    def title(self, locale: str) -> str:
        return self.title_en if locale == 'en' else self.title_da

    def failed_guards(
        self, obj: 'Content', ctx: GuardContext | None = None
    ) -> list[TranslationString]:
        """Messages of the guards that block this transition for obj; `ctx`
        (a GuardContext) tells guards who acts, when and where. Missing
        `requires` fields come first, named by their titles."""
        failed: list[TranslationString] = []
        missing = [name for name in self.requires if obj.fields.get(name) in (None, '', ())]
        if missing:
            failed.append(missing_fields_message(obj, missing, ctx))
        return failed + [msg for msg in (GUARDS[g](obj, ctx) for g in self.guards) if msg]


@dataclass(frozen=True)
class Workflow:
    name: str
    title_da: str
    title_en: str
    initial: str
    states: dict[str, State]
    transitions: dict[str, Transition]
    source: str = ''

    def state(self, name: str) -> State:
        return self.states[name]

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def load_workflow(raw: Mapping[str, Any], source: str) -> Workflow:
    def fail(msg: str) -> NoReturn:
        raise WorkflowError(f'{source}: {msg}')

    name = raw.get('name') or fail('name is required')
    states: dict[str, State] = {}
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
    if initial not in states:
        fail(f'initial state {initial!r} is not a state')
    transitions: dict[str, Transition] = {}
    for tname, traw in (raw.get('transitions') or {}).items():
        sources = tuple(traw.get('from') or ())
        target = traw.get('to')
        for s in sources + (target,):
            if s not in states:
                fail(f'transition {tname!r} names unknown state {s!r}')
        guards = tuple(traw.get('guards') or ())
        for g in guards:
            if g not in GUARDS:
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
            guards,
            bool(traw.get('comment_required', False)),
            tuple(traw.get('requires') or ()),
        )
    return Workflow(
        name,
        raw.get('title_da', name),
        raw.get('title_en', name),
        initial,
        states,
        transitions,
        source,
    )
