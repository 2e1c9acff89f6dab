"""The case-number label, one rule for every place that shows it (pages,
lists, letters, the CLI, the catalog's text): the type's numbering label
from its schema ("{number}/{year}" for a case, "BR-{year}-{number:04d}"
for a rectification request)."""

from typing import Any

DEFAULT_LABEL = '{number}/{year}'


def number_text(obj: Any, types: Any = None) -> str:
    """'17/2024', 'BR-2024-0017', or '' for an object without a number."""
    number = getattr(obj, 'number', None)
    if not number:
        return ''
    info = types.get(obj.type_name) if types is not None else None
    label = (info.numbering or {}).get('label') if info is not None else None
    if label:
        return str(label.format(number=number[0], year=number[1]))
    # the label stored when it was drawn (a type no longer numbered)
    return str(getattr(obj, 'number_text', None) or '') or DEFAULT_LABEL.format(
        number=number[0], year=number[1]
    )
