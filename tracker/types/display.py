"""Values as a Danish (or English) reader expects them: dates as
"27. november 2026", choices by their titles. Used by pages and letters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from babel.dates import format_date, format_datetime, get_timezone


class Displayed(Protocol):
    """A field (`registry.FieldInfo`): its kind formats its values."""

    @property
    def kind(self) -> Any: ...


COPENHAGEN = get_timezone('Europe/Copenhagen')


def long_date(value: date | None, locale: str = 'da') -> str:
    """'27. november 2026' in Danish."""
    if value is None:
        return ''
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format='long', locale=locale)


def date_time(value: datetime | None, locale: str = 'da') -> str:
    if value is None:
        return ''
    return format_datetime(value, format='d. MMMM yyyy HH:mm', tzinfo=COPENHAGEN, locale=locale)


def field_value(field: Displayed, value: Any, locale: str = 'da') -> str:
    """A stored value as display text (the field's kind decides how)."""
    if value is None or value == () or value == '':
        return ''
    text: str = field.kind.display(field, value, locale)
    return text
