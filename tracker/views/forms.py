"""Deform forms built from the same colander schema the services validate
with, plus widgets chosen from the schema's field types."""
import colander
import deform
import peppercorn

from ..types.validation import colander_schema



def _widget(field, locale):
    if field.type == 'multichoice':
        return deform.widget.CheckboxChoiceWidget(
            values=[(c.value, c.title(locale)) for c in field.choices])
    if field.type == 'choice':
        values = [(c.value, c.title(locale)) for c in field.choices]
        if field.widget == 'radio':
            return deform.widget.RadioChoiceWidget(values=values)
        return deform.widget.SelectWidget(values=[('', '–')] + values)
    if field.type == 'text':
        return deform.widget.TextAreaWidget(rows=4)
    if field.type == 'date':
        return deform.widget.DateInputWidget()
    if field.type == 'boolean':
        return deform.widget.CheckboxWidget(true_val='true', false_val='false')
    return deform.widget.TextInputWidget()


def make_form(request, info, action, button_title):
    schema = colander_schema(info, request.locale_name).clone()
    for node in schema.children:
        node.widget = _widget(info.by_name[node.name], request.locale_name)
    csrf = colander.SchemaNode(colander.String(), name='csrf_token',
                               widget=deform.widget.HiddenWidget(),
                               default=request.session.get_csrf_token(), missing='')
    schema.add(csrf)
    return deform.Form(schema, action=action, buttons=(deform.Button('save', button_title),),
                       formid='content-form')


def submitted(form, controls):
    """The form post as the cstruct the services validate (no csrf field).
    Raises colander.Invalid for widget-level errors."""
    pstruct = peppercorn.parse(controls)
    cstruct = form.widget.deserialize(form, pstruct)
    cstruct = dict(cstruct)
    cstruct.pop('csrf_token', None)
    return {k: v for k, v in cstruct.items() if v is not colander.null}


def render_errors(form, cstruct, invalid):
    """Render the form with each error next to its field."""
    if invalid is not None:
        form.widget.handle_error(form, invalid)
    return form.render(cstruct)
