"""Tracker: the citizen advisor's case, document and rectification tracker."""

import warnings

# Deform and Pyramid still import pkg_resources (hence setuptools<81); the
# deprecation notice is for their maintainers, not for our operators.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from pyramid.config import Configurator  # noqa: E402

from .views.headers import BodyLimit  # noqa: E402


def main(global_config, **settings):
    """The WSGI application (paste entry point `egg:tracker`)."""
    with Configurator(settings=settings) as config:
        config.include('pyramid_chameleon')
        config.include('pyramid_tm')
        config.include('pyramid_retry')
        config.include('.storage')  # pyramid_zodbconn, ZEO kept in sync
        config.include('.config')
        config.include('.web')  # the type_name predicate and the by-type directives
        config.include('.views')
        config.include('.api')
    limit = int(settings.get('tracker.max_body_bytes', 20 * 1024 * 1024))
    return BodyLimit(config.make_wsgi_app(), limit)
