"""The audit trail for auditors and administrators: an Audit tab on every
object and a search over the whole log (HTML and `@audit` JSON)."""

from itertools import islice

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config
from pyramid_zodbconn import get_connection

from ..audit import get_log, normalize_time
from ..catalog.indexing import path_of
from ..model import Content, Site
from ..storage import AUDIT
from ..web.batching import batch_params

_ = TranslationStringFactory('tracker')


def _time(value, field):
    if not value:
        return None
    try:
        return normalize_time(value if 'T' in value else value + 'T00:00:00+00:00')
    except (ValueError, TypeError, OverflowError):
        raise HTTPBadRequest(
            _(
                'audit-bad-time',
                default='"${value}" is not a date (YYYY-MM-DD).',
                mapping={'value': value},
            )
        ) from None


def audit_entries(request, context):
    """Newest first: one object's trail, or (on the site) the whole log
    filtered by actor, action and period."""
    log = get_log(get_connection(request, AUDIT))
    params = request.params
    if not isinstance(context, Site):
        entries = log.for_target(path_of(context))
    elif params.get('actor'):
        entries = log.for_actor(params['actor'])
    else:
        entries = log.between(_time(params.get('from'), 'from'), _time(params.get('to'), 'to'))
    entries = list(entries)
    action = params.get('action')
    start = _time(params.get('from'), 'from')
    end = _time(params.get('to'), 'to')
    entries = [
        e
        for e in entries
        if (not action or e.action == action)
        and (start is None or e.time >= start)
        and (end is None or e.time < end)
    ]
    entries.reverse()
    return entries


@view_config(
    context=Content, name='@audit', request_method='GET', renderer='json', permission='audit'
)
def audit_json(context, request):
    start, size = batch_params(request)
    entries = audit_entries(request, context)
    return {
        '@id': request.path_url,
        'items_total': len(entries),
        'items': [e.to_dict() for e in islice(entries, start, start + size)],
    }


@view_config(
    context=Content,
    name='audit',
    request_method='GET',
    permission='audit',
    renderer='tracker:templates/audit.pt',
)
def audit_html(context, request):
    start, size = batch_params(request)
    entries = audit_entries(request, context)
    return dict(
        entries=entries[start : start + size],
        total=len(entries),
        start=start,
        size=size,
        whole_log=isinstance(context, Site),
        params=request.params,
    )
