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
    try:
        total, items, query = run_search(request, context, start, size)
    except SearchError as e:
        request.response.status_int = 400
        return dict(
            total=0,
            items=[],
            start=start,
            size=size,
            query={},
            error=e.message,
            q=request.params.get('q', ''),
        )
    return dict(
        total=total,
        items=items,
        start=start,
        size=size,
        query=query,
        error=None,
        q=request.params.get('q', ''),
        scope=path_of(context),
    )
