"""Errors as pages or JSON: clear, translated, never a traceback."""

import logging

from pyramid.csrf import BadCSRFToken
from pyramid.exceptions import PredicateMismatch
from pyramid.httpexceptions import HTTPException, HTTPNotFound, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from transaction.interfaces import TransientError

from ..crypto import KeyRingError
from ..services import ServiceError

_ = TranslationStringFactory('tracker')
log = logging.getLogger(__name__)


def wants_json(request):
    if '/@' in request.path_info or request.path_info.startswith('@'):
        return True
    if request.content_type == 'application/json':
        return True
    offers = request.accept.acceptable_offers(['text/html', 'application/json'])
    return bool(offers) and offers[0][0] == 'application/json'


def error_response(request, status, kind, message, errors=None):
    text = request.localizer.translate(message) if message is not None else ''
    if wants_json(request):
        body = {'error': {'type': kind, 'message': text}}
        if errors:
            body['error']['errors'] = [
                {'field': field, 'message': request.localizer.translate(msg)}
                for field, msg in errors.items()
            ]
        response = request.response
        response.status_int = status
        response.content_type = 'application/json'
        response.json_body = body
        return response
    response = render_to_response(
        'tracker:templates/error.pt', {'status': status, 'message': text}, request=request
    )
    response.status_int = status
    return response


@notfound_view_config()
def not_found(exc, request):
    message = (
        exc.detail
        if isinstance(exc, HTTPNotFound)
        and not isinstance(exc, PredicateMismatch)  # names our view: say nothing of it
        and exc.detail
        and not exc.detail.startswith('/')
        else _('not-found', default='The page was not found.')
    )
    return error_response(request, 404, 'NotFound', message)


@forbidden_view_config()
def forbidden(exc, request):
    if request.identity is None:
        if wants_json(request):
            response = error_response(
                request, 401, 'Unauthorized', _('login-required', default='Log in first.')
            )
            response.headers['WWW-Authenticate'] = 'Bearer'
            return response
        return HTTPSeeOther(
            request.application_url + '/login?came_from=' + request.path_qs.replace('&', '%26')
        )
    context = getattr(request, 'context', None)
    if (
        context is not None
        and hasattr(context, 'type_name')
        and not request.has_permission('view', context)
    ):
        # what a user may not see does not exist for them: 404, as for a
        # wrong URL, so case numbers cannot be probed
        return not_found(HTTPNotFound(), request)
    return error_response(
        request, 403, 'Forbidden', _('forbidden', default='You do not have access to this.')
    )


@exception_view_config(BadCSRFToken)
def bad_csrf(exc, request):
    return error_response(
        request,
        400,
        'BadCSRFToken',
        _(
            'csrf-failed',
            default='The form has expired or did not come from this site. '
            'Reload the page and try again.',
        ),
    )


@exception_view_config(ServiceError)
def service_error(exc, request):
    if getattr(exc, 'keep', False):
        request.response.headers['X-Tm'] = 'commit'  # keep the failure's trace
    else:
        request.tm.doom()
    errors = exc.errors
    invalid = getattr(exc, 'invalid', None)
    if invalid is not None:
        errors = {
            k or '_': v for k, v in invalid.asdict(translate=request.localizer.translate).items()
        }
    return error_response(request, exc.status, type(exc).__name__, exc.message, errors)


@exception_view_config(HTTPException)
def http_error(exc, request):
    if exc.code < 400:
        return exc
    message = exc.detail or exc.title
    return error_response(request, exc.code, type(exc).__name__.replace('HTTP', ''), message)


@exception_view_config(KeyRingError)
def key_error(exc, request):
    # A sealed value that does not open: a wrong key file or tampering. The
    # operator needs the log line; the user a plain answer.
    log.error('encrypted data could not be opened on %s: %s', request.path_info, exc)
    return error_response(
        request,
        500,
        'EncryptionError',
        _(
            'key-error',
            default='Protected data could not be opened. Nothing was changed. '
            'Contact the administrator.',
        ),
    )


@exception_view_config(Exception, retryable_error=False)
def unexpected(exc, request):
    # Logged with its traceback for the operator; the user sees no internals.
    log.exception('unexpected error on %s %s', request.method, request.path_info)
    return error_response(
        request,
        500,
        'InternalError',
        _(
            'internal-error',
            default='Something went wrong. Nothing was saved. '
            'Try again, or contact the administrator.',
        ),
    )


@exception_view_config(TransientError, last_retry_attempt=True)
def conflict(exc, request):
    # Only reached when the retries are used up (pyramid_retry re-raises
    # earlier attempts); more specific than the catch-all above.
    return error_response(
        request,
        409,
        'Conflict',
        _(
            'conflict',
            default='Someone else changed this at the same moment. Nothing was saved. Try again.',
        ),
    )
