"""Turn request parameters into one catalog query; shared by the HTML
search page, the `@search` endpoint and (through `catalog.search`) the CLI."""
from ..catalog import SearchError, search
from ..catalog.indexing import path_of
from ..security.permissions import user_principals

CONTROL = {'q', 'SearchableText', 'sort_on', 'sort_order', 'b_start', 'b_size',
           'type', 'fullobjects'}


def query_from_params(request, context):
    filters = {}
    if context.__parent__ is not None:
        filters['path'] = path_of(context)
    params = request.params
    if params.get('type'):
        filters['type_name'] = params.getall('type')
    for key in set(params.keys()) - CONTROL:
        if key.endswith('.min') or key.endswith('.max'):
            name, bound = key.rsplit('.', 1)
            filters.setdefault(name, {})
            if not isinstance(filters[name], dict):
                raise SearchError(name, f'{name} given both as value and range')
            filters[name][bound] = params[key]
        else:
            values = [v for v in params.getall(key) if v != '']
            if values:
                filters[key] = values if len(values) > 1 else values[0]
    text = (params.get('q') or params.get('SearchableText') or '').strip() or None
    return filters, text


def run_search(request, context, start, size):
    filters, text = query_from_params(request, context)
    sort_on = request.params.get('sort_on') or ('sequence' if not text else None)
    reverse = request.params.get('sort_order', 'descending' if sort_on == 'sequence' else 'ascending') == 'descending'
    total, items = search(request.root, request.types, filters, text,
                          sort_on=sort_on, reverse=reverse, start=start, size=size,
                          principals=user_principals(request.types, request.identity),
                          ring=request.registry.tracker_keyring)
    return total, items, dict(filters=filters, text=text, sort_on=sort_on)
