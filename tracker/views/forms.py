"""Deform forms built from the same colander schema the services validate
with, plus the widgets the fields' kinds choose (`types/kinds.py`)."""

import colander
import deform
import peppercorn
from translationstring import TranslationStringFactory

from ..types.validation import colander_schema

_ = TranslationStringFactory('tracker')


def make_form(request, info, action, button_title, editing=False):
    schema = colander_schema(info, request.locale_name).clone()
    for node in schema.children:
        field = info.by_name[node.name]
        node.widget = field.kind.widget(field, request.locale_name)
        if editing and field.type == 'file':
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
