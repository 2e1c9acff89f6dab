"""Extra sections on an object's page, by content type: a module registers
a panel with `@panel('type')`; the page shows what it returns (HTML)."""

from collections.abc import Callable

PANELS: dict[str, Callable[..., str]] = {}


def panel(type_name):
    def register(func):
        PANELS[type_name] = func
        return func

    return register


def panels_for(request, context):
    func = PANELS.get(context.type_name)
    return [func(request, context)] if func else []
