"""Security headers on every response. The CSP forbids inline scripts."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'self'")


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
