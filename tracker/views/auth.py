"""Log in and out (HTML)."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.security import NO_PERMISSION_REQUIRED, forget, remember
from pyramid.view import view_config

from ..model import Site
from ..services import ServiceError
from ..web.login import MESSAGES, attempt_login, failure_status
from .layout import flash

_ = TranslationStringFactory('tracker')


def safe_came_from(request, value):
    """Only local paths: never redirect a fresh login to another site."""
    if value and value.startswith('/') and not value.startswith('//') and '\\' not in value:
        return request.application_url + value
    return request.application_url + '/'


@view_config(
    context=Site,
    name='login',
    renderer='tracker:templates/login.pt',
    permission=NO_PERMISSION_REQUIRED,
    request_method=('GET', 'POST'),
)
def login(context, request):
    came_from = request.params.get('came_from', '/')
    error = None
    if request.method == 'POST':
        user, outcome = attempt_login(
            request,
            request.POST.get('login'),
            request.POST.get('password'),
            request.POST.get('code'),
        )
        if user is not None:
            remember(request, user.login)
            return HTTPSeeOther(safe_came_from(request, came_from))
        error = MESSAGES[outcome]
        request.response.status_int = failure_status(outcome)
    return dict(came_from=came_from, error=error, login=request.POST.get('login', ''))


@view_config(context=Site, name='logout', request_method='POST', permission=NO_PERMISSION_REQUIRED)
def logout(context, request):
    if request.identity is not None:
        request.services.accounts.log_out('session')
    forget(request)
    return HTTPSeeOther(request.application_url + '/login')


@view_config(context=Site, name='language', request_method='GET', permission=NO_PERMISSION_REQUIRED)
def language(context, request):
    lang = request.params.get('lang')
    response = HTTPSeeOther(safe_came_from(request, request.params.get('came_from', '/')))
    if lang in ('da', 'en'):
        response.set_cookie('_LOCALE_', lang, max_age=365 * 86400, samesite='Lax', httponly=True)
    return response


@view_config(
    context=Site,
    name='password',
    renderer='tracker:templates/password.pt',
    permission='view',
    request_method=('GET', 'POST'),
)
def change_password(context, request):
    errors, message = {}, None
    if request.method == 'POST':
        login = request.identity.login
        try:
            request.services.accounts.change_password(
                login, request.POST.get('old_password'), request.POST.get('new_password')
            )
        except ServiceError as e:
            request.response.status_int = e.status
            if getattr(e, 'keep', False):
                request.response.headers['X-Tm'] = 'commit'  # the failure counts
            errors, message = e.errors, e.message
        else:
            remember(request, login)  # this session goes on, renewed
            flash(
                request,
                _(
                    'password-changed',
                    default='Your password is changed. Other sessions and tokens have ended.',
                ),
            )
            return HTTPSeeOther(request.application_url + '/')
    return dict(errors=errors, message=message)
