"""Deform forms built from the same colander schema the services validate
with, plus widgets chosen from the schema's field types."""

import colander
import deform
import peppercorn
from translationstring import TranslationStringFactory

from ..types.validation import colander_schema

_ = TranslationStringFactory('tracker')


class NativeDateWidget(deform.widget.TextInputWidget):
    """A plain <input type="date">: the browser's own date picker sends an
    ISO date, so no script (deform's DateInputWidget needs inline JS, which
    the CSP forbids)."""

    template = 'date_native'


class NativeFileWidget(deform.widget.Widget):
    """A plain <input type="file">: the upload goes straight to the services,
    which check and encrypt it (Deform's FileUploadWidget would keep a clear
    copy in a temporary store)."""

    template = 'file_native'
    readonly_template = 'file_native'

    def serialize(self, field, cstruct, **kw):
        return field.renderer(self.template, field=field, cstruct=cstruct, **kw)

    def deserialize(self, field, pstruct):
        if pstruct in (None, '', colander.null) or not hasattr(pstruct, 'file'):
            return colander.null
        return pstruct


def _widget(field, locale):
    if field.type == 'multichoice':
        return deform.widget.CheckboxChoiceWidget(
            values=[(c.value, c.title(locale)) for c in field.choices]
        )
    if field.type == 'choice':
        values = [(c.value, c.title(locale)) for c in field.choices]
        if field.widget == 'radio':
            return deform.widget.RadioChoiceWidget(values=values)
        return deform.widget.SelectWidget(values=[('', '–')] + values)
    if field.type == 'text':
        return deform.widget.TextAreaWidget(rows=4)
    if field.type == 'date':
        return NativeDateWidget()
    if field.type == 'boolean':
        return deform.widget.CheckboxWidget(true_val='true', false_val='false')
    if field.type == 'file':
        return NativeFileWidget()
    return deform.widget.TextInputWidget()


def make_form(request, info, action, button_title, editing=False):
    schema = colander_schema(info, request.locale_name).clone()
    for node in schema.children:
        node.widget = _widget(info.by_name[node.name], request.locale_name)
        if editing and info.by_name[node.name].type == 'file':
            node.missing = colander.null  # keep the stored file unless a new one comes
    if editing and info.versioned:
        schema.add(
            colander.SchemaNode(
                colander.String(),
                name='version_reason',
                missing='',
                title=request.localizer.translate(
                    _('version-reason', default='Why (saved with the new version)')
                ),
                widget=deform.widget.TextInputWidget(),
            )
        )
    csrf = colander.SchemaNode(
        colander.String(),
        name='csrf_token',
        widget=deform.widget.HiddenWidget(),
        default=request.session.get_csrf_token(),
        missing='',
    )
    schema.add(csrf)
    return deform.Form(
        schema, action=action, buttons=(deform.Button('save', button_title),), formid='content-form'
    )


def submitted(form, controls):
    """The form post as the cstruct the services validate (no csrf field).
    Raises colander.Invalid for widget-level errors."""
    try:
        pstruct = peppercorn.parse(controls)
    except (ValueError, IndexError, KeyError):  # hand-made posts with broken markers
        raise colander.Invalid(
            form.schema, _('bad-form-post', default='The form was not sent correctly.'), value={}
        ) from None
    cstruct = form.widget.deserialize(form, pstruct)
    cstruct = dict(cstruct)
    cstruct.pop('csrf_token', None)
    cstruct.pop('version_reason', None)
    return {k: v for k, v in cstruct.items() if v is not colander.null}


def fieldsets(info, locale):
    """[(legend or None, [field names])] for the form template."""
    groups = [
        (fs.title(locale) if fs else None, [f.name for f in fields])
        for fs, fields in info.grouped_fields()
    ]
    if info.versioned:
        groups.append((None, ['version_reason']))
    return groups


def render(request, form, info, cstruct, invalid=None):
    """Render the form from a cstruct (what the user sent, or the stored
    values serialised), with each error next to its field when invalid."""
    if invalid is not None:
        form.widget.handle_error(form, invalid)
    form.cstruct = dict(cstruct, csrf_token=request.session.get_csrf_token())
    return form.serialize(fieldsets=fieldsets(info, request.locale_name))
