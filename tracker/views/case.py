"""What the case adds to the generic pages: the "What happens next?"
section (with the delay warning when the advisor's deadline has passed),
its columns in listings and the "no next contact" flag on open cases."""

from pyramid.i18n import TranslationStringFactory
from pyramid.renderers import render

from ..catalog.indexing import path_of
from ..security.permissions import readonly_state
from ..web.by_type import Badge, listing, panel
from ..web.formatting import field_value

_ = TranslationStringFactory('tracker')
NEXT_STEP_FIELDS = ('next_step', 'next_contact', 'citizen_tasks', 'our_tasks')


def past_deadline(request, obj):
    """An open case past the advisor's published deadline whose citizen
    has not been told of the delay."""
    f = obj.fields
    return (
        obj.review_state != 'closed'
        and not f.get('resolved')
        and f.get('deadline') is not None
        and f['deadline'] < request.services.today()
        and f.get('delay_notice_on') is None
    )


@panel('case', place='next')
def next_step_panel(request, context, values):
    info = request.types[context.type_name]
    locale = request.locale_name
    rows = [
        (info.by_name[n].title(locale), field_value(info.by_name[n], values.get(n), locale) or '–')
        for n in NEXT_STEP_FIELDS
        if n in info.by_name
    ]
    readonly = readonly_state(request.types, context)
    return render(
        'tracker:templates/case_next_step.pt',
        dict(
            next_rows=rows,
            no_next_contact=not values.get('next_contact') and not readonly,
            late=past_deadline(request, context),
            can_edit=bool(request.has_permission(info.edit_permission, context)),
        ),
        request=request,
    )


@listing('case', columns=[('received', _('Received')), ('next_contact', _('Next contact'))])
def open_without_next_contact(request, cases):
    flag = Badge('next_contact', _('No next contact'), 'flag')
    return {
        path_of(o): [flag]
        for o in cases
        if not o.fields.get('next_contact') and o.review_state != 'closed'
    }
