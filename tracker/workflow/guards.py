"""Named guard conditions that workflow files may refer to.

A guard takes the object and returns None when the transition may happen,
or a message (a translation string) saying why not, which the interface
shows next to the unavailable transition.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from translationstring import TranslationString, TranslationStringFactory

if TYPE_CHECKING:
    from ..model.content import Content

_ = TranslationStringFactory('tracker')

# A guard: (obj, GuardContext or None) -> None, or why the transition is blocked.
Guard = Callable[['Content', 'GuardContext | None'], TranslationString | None]
GUARDS: dict[str, Guard] = {}


@dataclass(frozen=True)
class GuardContext:
    """Who is acting, on which site, on which day."""

    actor: str
    site: object
    today: date
    types: Any = None  # the TypeRegistry (tracker.types)
    locale: str = 'da'


def missing_fields_message(
    obj: 'Content', names: Iterable[str], ctx: GuardContext | None
) -> TranslationString:
    """ "Fill in first: «Sent on», «Channel»" with the fields' titles."""
    info = ctx.types.get(obj.type_name) if ctx is not None and ctx.types is not None else None
    locale = ctx.locale if ctx is not None else 'da'
    titles = [info.by_name[n].title(locale) if info and n in info.by_name else n for n in names]
    return _(
        'guard-requires',
        default='Fill in first: ${fields}.',
        mapping={'fields': ', '.join(f'«{t}»' for t in titles)},
    )


def guard(name: str) -> Callable[[Guard], Guard]:
    def register(func: Guard) -> Guard:
        GUARDS[name] = func
        return func

    return register


@guard('resolved_date_set')
def resolved_date_set(obj: 'Content', ctx: GuardContext | None) -> TranslationString | None:
    if not obj.get('resolved'):
        return _(
            'guard-resolved-date',
            default='Fill in the date the case was resolved before closing it.',
        )
    return None
