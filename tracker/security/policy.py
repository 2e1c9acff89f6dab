"""The Pyramid 2 security policy: who is asking (a session cookie for the
browser, a bearer token for the API) and what they may do (the rules in
`security.permissions`)."""
from datetime import datetime, timezone

from pyramid.security import Allowed, Denied
from pyramid_zodbconn import get_connection

from ..bootstrap import get_site
from . import permissions, tokens


_MISSING = object()


def bearer_token(request):
    auth = request.authorization
    if auth and auth.authtype.lower() == 'bearer' and isinstance(auth.params, str):
        return auth.params.strip()
    return None


class SecurityPolicy:
    def __init__(self, types):
        self.types = types

    def identity(self, request):
        # Pyramid asks for the identity at every permission check: look it
        # up once per request.
        cached = request.__dict__.get('_tracker_identity', _MISSING)
        if cached is _MISSING:
            cached = request.__dict__['_tracker_identity'] = self._identity(request)
        return cached

    def _identity(self, request):
        site = get_site(get_connection(request))
        token = bearer_token(request)
        if token:
            login = tokens.lookup(site, token, datetime.now(timezone.utc))
        else:
            login = request.session.get('login')
        if not login:
            return None
        user = site.users.get(login)
        if user is None or not user.active:
            return None
        if not token and user.password_changed is not None:
            # a session opened before the password changed has ended
            if request.session.get('auth_at', '') < user.password_changed.isoformat():
                return None
        return user

    def authenticated_userid(self, request):
        user = request.identity
        return user.login if user else None

    def permits(self, request, context, permission):
        if permissions.permits(self.types, request.identity, context, permission):
            return Allowed('granted by role')
        return Denied('not granted')

    def remember(self, request, userid, **kw):
        request.__dict__.pop('_tracker_identity', None)
        # A new session on login (no fixation) with a fresh CSRF token.
        request.session.invalidate()
        request.session['login'] = userid
        request.session['auth_at'] = datetime.now(timezone.utc).isoformat()
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        request.__dict__.pop('_tracker_identity', None)
        request.session.invalidate()
        return []


def csrf_applies(request):
    """CSRF protects cookie sessions; bearer-token requests carry no ambient
    credentials, so they are exempt."""
    return bearer_token(request) is None
