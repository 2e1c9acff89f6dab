"""Object pages: view, add, edit (HTML)."""

import colander
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..catalog import SearchError, search
from ..catalog.indexing import path_of
from ..model import Content
from ..model.numbering import number_text
from ..security.permissions import readonly_state, user_principals
from ..services import ServiceError, ValidationFailed
from ..types.validation import form_defaults, to_cstruct
from .formatting import field_value, url_of
from .forms import make_form, render, submitted
from .layout import flash
from .reading import visible_values


def file_summary(request, obj, name, stored):
    from ..api.serialize import file_summary as summary  # the API's own description

    return summary(request, obj, name, stored)


_ = TranslationStringFactory('tracker')
BATCH = 50
NEXT_STEP_FIELDS = ('next_step', 'next_contact', 'citizen_tasks', 'our_tasks')
MAX_START = 10**7
SORTABLE = (
    'sequence',
    'sort_title',
    'modified',
    'created',
    'review_state',
    'received',
    'next_contact',
)


def batch_params(request):
    try:
        start = min(MAX_START, max(0, int(request.params.get('b_start', 0))))
        size = min(200, max(1, int(request.params.get('b_size', BATCH))))
    except ValueError:
        raise HTTPBadRequest(
            _('bad-batch', default='b_start and b_size must be numbers.')
        ) from None
    return start, size


def children(request, context, default_sort='sequence'):
    start, size = batch_params(request)
    sort_on = request.params.get('sort_on', default_sort)
    reverse = (
        request.params.get('sort_order', 'descending' if sort_on == 'sequence' else 'ascending')
        == 'descending'
    )
    filters = {'parent': path_of(context)}
    state = request.params.get('review_state') or None
    if state:
        filters['review_state'] = state
    if not len(context):  # nothing in it (a conflict-free count): no catalog query
        return dict(
            total=0, items=[], start=start, size=size, sort_on=sort_on, reverse=reverse, state=state
        )
    try:
        total, items = search(
            request.root,
            request.types,
            filters,
            sort_on=sort_on,
            reverse=reverse,
            start=start,
            size=size,
            principals=user_principals(request.types, request.identity),
        )
    except SearchError as e:
        raise HTTPBadRequest(e.message) from None
    return dict(
        total=total,
        items=items,
        start=start,
        size=size,
        sort_on=sort_on,
        reverse=reverse,
        state=state,
    )


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
    next_rows = [
        (info.by_name[n].title(locale), field_value(info.by_name[n], values.get(n), locale) or '–')
        for n in NEXT_STEP_FIELDS
        if n in info.by_name
    ]
    from .panels import panels_for
    from .rectification import marks_on

    listing = children(request, context) if info.children else None
    marked = (
        marks_on(request, [o for o in listing['items'] if o.type_name == 'document'])
        if listing
        else {}
    )
    return dict(
        info=info,
        listing=listing,
        panels=panels_for(request, context),
        states=state_choices(request, info)
        if listing and (listing['total'] > 10 or listing['state'])
        else [],
        marked={p for p in marked},
        values=values,
        groups=groups,
        next_rows=next_rows,
        transitions=services.available_transitions(context),
        addable=addable,
        can_edit=bool(request.has_permission(info.edit_permission, context)),
        show_protected=bool(request.has_permission('view_protected', context)),
        readonly=readonly_state(request.types, context),
    )


def _render_form(request, form, info, cstruct, invalid=None, message=None, status=None):
    # A 4xx answer also makes pyramid_tm abort: nothing of a failed save stays.
    request.response.status_int = status or (400 if (invalid is not None or message) else 200)
    return dict(form=render(request, form, info, cstruct, invalid), message=message)


@view_config(
    context=Content,
    name='add',
    renderer='tracker:templates/form.pt',
    permission='view',
    request_method=('GET', 'POST'),
)
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
        except ValidationFailed as e:
            return dict(
                _render_form(
                    request,
                    form,
                    info,
                    cstruct,
                    e.invalid,
                    None if e.invalid is not None else e.message,
                ),
                title=title,
            )
        except ServiceError as e:
            return dict(
                _render_form(request, form, info, cstruct, message=e.message, status=e.status),
                title=title,
            )
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


@view_config(
    context=Content,
    name='edit',
    renderer='tracker:templates/form.pt',
    permission='view',
    request_method=('GET', 'POST'),
)
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
        except ValidationFailed as e:
            return dict(
                _render_form(
                    request,
                    form,
                    info,
                    cstruct,
                    e.invalid,
                    None if e.invalid is not None else e.message,
                ),
                title=title,
            )
        except ServiceError as e:
            return dict(
                _render_form(request, form, info, cstruct, message=e.message, status=e.status),
                title=title,
            )
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
