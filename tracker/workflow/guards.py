"""Named guard conditions that workflow files may refer to.

A guard takes the object and returns None when the transition may happen,
or a message (a translation string) saying why not, which the interface
shows next to the unavailable transition. Guards are registered by name
(`register`, called by the configuration); a workflow file names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from translationstring import TranslationStringFactory  # type: ignore[import-untyped, unused-ignore]

_ = TranslationStringFactory('tracker')


@dataclass(frozen=True)
class GuardContext:
    """Who is acting, on which site, on which day."""

    actor: str
    site: Any
    today: date
    types: Any = None
    locale: str = 'da'


def missing_fields_message(obj: Any, names: Iterable[str], ctx: GuardContext | None) -> Any:
    """ "Fill in first: «Sent on», «Channel»" with the fields' titles."""
    info = ctx.types.get(obj.type_name) if ctx is not None and ctx.types is not None else None
    locale = ctx.locale if ctx is not None else 'da'
    titles = [info.by_name[n].title(locale) if info and n in info.by_name else n for n in names]
    return _(
        'guard-requires',
        default='Fill in first: ${fields}.',
        mapping={'fields': ', '.join(f'«{t}»' for t in titles)},
    )


def resolved_date_set(obj: Any, ctx: GuardContext | None) -> Any:
    if not obj.get('resolved'):
        return _(
            'guard-resolved-date',
            default='Fill in the date the case was resolved before closing it.',
        )
    return None


def register(registrar: Any) -> None:
    """The generic guards (the configuration calls this)."""
    registrar.add_guard('resolved_date_set', resolved_date_set)
