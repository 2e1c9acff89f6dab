"""What a content type adds to the generic pages, registered by type at
start-up, so the generic code names no type:

- panels: extra sections of an object's page (`place` 'top', under the
  header; 'next', after the workflow form; 'letters', on the Documents tab);
- listings: the columns a type brings to the listing of its container and
  the badges on its rows;
- JSON extras: keys added to the type's JSON;
- tabs: a type's own tabs (a named view of that type).

Each is a Pyramid directive (`config.add_panel`, `config.add_listing`,
`config.add_json_extra`, `config.add_tab`) that registers a `config.action`
with a discriminator, so a second registration of the same thing stops
start-up with a ConfigurationConflictError naming both places. The
decorators (`@panel`, `@listing`, `@json_extra`, `@tab`) call them when
`config.scan` finds them, like `@view_config`: nothing registers on import.
"""

from collections import namedtuple

import venusian
from pyramid.exceptions import ConfigurationError

PLACES = ('top', 'next', 'letters')

# A listing column: the field shown (and sorted on), its heading.
Column = namedtuple('Column', 'field title')
# A badge on a listing row: the column it stands in ('title', 'state' or a
# column's field), its text, its CSS class, and whether it is emphasised.
Badge = namedtuple('Badge', 'column text css strong', defaults=(False,))


def _table(registry, kind):
    return registry.tracker_by_type.setdefault(kind, {})


def _register(config, kind, discriminator, key, value, type_name, title):
    registry = config.registry

    def register():
        types = getattr(registry, 'tracker_types', None)
        if types is not None and types.get(type_name) is None:
            raise ConfigurationError(f'{title}: no content type named {type_name!r}')
        _table(registry, kind)[key] = value

    intr = config.introspectable('tracker by type', discriminator, title, 'tracker ' + kind)
    intr['type_name'] = type_name
    intr['value'] = value
    config.action(discriminator, register, introspectables=(intr,))


def add_panel(config, type_name, func, place='top'):
    """`func(request, context, values)` returns HTML (or '' for nothing);
    `values` are the reader's visible values when the page has read them."""
    if place not in PLACES:
        raise ConfigurationError(f'panel {type_name}: place must be one of {PLACES}')
    func = config.maybe_dotted(func)
    key = (type_name, place)
    _register(
        config,
        'panel',
        ('tracker.panel', type_name, place),
        key,
        func,
        type_name,
        f'panel {type_name} ({place})',
    )


def add_listing(config, type_name, columns=(), badges=None):
    """`columns`: (field, heading) pairs; `badges(request, items)` returns
    {path: [Badge]} for the given items of this type (one call per batch)."""
    value = (tuple(Column(*c) for c in columns), config.maybe_dotted(badges))
    _register(
        config,
        'listing',
        ('tracker.listing', type_name),
        type_name,
        value,
        type_name,
        f'listing {type_name}',
    )


def add_json_extra(config, type_name, func):
    """`func(request, obj)` returns a dict merged into the object's JSON."""
    _register(
        config,
        'json',
        ('tracker.json', type_name),
        type_name,
        config.maybe_dotted(func),
        type_name,
        f'JSON extra {type_name}',
    )


def add_tab(config, type_name, name, title):
    """A tab named `name` (the view name it opens) on objects of the type."""
    _register(
        config,
        'tab',
        ('tracker.tab', type_name, name),
        (type_name, name),
        title,
        type_name,
        f'tab {name} of {type_name}',
    )


def includeme(config):
    config.registry.tracker_by_type = {}
    config.add_directive('add_panel', add_panel, action_wrap=True)
    config.add_directive('add_listing', add_listing, action_wrap=True)
    config.add_directive('add_json_extra', add_json_extra, action_wrap=True)
    config.add_directive('add_tab', add_tab, action_wrap=True)


# -- decorators, found by config.scan ------------------------------------------


def _attach(wrapped, directive, func_arg=None, **kw):
    def callback(scanner, name, ob):
        config = scanner.config.with_package(info.module)
        extra = {func_arg: ob} if func_arg else {}
        getattr(config, directive)(_info=info.codeinfo, **kw, **extra)

    # depth 2: the frame that applied the decorator, named in conflicts
    info = venusian.attach(wrapped, callback, category='pyramid', depth=2)
    return wrapped


def panel(type_name, place='top'):
    return lambda func: _attach(func, 'add_panel', 'func', type_name=type_name, place=place)


def listing(type_name, columns=()):
    """Decorates the badges function of the type's listing rows."""
    return lambda func: _attach(func, 'add_listing', 'badges', type_name=type_name, columns=columns)


def json_extra(type_name):
    return lambda func: _attach(func, 'add_json_extra', 'func', type_name=type_name)


def tab(type_name, name, title):
    """Decorates the view the tab opens."""
    return lambda func: _attach(func, 'add_tab', type_name=type_name, name=name, title=title)


# -- lookups ---------------------------------------------------------------------


def panels_for(request, context, values=None, place='top'):
    func = _table(request.registry, 'panel').get((context.type_name, place))
    return [func(request, context, values)] if func else []


def listing_columns(request, type_names):
    """The columns the listed types bring, in order, each once."""
    table, out = _table(request.registry, 'listing'), []
    for type_name in type_names:
        for column in table.get(type_name, ((), None))[0]:
            if column.field not in [c.field for c in out]:
                out.append(column)
    return out


def listing_badges(request, items):
    """{path: {column: [Badge]}} for the rows of one batch."""
    table, by_type = _table(request.registry, 'listing'), {}
    for obj in items:
        by_type.setdefault(obj.type_name, []).append(obj)
    out = {}
    for type_name, objs in by_type.items():
        badges = table.get(type_name, ((), None))[1]
        for path, found in (badges(request, objs) if badges else {}).items():
            for badge in found:
                out.setdefault(path, {}).setdefault(badge.column, []).append(badge)
    return out


def json_extras(request, obj):
    func = _table(request.registry, 'json').get(obj.type_name)
    return func(request, obj) if func else {}


def tabs_for(request, obj):
    """(name, title) of the type's own tabs, in registration order."""
    return [
        (name, title)
        for (type_name, name), title in _table(request.registry, 'tab').items()
        if type_name == obj.type_name
    ]
