"""Security headers on every response (the CSP forbids inline scripts) and
a limit on request bodies."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


class BodyLimit:
    """WSGI middleware refusing bodies over `limit` bytes before anything
    reads them (pyramid_retry copies every body, so a tween is too late)."""

    def __init__(self, app, limit):
        self.app = app
        self.limit = limit
        self.registry = app.registry  # the Pyramid registry, for tests and scripts

    def __call__(self, environ, start_response):
        try:
            length = int(environ.get('CONTENT_LENGTH') or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            body = (
                '{"error": {"type": "RequestEntityTooLarge", "message": '
                '"Indholdet er for stort (højst %d MB)."}}' % (self.limit // (1024 * 1024))
            ).encode()
            start_response(
                '413 Request Entity Too Large',
                [
                    ('Content-Type', 'application/json'),
                    ('Content-Length', str(len(body))),
                    ('Connection', 'close'),
                ],
            )
            return [body]
        return self.app(environ, start_response)


def security_headers_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        headers = response.headers
        headers.setdefault('X-Content-Type-Options', 'nosniff')
        headers.setdefault('Referrer-Policy', 'same-origin')
        if response.content_type == 'text/html':
            headers.setdefault('Content-Security-Policy', CSP)
            headers.setdefault('X-Frame-Options', 'DENY')
        return response

    return tween
