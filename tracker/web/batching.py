"""Batches of a listing or a search: the `b_start`/`b_size` parameters and
one container's children, sorted and cut inside the catalog. Shared by the
HTML pages and the JSON API."""

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.i18n import TranslationStringFactory

from ..catalog import SearchError, search
from ..catalog.indexing import path_of
from ..security.permissions import user_principals

_ = TranslationStringFactory('tracker')
BATCH = 50
MAX_START = 10**7


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
