"""HTML views: the same traversal URLs the API answers in JSON."""


def includeme(config):
    config.add_accept_view_order('text/html')
    config.add_accept_view_order('application/json', weighs_less_than='text/html')
    config.add_subscriber('.layout.add_layout', 'pyramid.events.BeforeRender')
    config.add_tween('tracker.views.headers.security_headers_tween_factory')
    config.scan('.')
