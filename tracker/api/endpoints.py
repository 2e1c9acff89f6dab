"""Named endpoints: @search, @workflow, @history, @types, @login, @logout,
@openapi.json."""

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..catalog import SearchError
from ..model import Content, Site
from ..security.permissions import lineage
from ..security.policy import bearer_token
from ..services import ServiceError, ValidationFailed
from ..types.jsonschema import type_json_schema
from ..web.batching import batch_params
from ..web.body import json_body
from ..web.login import MESSAGES, attempt_login, failure_status
from ..web.querying import Params, run_search
from ..web.views import object_get_post, public_json
from ..web.workflow import history
from .serialize import history_entry, summary

_ = TranslationStringFactory('tracker')


@object_get_post(name='@search', renderer='json')
def search(context, request):
    start, size = batch_params(request)
    params = Params(json_body(request)) if request.method == 'POST' else None
    try:
        total, items, _query = run_search(request, context, start, size, params)
    except SearchError as e:
        raise ServiceError(e.message, {e.field: e.message}) from None
    base = request.path_url
    data = {'@id': base, 'items_total': total, 'items': [summary(request, o) for o in items]}
    if start + size < total:
        data['batching'] = {'next': f'{base}?b_start={start + size}&b_size={size}'}
    return data


@view_config(
    context=Content, name='@workflow', request_method='GET', renderer='json', permission='view'
)
def workflow_info(context, request):
    if request.subpath:
        raise HTTPNotFound()
    locale = request.locale_name
    info = request.types[context.type_name]
    return {
        '@id': request.path_url,
        'review_state': context.review_state,
        'transitions': [
            {
                '@id': f'{request.path_url}/{t.name}',
                'name': t.name,
                'title': t.title(locale),
                'available': reason is None,
                'reason': request.localizer.translate(reason) if reason else None,
            }
            for t, reason in request.services.available_transitions(context)
        ],
        'history': [history_entry(e) for e in history(request, context)],
        'workflow': info.workflow.name if info.workflow else None,
    }


@view_config(
    context=Content, name='@workflow', request_method='POST', renderer='json', permission='view'
)
def workflow_transition(context, request):
    if len(request.subpath) != 1:
        raise HTTPNotFound(
            _('transition-missing', default='Name the transition: @workflow/<name>.')
        )
    body = json_body(request) if request.body else {}
    # `fields` are recorded with the step, in one go: a sending with its date and receipt
    request.services.transition(
        context, request.subpath[0], body.get('comment', ''), changes=body.get('fields')
    )
    return {
        'review_state': context.review_state,
        'history': [history_entry(e) for e in history(request, context)],
    }


@view_config(
    context=Content, name='@history', request_method='GET', renderer='json', permission='view'
)
def history_view(context, request):
    return [history_entry(e) for e in reversed(history(request, context))]


@view_config(
    context=Content, name='@types', request_method='GET', renderer='json', permission='view'
)
def types(context, request):
    locale = request.locale_name
    if not request.subpath:
        return [
            {
                '@id': f'{request.application_url}/@types/{info.name}',
                'name': info.name,
                'title': info.title(locale),
                'addable': info.addable,
            }
            for info in request.types.types.values()
        ]
    info = request.types.get(request.subpath[0])
    if info is None or len(request.subpath) > 1:
        raise HTTPNotFound(
            _(
                'unknown-type',
                default='Unknown content type: ${name}',
                mapping={'name': '/'.join(request.subpath)},
            )
        )
    return type_json_schema(info, locale)


@public_json(name='@login', request_method='POST', require_csrf=False)
def login(context, request):
    # No CSRF token here: the client has no session yet, and the answer is a
    # token the attacker's page could not read.
    body = json_body(request)
    user, outcome = attempt_login(
        request, body.get('login'), body.get('password'), body.get('totp')
    )
    if user is None:
        status = failure_status(outcome)
        request.response.status_int = 401 if status == 400 else status
        return {
            'error': {
                'type': 'Unauthorized' if status == 400 else outcome,
                'message': request.localizer.translate(MESSAGES[outcome]),
            }
        }
    lifetime = int(request.registry.settings.get('tracker.token_lifetime', 28800))
    token = request.services.accounts.issue_token(user.login, lifetime)
    return {'token': token, 'login': user.login, 'roles': list(user.roles), 'expires_in': lifetime}


