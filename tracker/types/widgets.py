"""The Deform widgets field kinds choose (Deform is not Pyramid: the kinds
name them, the web layer's forms use them). Imported only when a form is
built, so the CLI and the letters never load Deform."""

from __future__ import annotations

from typing import Any

import colander  # type: ignore[import-untyped, unused-ignore]
import deform  # type: ignore[import-untyped, unused-ignore]

Values = list[tuple[str, str]]


class NativeDateWidget(deform.widget.TextInputWidget):  # type: ignore[misc]
    """A plain <input type="date">: the browser's own date picker sends an
    ISO date, so no script (deform's DateInputWidget needs inline JS, which
    the CSP forbids)."""

    template = 'date_native'


class NativeFileWidget(deform.widget.Widget):  # type: ignore[misc]
    """A plain <input type="file">: the upload goes straight to the services,
    which check and encrypt it (Deform's FileUploadWidget would keep a clear
    copy in a temporary store)."""

    template = 'file_native'
    readonly_template = 'file_native'

    def serialize(self, field: Any, cstruct: Any, **kw: Any) -> Any:
        return field.renderer(self.template, field=field, cstruct=cstruct, **kw)

    def deserialize(self, field: Any, pstruct: Any) -> Any:
        if pstruct in (None, '', colander.null) or not hasattr(pstruct, 'file'):
            return colander.null
        return pstruct


def text_input() -> Any:
    return deform.widget.TextInputWidget()


def text_area() -> Any:
    return deform.widget.TextAreaWidget(rows=4)


def native_date() -> Any:
    return NativeDateWidget()


def native_file() -> Any:
    return NativeFileWidget()


def checkbox() -> Any:
    return deform.widget.CheckboxWidget(true_val='true', false_val='false')


def select(values: Values) -> Any:
    return deform.widget.SelectWidget(values=values)


def radio(values: Values) -> Any:
    return deform.widget.RadioChoiceWidget(values=values)


def checkboxes(values: Values) -> Any:
    return deform.widget.CheckboxChoiceWidget(values=values)
