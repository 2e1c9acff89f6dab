"""Workflow definitions loaded from YAML (states, transitions, guards)."""

from dataclasses import dataclass

from .guards import GUARDS, missing_fields_message


class WorkflowError(Exception):
    pass


@dataclass(frozen=True)
class State:
    name: str
    title_da: str
    title_en: str
    readonly: bool = False

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da


@dataclass(frozen=True)
class Transition:
    name: str
    title_da: str
    title_en: str
    sources: tuple
    target: str
    permission: str
    guards: tuple = ()
    comment_required: bool = False
    requires: tuple = ()  # fields that must hold a value first (the step's facts)

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da

    def failed_guards(self, obj, ctx=None):
        """Messages of the guards that block this transition for obj; `ctx`
        (a GuardContext) tells guards who acts, when and where. Missing
        `requires` fields come first, named by their titles."""
        failed = []
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
    states: dict
    transitions: dict
    source: str = ''

    def state(self, name):
        return self.states[name]

    def transitions_from(self, state):
        return [t for t in self.transitions.values() if state in t.sources]


def load_workflow(raw, source):
    def fail(msg):
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
    if initial not in states:
        fail(f'initial state {initial!r} is not a state')
    transitions = {}
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