@public_json(name='@logout', request_method='POST')
def logout(context, request):
    token = bearer_token(request)
    if not token or not request.services.accounts.revoke_token(token):
        raise HTTPBadRequest(_('no-token', default='No valid token to log out.'))
    return {'logged_out': True}


@public_json(name='@openapi.json', request_method='GET')
def openapi(context, request):
    return request.registry.tracker_openapi


def sharing_info(request, context):
    locale = request.locale_name
    types = request.types
    return {
        '@id': request.path_url,
        'inherited': [
            {'login': login, 'roles': list(roles), 'from': summary(request, obj)['@id']}
            for obj in list(lineage(context))[1:]
            for login, roles in sorted(obj.local_roles.items())
        ],
        'entries': [
            {'login': login, 'roles': list(roles)}
            for login, roles in sorted(context.local_roles.items())
        ],
        'available_roles': [
            {'id': r, 'title': types.role_title(r, locale)} for r in types.local_roles
        ],
    }


@view_config(
    context=Content, name='@sharing', request_method='GET', renderer='json', permission='view'
)
def sharing_get(context, request):
    return sharing_info(request, context)


@view_config(
    context=Content, name='@sharing', request_method='POST', renderer='json', permission='view'
)
def sharing_post(context, request):
    body = json_body(request)
    request.services.share(context, body.get('login'), body.get('roles', []))
    return sharing_info(request, context)


@view_config(
    context=Site, name='@password', request_method='POST', renderer='json', permission='view'
)
def change_password(context, request):
    body = json_body(request)
    request.services.accounts.change_password(
        request.identity.login, body.get('old_password'), body.get('new_password')
    )
    return {'changed': True}


@view_config(
    context=Content, name='@recipients', request_method='GET', renderer='json', permission='view'
)
def recipients_of_versions(context, request):
    """Who received these versions of a document (?version=1&version=2):
    the recipients a correction of them must reach."""
    from ..catalog.indexing import path_of, resolve_path
    from ..rectification.derive import derived_recipients

    if not request.types[context.type_name].versioned:
        raise HTTPNotFound()
    try:
        versions = {int(v) for v in request.params.getall('version')}
    except ValueError:
        raise HTTPBadRequest(_('version-number', default='A version is a number.')) from None
    if not versions:
        versions = set(range(1, len(context.versions) + 1))
    items = []
    for recipient_path, disclosures in derived_recipients(request.root, path_of(context), versions):
        recipient = resolve_path(request.root, recipient_path)
        items.append(
            {
                'recipient': summary(request, recipient)
                if recipient is not None
                else recipient_path,
                'channel': recipient.fields.get('channel') if recipient is not None else None,
                'disclosures': [
                    dict(
                        summary(request, d),
                        version=d.fields.get('document_version'),
                        disclosed_on=d.fields['disclosed_on'].isoformat(),
                    )
                    for d in disclosures
                    if request.has_permission('view', d)
                ],
            }
        )
    return {'@id': request.path_url, 'versions': sorted(versions), 'items': items}


@view_config(
    context=Content,
    name='@journal-import',
    request_method='POST',
    renderer='json',
    permission='view',
)
def journal_import(context, request):
    """Import a journal list (CSV/XLSX) into a case: documents, and
    disclosures for sent documents to registered recipients. `dry_run`
    (the default) answers the same report and keeps nothing."""
    from ..web.journal import check_allowed, decode, run_import

    check_allowed(request, context)
    body = json_body(request)
    upload, mapping = body.get('file'), body.get('mapping')
    if (
        not isinstance(upload, dict)
        or not isinstance(upload.get('data'), str)
        or not isinstance(mapping, dict)
    ):
        raise ValidationFailed(
            _('journal-body', default='Send the file and the column mapping.'),
            {'file': 'Required', 'mapping': 'Required'},
        )
    return run_import(
        request,
        context,
        decode(upload['data']),
        str(upload.get('filename') or ''),
        mapping,
        bool(body.get('dry_run', True)),
    )
