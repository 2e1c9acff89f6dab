"""The floor the tracker is measured against: Pyramid traversal over ZODB
serving one object as JSON, with nothing else (no security, no catalog,
no templates)."""

from persistent import Persistent
from pyramid.config import Configurator
from pyramid_zodbconn import get_connection


class Folder(Persistent):
    def __init__(self):
        self.items = {}

    def __getitem__(self, name):
        return self.items[name]


class Item(Persistent):
    def __init__(self, title):
        self.title = title


def root_factory(request):
    return get_connection(request).root()['app']


def view(context, request):
    return {'title': context.title}


def floor_app(uri):
    settings = {'zodbconn.uri': uri, 'tm.manager_hook': 'pyramid_tm.explicit_manager'}
    with Configurator(settings=settings, root_factory=root_factory) as config:
        config.include('pyramid_tm')
        config.include('pyramid_zodbconn')
        config.add_view(view, context=Item, renderer='json')
        db = config.registry._zodb_databases['']
        with db.transaction() as conn:
            if 'app' not in conn.root():
                folder = Folder()
                folder.items['x'] = Item('Klage over manglende partshøring')
                conn.root()['app'] = folder
    return config.make_wsgi_app()
