"""Turn request parameters into one catalog query; shared by the HTML
search page, the `@search` endpoint and (through `catalog.search`) the CLI."""

from ..catalog import SearchError, search
from ..catalog.indexing import path_of
from ..security.permissions import user_principals

CONTROL = {
    'q',
    'SearchableText',
    'sort_on',
    'sort_order',
    'b_start',
    'b_size',
    'type',
    'fullobjects',
}


class Params:
    """Query parameters from the URL or from a JSON body (POST @search keeps
    a CPR number out of URLs, proxy logs and browser history)."""

    def __init__(self, source):
        self.source = source

    def keys(self):
        return self.source.keys()

    def get(self, key, default=None):
        value = self.getall(key)
        return value[0] if value else default

    def getall(self, key):
        if hasattr(self.source, 'getall'):
            return self.source.getall(key)
        value = self.source.get(key)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [v if isinstance(v, str) else str(v) for v in values]


def query_from_params(params, context):
    filters = {}
    if context.__parent__ is not None:
        filters['path'] = path_of(context)
    if params.get('type'):
        filters['type_name'] = params.getall('type')
    for key in set(params.keys()) - CONTROL:
        if key.endswith('.min') or key.endswith('.max'):
            name, bound = key.rsplit('.', 1)
            filters.setdefault(name, {})
            if not isinstance(filters[name], dict):
                raise SearchError(name, f'{name} given both as value and range')
            filters[name][bound] = params.get(key)
        else:
            values = [v for v in params.getall(key) if v != '']
            if values:
                filters[key] = values if len(values) > 1 else values[0]
    text = (params.get('q') or params.get('SearchableText') or '').strip() or None
    return filters, text


def run_search(request, context, start, size, params=None):
    params = params or Params(request.params)
    filters, text = query_from_params(params, context)
    sort_on = params.get('sort_on') or ('sequence' if not text else None)
    reverse = (
        params.get('sort_order', 'descending' if sort_on == 'sequence' else 'ascending')
        == 'descending'
    )
    types = request.types
    total, items = search(
        request.root,
        types,
        filters,
        text,
        sort_on=sort_on,
        reverse=reverse,
        start=start,
        size=size,
        principals=user_principals(types, request.identity),
        ring=request.registry.tracker_keyring,
    )
    looked_up = sorted(
        name for name in filters if types.indexed_fields().get(name) in ('blind', 'words')
    )
    if text or looked_up:
        # a search by CPR number or by words can find a person: who looked
        # for whom is part of the trail (the searched values are not)
        request.services.content.record_search(context, looked_up, bool(text), total)
    return total, items, dict(filters=filters, text=text, sort_on=sort_on)
