"""Log in and out (HTML)."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.security import NO_PERMISSION_REQUIRED, forget, remember
from pyramid.view import view_config

from ..model import Site
from ..security.passwords import verify_password

_ = TranslationStringFactory('tracker')


def safe_came_from(request, value):
    """Only local paths: never redirect a fresh login to another site."""
    if value and value.startswith('/') and not value.startswith('//') and '\\' not in value:
        return request.application_url + value
    return request.application_url + '/'


def check_login(site, login, password):
    if not isinstance(login, str) or not isinstance(password, str):
        login, password = '', ''  # still spend the argon2 time: no timing hint
    user = site.users.get(login)
    ok = verify_password(user.password_hash if user else None, password or '')
    return user if ok and user.active else None


@view_config(context=Site, name='login', renderer='tracker:templates/login.pt',
             permission=NO_PERMISSION_REQUIRED, request_method=('GET', 'POST'))
def login(context, request):
    came_from = request.params.get('came_from', '/')
    error = None
    if request.method == 'POST':
        user = check_login(context, request.POST.get('login'), request.POST.get('password'))
        if user is not None:
            remember(request, user.login)
            return HTTPSeeOther(safe_came_from(request, came_from))
        error = _('login-failed', default='Wrong login or password.')
        request.response.status_int = 400
    return dict(came_from=came_from, error=error, login=request.POST.get('login', ''))


@view_config(context=Site, name='logout', request_method='POST',
             permission=NO_PERMISSION_REQUIRED)
def logout(context, request):
    forget(request)
    return HTTPSeeOther(request.application_url + '/login')


@view_config(context=Site, name='language', request_method='GET',
             permission=NO_PERMISSION_REQUIRED)
def language(context, request):
    lang = request.params.get('lang')
    response = HTTPSeeOther(safe_came_from(request, request.params.get('came_from', '/')))
    if lang in ('da', 'en'):
        response.set_cookie('_LOCALE_', lang, max_age=365 * 86400, samesite='Lax', httponly=True)
    return response
