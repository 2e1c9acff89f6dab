"""Rectification request logic shared by the HTML pages and the JSON API:
completeness with the deadline, the marks on documents, the timeline and
the jurist's dashboard queries."""

from hypatia.query import Any, Eq
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.i18n import TranslationStringFactory
from pyramid_zodbconn import get_connection

from ..audit import get_log
from ..catalog.indexing import path_of, resolve_path
from ..rectification import dashboard
from ..rectification.completeness import CORRECTING
from ..rectification.deadlines import days_left, deadline_state
from ..rectification.records import evaluate
from ..rectification.timeline import events
from ..security.permissions import user_principals
from ..storage import AUDIT
from .batching import batch_params

_ = TranslationStringFactory('tracker')


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
