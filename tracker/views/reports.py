"""The annual report's pages: the statistics on the report's own page (with
the figures, and every number linked to the list of cases behind it), the
figures as PNG, the numbers as JSON, CSV and XLSX, and the administrators'
form for earlier years' totals."""

import csv
import io
from functools import partial
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.renderers import render
from pyramid.response import Response
from pyramid.view import view_config

from ..letters.context import report_statistics
from ..model import Content, Site
from ..reports.wording import FIGURE_TITLES as TITLES
from ..services import ServiceError
from ..web.by_type import panel
from ..web.formatting import spreadsheet_safe
from ..web.views import admin_get_post
from .layout import flash

_ = TranslationStringFactory('tracker')


def trace_url(request, stats, **filters):
    """The search that lists the cases behind one number."""
    query = {
        'type': 'case',
        'received.min': stats.period_from.isoformat(),
        'received.max': stats.period_to.isoformat(),
    }
    query.update(filters)
    return f'{request.application_url}/search?{urlencode(query)}'


def tables(request, stats):
    """(title, [(label, count, share or None, trace url or None)]) per table."""
    within = {'within_purpose': 'true'}
    return [
        (
            _('report-centres', default='Centres (inquiries within the purpose)'),
            [
                (r.name, r.count, r.share, trace_url(request, stats, centres=r.code, **within))
                for r in stats.centres
            ],
        ),
        (
            _('report-kinds', default='Guidance, complaint, own initiative (within the purpose)'),
            [
                (r.name, r.count, r.share, trace_url(request, stats, kind=r.code, **within))
                for r in stats.kinds
            ],
        ),
        (
            _('report-channels', default='Contact channel'),
            [
                (r.name, r.count, r.share, trace_url(request, stats, channel=r.code))
                for r in stats.channels
            ],
        ),
        (
            _('report-help', default='How fast the citizen got help'),
            [
                (
                    r.name,
                    r.count,
                    r.share,
                    trace_url(request, stats, processing_group=r.code)
                    if r.code != 'longer'
                    else None,
                )
                for r in stats.help
            ],
        ),
        (
            _('report-recommendations', default="Recommendations from the period's statements"),
            [(r.name, r.count, None, None) for r in stats.recommendations],
        ),
    ]


@panel('report')
def report_panel(request, context, values):
    stats = report_statistics(context, request.root, request.types)
    base = request.resource_url(context)
    return render(
        'tracker:templates/report_panel.pt',
        dict(
            stats=stats,
            tables=tables(request, stats),
            total_url=trace_url(request, stats),
            within_url=trace_url(request, stats, within_purpose='true'),
            themes=[
                (row, line, trace_url(request, stats, themes=row.code))
                for row, line in stats.themes
            ],
            figures=[(title, f'{base}@figure/{i}') for i, title in enumerate(TITLES, start=1)],
            exports=[(fmt.upper(), f'{base}statistics.{fmt}') for fmt in ('csv', 'xlsx')],
        ),
        request=request,
    )


#: The read views of a report: each names only its view name (and renderer).
report_view = partial(
    view_config, context=Content, type_name='report', request_method='GET', permission='view'
)


@report_view(name='@figure')
def figure_png(context, request):
    try:
        number = int(request.subpath[0]) if len(request.subpath) == 1 else 0
    except ValueError:
        number = 0
    if not 1 <= number <= 5:
        raise HTTPNotFound()
    from ..reports.figures import figures  # matplotlib loads on the first figure, not at start-up

    _title, png = figures(report_statistics(context, request.root, request.types))[number - 1]
    response = Response(body=png, content_type='image/png')
    response.cache_control = 'private, max-age=60'
    return response


