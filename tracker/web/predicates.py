"""The `type_name` view predicate: `@view_config(context=Content,
type_name='rectification', name='timeline')` registers a view for one
content type (or several: a list). On any other type the name does not
match and the answer is 404 (Pyramid's PredicateMismatch)."""

from pyramid.exceptions import ConfigurationError


class TypeNamePredicate:
    def __init__(self, value, config):
        names = (value,) if isinstance(value, str) else tuple(value)
        types = getattr(config.registry, 'tracker_types', None)
        unknown = [n for n in names if types is not None and types.get(n) is None]
        if unknown:
            raise ConfigurationError(f'type_name: no content type named {", ".join(unknown)}')
        self.names = frozenset(names)

    def text(self):
        return 'type_name = ' + ', '.join(sorted(self.names))

    phash = text

    def __call__(self, context, request):
        return getattr(context, 'type_name', None) in self.names
