"""Security headers on every response (the CSP forbids inline scripts) and
a limit on request bodies."""
import sys

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'self'")


def body_limit_tween_factory(handler, registry):
    """Refuse request bodies over `tracker.max_body_bytes` before anything
    reads them (uploads arrive with the documents issue; the limit is here)."""
    from pyramid.httpexceptions import HTTPRequestEntityTooLarge
    limit = int(registry.settings.get('tracker.max_body_bytes', 20 * 1024 * 1024))

    def tween(request):
        length = request.content_length
        if length is not None and length > limit:
            try:
                raise HTTPRequestEntityTooLarge()
            except HTTPRequestEntityTooLarge:
                return request.invoke_exception_view(sys.exc_info())
        return handler(request)
    return tween


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
