"""Rectification pages: the request's completeness panel, the rectification
marks on documents (their panel and listing badge), the request's deadline
badge in listings, the timeline, every recipient notice in one zip, and
the jurist's dashboard (HTML, CSV).
The JSON endpoints in tracker/api/rectification.py use the same helpers
(tracker/web/rectification.py)."""

import csv
import io
import zipfile
from functools import partial
from io import BytesIO

from pyramid.httpexceptions import HTTPForbidden
from pyramid.i18n import TranslationStringFactory
from pyramid.renderers import render
from pyramid.response import Response
from pyramid.view import view_config

from ..catalog.indexing import path_of
from ..model import Content, Site
from ..rectification import dashboard
from ..rectification.completeness import CORRECTING
from ..rectification.deadlines import deadline_state
from ..rectification.records import NOTIFICATION, children_of
from ..security.permissions import user_principals
from ..services import ServiceError
from ..web.by_type import Badge, listing, panel, tab
from ..web.formatting import long_date, number_label, spreadsheet_safe, url_of
from ..web.rectification import (
    completeness_report,
    dashboard_filters,
    dashboard_for,
    marks_on,
    timeline_for,
)

_ = TranslationStringFactory('tracker')


#: The views of a rectification request.
request_view = partial(view_config, context=Content, type_name='rectification', permission='view')


# -- the request -------------------------------------------------------------


@panel('rectification')
def request_panel(request, context, values):
    report = completeness_report(request, context)
    return render(
        'tracker:templates/rectification_panel.pt',
        dict(report=report, context=context, date=lambda d: long_date(d, request.locale_name)),
        request=request,
    )


# -- rectification marks on documents ------------------------------------------


@panel('document')
def document_panel(request, context, values):
    """The rectification note wherever the wrong passage appears: struck
    through, marked as wrong and not to be used, with the correct
    information and a link to the request."""
    return _notes(request, context, marks_on(request, [context]).get(path_of(context), []))


@panel('contested_item')
def item_panel(request, context, values):
    """The item's own page shows the note too, once it is rectified."""
    if context.fields.get('decision') not in CORRECTING:
        return ''
    return _notes(request, context, [context])


@listing('document')
def document_marks(request, documents):
    """A listed document with a rectified passage says so."""
    mark = Badge('title', _('Rectified: see the note'), 'mark')
    return {path: [mark] for path in marks_on(request, documents)}


@panel('rectification', place='letters')
def notices_panel(request, context, values):
    """On the Documents tab: every recipient notice in one go (a zip)."""
    if not request.has_permission('issue', context):
        return ''
    return render('tracker:templates/notices_button.pt', {}, request=request)


@listing('rectification', columns=[('received', _('Received'))])
def request_deadlines(request, requests):
    """An open request that is overdue or due soon says so wherever it is
    listed."""
    today, out = request.services.today(), {}
    for obj in requests:
        due = obj.fields.get('due')
        if due is None or obj.fields.get('answered_on') is not None:
            continue
        text = BADGE_TITLES.get(deadline_state(due, today, done=False))
        if text is not None:
            out[path_of(obj)] = [Badge('state', text, 'deadline', strong=True)]
    return out


BADGE_TITLES = {
    'overdue': _('deadline-overdue', default='Overdue'),
    'due_soon': _('deadline-due-soon', default='Due soon'),
}


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


@tab('rectification', 'timeline', _('tab-timeline', default='Timeline'))
@request_view(name='timeline', request_method='GET', renderer='tracker:templates/timeline.pt')
def timeline_html(context, request):
    return dict(events=timeline_for(request, context))


# -- the dashboard --------------------------------------------------------------


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


@request_view(name='derive-notifications', request_method='POST')
def derive_notifications_html(context, request):
    """The button on a request: a notification for every derived recipient
    that has none yet."""
    from pyramid.httpexceptions import HTTPSeeOther

    from ..services import NotAllowed, ServiceError
    from .layout import flash

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


# -- every recipient notice in one zip -------------------------------------------


@request_view(name='@issue-notices', request_method='POST')
@request_view(name='issue-notices', request_method='POST')
def issue_notices(context, request):
    """Every recipient notice of a request in one action, as one zip (the
    button and the API answer alike)."""
    if not request.has_permission('issue', context):
        raise HTTPForbidden()
    letters = request.services.letters.issue_batch(
        children_of(context, NOTIFICATION), 'recipient_notice'
    )
    if not letters:
        raise ServiceError(
            _(
                'no-notices',
                default='No notification is ready for a notice (identified, drafted or sent).',
            )
        )
    out = BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for letter in letters:
            stored, filename, data = request.services.read_file(letter, 'file')
            z.writestr(filename, data)
    response = Response(body=out.getvalue(), content_type='application/zip')
    response.content_disposition = (
        f'attachment; filename="{path_of(context).rsplit("/", 1)[-1]}-underretninger.zip"'
    )
    return response
