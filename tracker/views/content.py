"""Object pages: view, add, edit (HTML)."""

import colander
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..model import Content
from ..model.numbering import number_text
from ..security.permissions import readonly_state
from ..services import ServiceError, ValidationFailed
from ..types.validation import form_defaults, to_cstruct
from ..web.batching import children
from ..web.by_type import listing_badges, listing_columns, panels_for
from ..web.formatting import field_value, url_of
from ..web.journal import import_allowed
from ..web.reading import visible_values
from ..web.values import file_summary
from ..web.views import object_get_post
from .forms import make_form, render, submitted
from .layout import flash

_ = TranslationStringFactory('tracker')


def state_choices(request, info):
    """(state, title) of the workflows of the types a container holds, for
    the listing's state filter."""
    seen, out = set(), []
    for child in info.children:
        wf = request.types[child].workflow
        for state in wf.states.values() if wf else ():
            if state.name not in seen:
                seen.add(state.name)
                out.append((state.name, state.title(request.locale_name)))
    return out


@view_config(
    context=Content,
    request_method='GET',
    accept='text/html',
    renderer='tracker:templates/view.pt',
    permission='view',
)
def view_content(context, request):
    info = request.types[context.type_name]
    services = request.services
    addable = [
        (
            child,
            _(
                'add-type',
                default='Add ${type}',
                mapping={'type': child.title(request.locale_name).lower()},
            ),
        )
        for child in (request.types[t] for t in info.children)
        if child.addable and request.has_permission(child.add_permission or 'manage', context)
    ]
    values = visible_values(request, context)
    locale = request.locale_name
    files = {
        f.name: file_summary(request, context, f.name, values[f.name])
        for f in info.fields
        if f.type == 'file' and values.get(f.name) is not None
    }
    # display rows worked out here, so the template only prints strings
    groups = [
        (
            fs.title(locale) if fs else None,
            [
                (
                    f.title(locale),
                    field_value(f, values.get(f.name), locale) or '–',
                    f.type,
                    files.get(f.name),
                )
                for f in fields
                if f.name in values or not f.protected
            ],
        )
        for fs, fields in info.grouped_fields()
    ]
    listing = children(request, context) if info.children else None
    return dict(
        info=info,
        listing=listing,
        panels=panels_for(request, context, values),
        next_panels=panels_for(request, context, values, place='next'),
        columns=listing_columns(request, info.children) if listing else [],
        badges=listing_badges(request, listing['items']) if listing else {},
        states=state_choices(request, info)
        if listing and (listing['total'] > 10 or listing['state'])
        else [],
        values=values,
        groups=groups,
        transitions=services.available_transitions(context),
        addable=addable,
        journal_import=bool(info.children) and import_allowed(request, context),
        can_edit=bool(request.has_permission(info.edit_permission, context)),
        show_protected=bool(request.has_permission('view_protected', context)),
        readonly=readonly_state(request.types, context),
    )


def _render_form(request, form, info, cstruct, invalid=None, message=None, status=None):
    # A 4xx answer also makes pyramid_tm abort: nothing of a failed save stays.
    request.response.status_int = status or (400 if (invalid is not None or message) else 200)
    return dict(form=render(request, form, info, cstruct, invalid), message=message)


def _refused(request, form, info, cstruct, error):
    """The form again after the service refused a save: a validation failure
    marks its fields (400), any other refusal shows its message and status."""
    if isinstance(error, ValidationFailed):
        message = None if error.invalid is not None else error.message
        return _render_form(request, form, info, cstruct, error.invalid, message)
    return _render_form(request, form, info, cstruct, message=error.message, status=error.status)


@object_get_post(name='add', renderer='tracker:templates/form.pt')
def add_content(context, request):
    type_name = request.params.get('type', '')
    info = request.types.get(type_name)
    parent = request.types[context.type_name]
    if info is None or type_name not in parent.children or not info.addable:
        raise HTTPNotFound(
            _('unknown-type', default='Unknown content type: ${name}', mapping={'name': type_name})
        )
    if not request.has_permission(info.add_permission or 'manage', context):
        raise HTTPForbidden()
    form = make_form(
        request,
        info,
        request.path_url + '?type=' + type_name,
        request.localizer.translate(_('button-create', default='Create')),
    )
    title = _('add-title', default='New ${type}', mapping={'type': info.title(request.locale_name)})
    if request.method == 'POST':
        try:
            cstruct = submitted(form, request.POST.items())
        except colander.Invalid as invalid:
            return dict(_render_form(request, form, info, invalid.value, invalid), title=title)
        try:
            obj = request.services.add(context, type_name, cstruct)
        except ServiceError as e:
            return dict(_refused(request, form, info, cstruct, e), title=title)
        flash(
            request,
            _(
                'created',
                default='"${title}" was created.',
                mapping={
                    'title': request.services.type_info(type_name).title(request.locale_name)
                    + (' ' + number_text(obj, request.types) if obj.number else '')
                },
            ),
            'info',
        )
        return HTTPSeeOther(url_of(request, obj))
    defaults = form_defaults(info, request.locale_name)
    return dict(_render_form(request, form, info, defaults), title=title)


@object_get_post(name='edit', renderer='tracker:templates/form.pt')
def edit_content(context, request):
    info = request.types[context.type_name]
    if not request.has_permission(info.edit_permission, context):
        state = readonly_state(request.types, context)
        if state is not None:
            flash(
                request,
                _(
                    'readonly',
                    default='This is read-only because it is "${state}".',
                    mapping={'state': state.title(request.locale_name)},
                ),
                'error',
            )
            return HTTPSeeOther(url_of(request, context))
        raise HTTPForbidden()
    form = make_form(
        request,
        info,
        request.path_url,
        request.localizer.translate(_('button-save', default='Save')),
        editing=True,
    )
    title = _('edit-title', default='Edit ${title}', mapping={'title': context.title})
    if request.method == 'POST':
        try:
            cstruct = submitted(form, request.POST.items())
        except colander.Invalid as invalid:
            return dict(_render_form(request, form, info, invalid.value, invalid), title=title)
        # A form sends every field: a missing one means "emptied" (a file
        # input left empty means "keep the file").
        for f in info.fields:
            if f.type != 'file' and not f.computed:  # computed fields are not in the form
                cstruct.setdefault(f.name, () if f.type == 'multichoice' else None)
        cstruct = {k: (colander.null if v is None else v) for k, v in cstruct.items()}
        try:
            request.services.edit(context, cstruct, reason=request.POST.get('version_reason', ''))
        except ServiceError as e:
            return dict(_refused(request, form, info, cstruct, e), title=title)
        flash(request, _('saved', default='Changes saved.'), 'info')
        return HTTPSeeOther(url_of(request, context))
    return dict(
        _render_form(
            request,
            form,
            info,
            to_cstruct(info, request.services.read(context), request.locale_name),
        ),
        title=title,
    )
