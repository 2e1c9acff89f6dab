"""Rectification pages: the request's completeness panel, the rectification
marks on documents, the timeline, and the jurist's dashboard (HTML, CSV).
The JSON endpoints in tracker/api/rectification.py use the same helpers."""

import csv
import io

from hypatia.query import Any, Eq
from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.i18n import TranslationStringFactory
from pyramid.renderers import render
from pyramid.response import Response
from pyramid.view import view_config
from pyramid_zodbconn import get_connection

from ..audit import get_log
from ..catalog.indexing import path_of, resolve_path
from ..model import Content, Site
from ..rectification import dashboard
from ..rectification.completeness import CORRECTING
from ..rectification.deadlines import days_left, deadline_state
from ..rectification.records import evaluate
from ..rectification.timeline import events
from ..security.permissions import user_principals
from ..storage import AUDIT
from .content import batch_params
from .formatting import long_date, number_label, spreadsheet_safe, url_of
from .panels import panel

_ = TranslationStringFactory('tracker')


# -- the request -------------------------------------------------------------


def completeness_report(request, context):
    """Completeness now, with the deadline and the disclosures behind each
    derived recipient."""
    result, found = evaluate(request.root, context)
    today = request.services.today()
    f = context.fields
    due = f.get('due')
    return {
        'result': result,
        'disclosures': {
            path: [d for d in disclosures if request.has_permission('view', d)]
            for path, (_name, disclosures) in found.items()
        },
        'deadline': {
            'due': due,
            'extended': f.get('extension_months') is not None,
            'answered_on': f.get('answered_on'),
            'state': deadline_state(due, today, done=f.get('answered_on') is not None),
            'days_left': days_left(due, today),
        },
        'restricted': bool(f.get('restricted')),
        'restricted_from': f.get('restricted_from'),
    }


@panel('rectification')
def request_panel(request, context):
    report = completeness_report(request, context)
    return render(
        'tracker:templates/rectification_panel.pt',
        dict(report=report, context=context, date=lambda d: long_date(d, request.locale_name)),
        request=request,
    )


# -- rectification marks on documents ------------------------------------------


def marks_on(request, documents):
    """{document path: [contested items with a correcting decision]} for the
    given documents, from the catalog (the items may be in any request)."""
    paths = [path_of(d) for d in documents]
    if not paths:
        return {}
    catalog = request.root.catalog
    query = (
        Eq(catalog['type_name'], 'contested_item')
        & Any(catalog['document'], paths)
        & Any(catalog['decision'], list(CORRECTING))
    )
    out = {}
    for docid in query.execute().ids:
        item = resolve_path(request.root, request.root.docmap.path(docid) or '')
        if item is not None and request.has_permission('view', item):
            out.setdefault(item.fields['document'], []).append(item)
    return out


@panel('document')
def document_panel(request, context):
    """The rectification note wherever the wrong passage appears: struck
    through, marked as wrong and not to be used, with the correct
    information and a link to the request."""
    return _notes(request, context, marks_on(request, [context]).get(path_of(context), []))


@panel('contested_item')
def item_panel(request, context):
    """The item's own page shows the note too, once it is rectified."""
    if context.fields.get('decision') not in CORRECTING:
        return ''
    return _notes(request, context, [context])


def _notes(request, context, items):
    if not items:
        return ''
    show = request.has_permission('view_protected', context)
    notes = []
    for item in items:
        values = request.services.read(item) if show else {}
        notes.append(
            dict(
                item=item,
                request_obj=item.__parent__,
                values=values,
                restricted=bool(item.__parent__.fields.get('restricted')),
            )
        )
    return render(
        'tracker:templates/rectification_marks.pt',
        dict(notes=notes, show=show, date=lambda d: long_date(d, request.locale_name)),
        request=request,
    )


# -- timeline -----------------------------------------------------------------


def timeline_for(request, context):
    """The audit log's entries join the story only for those who may read
    the audit trail; everyone who may view gets the dated facts, the
    transitions and the versions."""
    log = (
        get_log(get_connection(request, AUDIT))
        if request.has_permission('audit', context)
        else None
    )
    return events(context, request.types, request.locale_name, log)


@view_config(
    context=Content,
    name='timeline',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/timeline.pt',
)
def timeline_html(context, request):
    if context.type_name != 'rectification':
        raise HTTPNotFound()
    return dict(events=timeline_for(request, context))


# -- the dashboard --------------------------------------------------------------


