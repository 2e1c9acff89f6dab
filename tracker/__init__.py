"""Tracker: the citizen advisor's case, document and rectification tracker."""
from pyramid.config import Configurator


def main(global_config, **settings):
    """The WSGI application (paste entry point `egg:tracker`)."""
    with Configurator(settings=settings) as config:
        config.include('pyramid_chameleon')
        config.include('pyramid_tm')
        config.include('pyramid_retry')
        config.include('.storage')  # pyramid_zodbconn, ZEO kept in sync
        config.include('.config')
        config.include('.views')
        config.include('.api')
    return config.make_wsgi_app()
