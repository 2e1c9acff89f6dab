"""The colander types the field kinds use: a strict ISO date, a list of
choices, a CPR number, an uploaded file. No type registry here, so the
kinds can use them without an import cycle."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import colander  # type: ignore[import-untyped, unused-ignore]
from translationstring import TranslationStringFactory  # type: ignore[import-untyped, unused-ignore]

from ..clock import current_clock
from ..crypto.cpr import InvalidCPR, normalise_cpr

_ = TranslationStringFactory('tracker')
ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')


class StrictDate(colander.Date):  # type: ignore[misc]
    """A calendar date written YYYY-MM-DD, nothing more (colander would also
    take a date-time and silently drop the time)."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        if isinstance(cstruct, str) and cstruct and not ISO_DATE.match(cstruct.strip()):
            raise colander.Invalid(node, _('date-format', default='Write the date as YYYY-MM-DD.'))
        return super().deserialize(node, cstruct.strip() if isinstance(cstruct, str) else cstruct)


class StrictSet(colander.Set):  # type: ignore[misc]
    """A list of choices; a string or an object is not a list."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        if cstruct is not colander.null and not isinstance(cstruct, (list, tuple, set)):
            raise colander.Invalid(node, _('expected-list', default='Expected a list of choices.'))
        return super().deserialize(node, cstruct)


class CprNumber(colander.String):  # type: ignore[misc]
    """DDMMYY-SSSS or DDMMYYSSSS with a real date; stored as DDMMYY-SSSS.
    No modulus-11 check: valid numbers issued since 2007 fail it."""

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        try:
            return normalise_cpr(value)
        except InvalidCPR:
            raise colander.Invalid(
                node,
                _(
                    'cpr-invalid',
                    default='Write the CPR number as DDMMYY-SSSS with a real date of birth.',
                ),
            ) from None


class Upload:
    """A file as received, before the services check and seal it."""

    __slots__ = ('filename', 'data')

    def __init__(self, filename: str, data: bytes) -> None:
        self.filename = filename
        self.data = data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Upload) and (self.filename, self.data) == (
            other.filename,
            other.data,
        )


class FileUpload(colander.SchemaType):  # type: ignore[misc]
    """A file from a form (a multipart field) or the API
    (`{"filename": ..., "data": <base64>}`); never serialised back."""

    def serialize(self, node: Any, appstruct: Any) -> Any:
        return colander.null

    def deserialize(self, node: Any, cstruct: Any) -> Any:
        if cstruct is colander.null or cstruct in ('', None, b''):
            return colander.null
        if isinstance(cstruct, Upload) or hasattr(cstruct, 'sealed_data'):
            return cstruct  # a new upload, or the stored file kept on edit
        if hasattr(cstruct, 'file') and hasattr(cstruct, 'filename'):  # multipart
            return Upload(_filename(cstruct.filename), cstruct.file.read())
        if isinstance(cstruct, dict) and isinstance(cstruct.get('data'), str):
            import base64
            import binascii

            try:
                data = base64.b64decode(cstruct['data'], validate=True)
            except (binascii.Error, ValueError):
                raise colander.Invalid(
                    node, _('file-base64', default='The file data is not base64.')
                ) from None
            return Upload(_filename(cstruct.get('filename')), data)
        raise colander.Invalid(node, _('file-expected', default='Expected a file.'))


def _filename(value: object) -> str:
    name = (value if isinstance(value, str) else '').replace('\\', '/').rsplit('/', 1)[-1]
    return name.strip()[:200] or 'fil'


def not_in_future(node: Any, value: date | None) -> None:
    if value is not None and value > current_clock().today():
        raise colander.Invalid(
            node, _('date-in-future', default='The date cannot be in the future.')
        )