def dashboard_filters(request):
    params = request.params
    centre = params.get('centre') or None
    state = params.get('state') or None
    types = request.types
    if centre and centre not in types['rectification'].by_name['centres'].choice_values:
        raise HTTPBadRequest(
            _('dashboard-bad-centre', default='Unknown centre: ${value}', mapping={'value': centre})
        )
    if state and state not in dashboard.OPEN_STATES:
        raise HTTPBadRequest(
            _(
                'dashboard-bad-state',
                default='Unknown open state: ${value}',
                mapping={'value': state},
            )
        )
    age = params.get('min_age_days') or None
    if age is not None:
        try:
            age = int(age)
            if not 0 <= age <= 36500:
                raise ValueError(age)
        except ValueError:
            raise HTTPBadRequest(
                _('dashboard-bad-age', default='The age is a number of days.')
            ) from None
    return dashboard.Filters(
        centre=centre,
        state=state,
        min_age_days=age,
        gaps_only=params.get('gaps_only') in ('1', 'true', 'on'),
    )


def dashboard_for(request, filters):
    start, size = batch_params(request)
    board = dashboard.build(
        request.root,
        request.types,
        user_principals(request.types, request.identity),
        request.services.today(),
        filters,
        start,
        size,
    )
    return board, start, size


@view_config(
    context=Site,
    name='dashboard',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/dashboard.pt',
)
def dashboard_html(context, request):
    filters = dashboard_filters(request)
    board, start, size = dashboard_for(request, filters)
    info = request.types['rectification']
    return dict(
        board=board,
        filters=filters,
        start=start,
        size=size,
        centres=info.by_name['centres'].choices,
        states=[(s, info.workflow.states[s]) for s in dashboard.OPEN_STATES],
        csv_url=request.resource_url(context, 'dashboard.csv', query=request.GET),
    )


@view_config(context=Site, name='dashboard.csv', request_method='GET', permission='view')
def dashboard_csv(context, request):
    """Every open request matching the filters, one row each, for a
    spreadsheet: the jurist's export."""
    filters = dashboard_filters(request)
    principals = user_principals(request.types, request.identity)
    today = request.services.today()
    translate = request.localizer.translate
    locale = request.locale_name
    info = request.types['rectification']
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';')
    writer.writerow([translate(h) for h in CSV_HEADER])
    start, page = 0, 500
    while True:
        total, rows = dashboard.open_requests(
            request.root, request.types, principals, today, filters, start, page
        )
        for row in rows:
            r = row.request
            writer.writerow(
                [
                    spreadsheet_safe(v)
                    for v in (
                        number_label(r),
                        r.title,
                        info.workflow.states[r.review_state].title(locale),
                        r.fields['received'].isoformat(),
                        row.due.isoformat() if row.due else '',
                        translate(DEADLINE_TITLES[row.deadline]),
                        translate(
                            _('yes', default='Yes') if row.restricted else _('no', default='No')
                        ),
                        ' | '.join(translate(g.message) for g in row.gaps),
                        url_of(request, r),
                    )
                ]
            )
        start += page
        if start >= total:
            break
    # a BOM, so a Danish Excel opens the UTF-8 right
    response = Response(
        body=('\ufeff' + out.getvalue()).encode('utf-8'), content_type='text/csv', charset='utf-8'
    )
    response.content_disposition = 'attachment; filename="berigtigelser.csv"'
    return response


CSV_HEADER = (
    _('csv-number', default='Number'),
    _('csv-title', default='Title'),
    _('csv-state', default='State'),
    _('csv-received', default='Received'),
    _('csv-due', default='Due'),
    _('csv-deadline', default='Deadline'),
    _('csv-restricted', default='Restricted'),
    _('csv-gaps', default='Gaps'),
    _('csv-link', default='Link'),
)

DEADLINE_TITLES = {
    'done': _('deadline-done', default='Answered'),
    'overdue': _('deadline-overdue', default='Overdue'),
    'due_soon': _('deadline-due-soon', default='Due soon'),
    'open': _('deadline-open', default='Running'),
}


@view_config(context=Content, name='derive-notifications', request_method='POST', permission='view')
def derive_notifications_html(context, request):
    """The button on a request: a notification for every derived recipient
    that has none yet."""
    from pyramid.httpexceptions import HTTPSeeOther

    from ..services import NotAllowed, ServiceError
    from .layout import flash

    if context.type_name != 'rectification':
        raise HTTPNotFound()
    try:
        created = request.services.rectification.derive_notifications(context)
    except NotAllowed:
        raise
    except ServiceError as e:
        request.tm.doom()  # nothing of a half-done derivation is kept
        flash(request, e.message, 'error')
    else:
        flash(
            request,
            _(
                'notifications-created',
                default='${count} notifications created.',
                mapping={'count': str(len(created))},
            ),
            'info',
        )
    return HTTPSeeOther(url_of(request, context))
