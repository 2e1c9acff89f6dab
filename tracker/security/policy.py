"""The Pyramid 2 security policy: who is asking (a session cookie for the
browser, a bearer token for the API) and what they may do (the rules in
`security.permissions`)."""

from pyramid.security import Allowed, Denied
from pyramid_zodbconn import get_connection

from ..bootstrap import get_site
from . import permissions, sessions, tokens

_MISSING = object()


def uses_bearer(request):
    """An Authorization: Bearer header, even an empty one: such a request is
    judged by its token alone, never by a cookie."""
    auth = request.authorization
    return bool(auth) and auth.authtype.lower() == 'bearer'


def bearer_token(request):
    auth = request.authorization
    if uses_bearer(request) and isinstance(auth.params, str) and auth.params.strip():
        return auth.params.strip()
    return None


def _now(request):
    """Now by the application's clock (registry.tracker_clock)."""
    return request.registry.tracker_clock.now()


class SecurityPolicy:
    def __init__(self, types, timeout=1800):
        self.types = types
        self.timeout = timeout  # seconds of inactivity that end a session

    def identity(self, request):
        # Pyramid asks for the identity at every permission check: look it
        # up once per request.
        cached = request.__dict__.get('_tracker_identity', _MISSING)
        if cached is _MISSING:
            cached = request.__dict__['_tracker_identity'] = self._identity(request)
        return cached

    def _identity(self, request):
        site = get_site(get_connection(request))
        if uses_bearer(request):
            token = bearer_token(request)
            login = tokens.lookup(site, token, _now(request)) if token else None
        else:
            token = None
            login = request.session.get('login')
            # the cookie is signed, not secret-bound to the server: a session
            # ended at logout is remembered as ended until it would expire
            if login and sessions.has_ended(site, request.session.get('sid')):
                return None
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
        # a page asks the same question several times: answer it once
        cache = request.__dict__.setdefault('_tracker_permits', {})
        # (state and grants are in the key: a transition or a sharing change
        # in the same request must not meet an old answer)
        key = (
            id(context),
            getattr(context, 'review_state', None),
            id(getattr(context, 'local_roles', None)),
        )
        if key not in cache:
            # all of the user's permissions here in one walk of the ACLs
            cache[key] = permissions.granted(self.types, request.identity, context)
        if permission in cache[key]:
            return Allowed('granted by role')
        return Denied('not granted')

    def remember(self, request, userid, **kw):
        request.__dict__.pop('_tracker_identity', None)
        request.__dict__.pop('_tracker_permits', None)
        # A new session on login (no fixation) with a fresh CSRF token.
        request.session.invalidate()
        request.session['login'] = userid
        request.session['sid'] = sessions.new_id()
        request.session['auth_at'] = _now(request).isoformat()
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        request.__dict__.pop('_tracker_identity', None)
        request.__dict__.pop('_tracker_permits', None)
        sid = request.session.get('sid')
        if sid:
            request.services.accounts.end_session(sid, self.timeout)
        request.session.invalidate()
        return []


def csrf_applies(request):
    """CSRF protects cookie sessions; a request with a Bearer header is
    judged by its token alone (never the cookie), so it is exempt."""
    return not uses_bearer(request)
