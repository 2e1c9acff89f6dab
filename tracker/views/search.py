"""Search (HTML): full text plus the schema's indexed fields, batched."""

from pyramid.view import view_config

from ..catalog import SearchError
from ..catalog.indexing import path_of
from ..model import Content
from ..web.batching import batch_params
from ..web.querying import run_search


@view_config(
    context=Content,
    name='search',
    request_method='GET',
    renderer='tracker:templates/search.pt',
    permission='view',
)
def search_view(context, request):
    start, size = batch_params(request)
    found = dict(start=start, size=size, q=request.params.get('q', ''))
    try:
        total, items, query = run_search(request, context, start, size)
    except SearchError as e:
        request.response.status_int = 400
        return dict(found, total=0, items=[], query={}, error=e.message)
    return dict(found, total=total, items=items, query=query, error=None, scope=path_of(context))