def number_rows(stats):
    """Every number of the report as (section, label, count, share)."""
    rows = [
        ('Henvendelser', 'I alt', stats.total, 100),
        (
            'Henvendelser',
            'Inden for formålet',
            stats.within,
            round(100 * stats.within / stats.total) if stats.total else 0,
        ),
        (
            'Henvendelser',
            'Uden for formålet',
            stats.outside,
            round(100 * stats.outside / stats.total) if stats.total else 0,
        ),
        ('Skriftlige spørgsmål', 'Sæt', stats.questions, None),
        ('Udtalelser', 'Afgivet', len(stats.statements), None),
    ]
    for section, items in (
        ('Centre', stats.centres),
        ('Art', stats.kinds),
        ('Kontaktform', stats.channels),
        ('Tid til hjælp', stats.help),
        ('Henstillinger', stats.recommendations),
    ):
        rows.extend(
            (section, r.name, r.count, r.share if section != 'Henstillinger' else None)
            for r in items
        )
    rows.extend(('Temaer', row.name, row.count, line) for row, line in stats.themes)
    rows.extend(
        ('Unikke henvendelser pr. år', str(year), count, source)
        for year, count, source in stats.history
    )
    return rows


@report_view(name='@statistics', renderer='json')
def statistics_json(context, request):
    stats = report_statistics(context, request.root, request.types)
    return {
        '@id': request.path_url,
        'period_from': stats.period_from.isoformat(),
        'period_to': stats.period_to.isoformat(),
        'total': stats.total,
        'within': stats.within,
        'outside': stats.outside,
        'questions': stats.questions,
        'statements': [s.title for s in stats.statements],
        'centres': [r.as_dict() for r in stats.centres],
        'kinds': [r.as_dict() for r in stats.kinds],
        'channels': [r.as_dict() for r in stats.channels],
        'help': [r.as_dict() for r in stats.help],
        'themes': [dict(row.as_dict(), line=line) for row, line in stats.themes],
        'recommendations': [r.as_dict() for r in stats.recommendations],
        'history': [{'year': y, 'count': n, 'source': src} for y, n, src in stats.history],
    }


@report_view(name='statistics.csv')
def statistics_csv(context, request):
    stats = report_statistics(context, request.root, request.types)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';')
    writer.writerow(['Afsnit', 'Betegnelse', 'Antal', 'Andel (%) / sager'])
    for row in number_rows(stats):
        writer.writerow([spreadsheet_safe('' if v is None else v) for v in row])
    response = Response(
        body=('\ufeff' + out.getvalue()).encode('utf-8'), content_type='text/csv', charset='utf-8'
    )
    response.content_disposition = f'attachment; filename="{context.__name__}.csv"'
    return response


@report_view(name='statistics.xlsx')
def statistics_xlsx(context, request):
    from openpyxl import Workbook

    stats = report_statistics(context, request.root, request.types)
    book = Workbook()
    sheet = book.active
    sheet.title = 'Året i tal'
    sheet.append(['Afsnit', 'Betegnelse', 'Antal', 'Andel (%) / sager'])
    for row in number_rows(stats):
        sheet.append([spreadsheet_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = Response(
        body=out.getvalue(),
        content_type='application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    response.content_disposition = f'attachment; filename="{context.__name__}.xlsx"'
    return response


def history_rows(request):
    return sorted(
        (int(y), int(n)) for y, n in (getattr(request.root, 'report_history', {}) or {}).items()
    )


@view_config(
    context=Site, name='@report-history', request_method='GET', permission='view', renderer='json'
)
def history_json(context, request):
    return {
        '@id': request.path_url,
        'items': [{'year': y, 'inquiries': n} for y, n in history_rows(request)],
    }


@view_config(
    context=Site,
    name='@report-history',
    request_method='POST',
    permission='manage',
    renderer='json',
)
def history_set_json(context, request):
    from ..web.body import json_body

    body = json_body(request)
    request.services.admin.set_year_total(body.get('year'), body.get('inquiries'))
    return history_json(context, request)


@admin_get_post(name='report-history', renderer='tracker:templates/report_history.pt')
def history_html(context, request):
    message = None
    if request.method == 'POST':
        try:
            year, count = int(request.POST.get('year', '')), int(request.POST.get('inquiries', ''))
        except ValueError:
            request.response.status_int = 400
            message = _('history-numbers', default='Year and inquiries are whole numbers.')
        else:
            try:
                request.services.admin.set_year_total(year, count)
            except ServiceError as e:
                request.response.status_int = e.status
                message = e.message
            else:
                flash(request, _('history-saved', default='Saved.'), 'info')
                return HTTPSeeOther(request.resource_url(context, 'report-history'))
    return dict(rows=history_rows(request), message=message)
