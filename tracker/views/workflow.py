"""Workflow transitions and the History tab (HTML)."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..model import Content
from ..web.formatting import url_of
from ..web.workflow import history
from .layout import flash
from .outcome import carried_out

_ = TranslationStringFactory('tracker')


@view_config(context=Content, name='workflow', request_method='POST', permission='view')
def do_transition(context, request):
    name = request.POST.get('transition', '')
    if carried_out(
        request, request.services.transition, context, name, request.POST.get('comment', '')
    ):
        info = request.types[context.type_name]
        state = info.workflow.state(context.review_state)
        flash(
            request,
            _(
                'state-changed',
                default='The state is now "${state}".',
                mapping={'state': state.title(request.locale_name)},
            ),
            'info',
        )
    return HTTPSeeOther(url_of(request, context))


@view_config(
    context=Content,
    name='history',
    request_method='GET',
    renderer='tracker:templates/history.pt',
    permission='view',
)
def history_page(context, request):
    info = request.types[context.type_name]
    wf, locale = info.workflow, request.locale_name
    rows = []
    for e in reversed(history(request, context)):
        t = wf.transitions.get(e['action'])
        rows.append(
            dict(
                e,
                action_title=t.title(locale)
                if t
                else request.localizer.translate(_('history-created', default='Created')),
                from_title=wf.state(e['from']).title(locale) if e['from'] else '',
                to_title=wf.state(e['to']).title(locale),
            )
        )
    return dict(info=info, entries=rows)
