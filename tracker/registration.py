"""Registrations that fail loudly: field kinds, rules, guards and letter
contexts as Pyramid configuration actions (Substance D's `add_content_type`
pattern).

`includeme` adds four directives:

    config.add_field_kind(name, cls)        a FieldKind subclass
    config.add_rule(name, func)             a schema's `rules: [name]`
    config.add_guard(name, func)            a workflow's `guards: [name]`
    config.add_letter_context(type, func)   a type's part of a letter's data

Each is a `config.action` with a discriminator (`('tracker.rule', name)`,
...), so the same name registered twice stops start-up with Pyramid's
ConfigurationConflictError naming both places. The packages below the web
layer never import Pyramid: each exposes `register(registrar)`, and the
`include_*` functions here hand it the configurator. Packages named in the
`tracker.includes` setting may register their own the same way.

The type registry is loaded after these actions are committed
(`tracker.config`) and checks every name a schema uses; the CLI builds its
registry through the same includes (`tracker.config.load_types`).
"""

from types import MappingProxyType

from pyramid.exceptions import ConfigurationError
from pyramid.settings import aslist

from .types import Extensions
from .types.kinds import FieldKind


class _Tables:
    """What the actions registered, until the type registry takes it."""

    def __init__(self):
        self.kinds = {}
        self.rules = {}
        self.guards = {}
        self.letter_contexts = {}
        self.closed = False


def _tables(registry):
    tables = getattr(registry, 'tracker_registrations', None)
    if tables is None:
        tables = registry.tracker_registrations = _Tables()
    return tables


def _action(config, category, what, name, value, table_name):
    if not isinstance(name, str) or not name:
        raise ConfigurationError(f'a {what} needs a name (got {name!r})')
    tables = _tables(config.registry)

    def register():
        if tables.closed:
            raise ConfigurationError(
                f'{what} {name!r} registered after the type registry was built'
            )
        table = getattr(tables, table_name)
        if name in table:  # a second commit: Pyramid compares one commit's actions
            raise ConfigurationError(f'{what} {name!r} is already registered')
        table[name] = value

    intr = config.introspectable(f'tracker {what}s', name, name, f'tracker {what}')
    intr['value'] = value
    config.action((category, name), register, introspectables=(intr,))


def add_field_kind(config, name, cls):
    """Register a field type (`type: name` in a schema)."""
    if not (isinstance(cls, type) and issubclass(cls, FieldKind)):
        raise ConfigurationError(f'field kind {name!r}: {cls!r} is not a FieldKind class')
    _action(config, 'tracker.field_kind', 'field kind', name, cls(), 'kinds')


def add_rule(config, name, func):
    """Register a named rule (`rules: [name]` in a schema)."""
    _action(config, 'tracker.rule', 'rule', name, config.maybe_dotted(func), 'rules')


def add_guard(config, name, func):
    """Register a named workflow guard (`guards: [name]` in a workflow)."""
    _action(config, 'tracker.guard', 'guard', name, config.maybe_dotted(func), 'guards')


def add_letter_context(config, type_name, func):
    """Register what a type adds to the merge data of its letters."""
    _action(
        config,
        'tracker.letter_context',
        'letter context',
        type_name,
        config.maybe_dotted(func),
        'letter_contexts',
    )


def extensions(registry):
    """The committed registrations, read-only; later ones are refused."""
    tables = _tables(registry)
    tables.closed = True
    return Extensions(
        kinds=MappingProxyType(dict(tables.kinds)),
        rules=MappingProxyType(dict(tables.rules)),
        guards=MappingProxyType(dict(tables.guards)),
        letter_contexts=MappingProxyType(dict(tables.letter_contexts)),
    )


# -- the tracker's own registrations, one include per package ----------------


def include_types(config):
    from .types import kinds, rules

    kinds.register(config)
    rules.register(config)


def include_workflow(config):
    from .workflow import guards

    guards.register(config)


def include_rectification(config):
    from .rectification import rules

    rules.register(config)


def include_advisor(config):
    from .advisor import rules

    rules.register(config)


def include_letters(config):
    from .letters import context

    context.register(config)


def includeme(config):
    _tables(config.registry)
    config.add_directive('add_field_kind', add_field_kind)
    config.add_directive('add_rule', add_rule)
    config.add_directive('add_guard', add_guard)
    config.add_directive('add_letter_context', add_letter_context)
    config.include(include_types)
    config.include(include_workflow)
    config.include(include_rectification)
    config.include(include_advisor)
    config.include(include_letters)
    for name in aslist(config.registry.settings.get('tracker.includes', '')):
        config.include(name)
