"""GET, POST (add), PATCH (edit) and DELETE (refused) on object URLs."""

from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..model import Content
from ..services import ValidationFailed
from ..web.batching import children
from ..web.body import json_body
from .serialize import serialize, summary

_ = TranslationStringFactory('tracker')


@view_config(
    context=Content,
    request_method='GET',
    accept='application/json',
    renderer='json',
    permission='view',
)
def get_content(context, request):
    info = request.types[context.type_name]
    data = serialize(request, context, info)
    if info.children:  # a type that holds nothing needs no catalog query
        listing = children(request, context)
        data['items'] = [summary(request, o) for o in listing['items']]
        data['items_total'] = listing['total']
    return data


@view_config(context=Content, request_method='POST', renderer='json', permission='view')
def add_content(context, request):
    body = json_body(request)
    type_name = body.pop('@type', None)
    if not type_name or not isinstance(type_name, str):
        raise ValidationFailed(
            _('type-required', default='Say which type to add (@type).'), {'@type': 'Required'}
        )
    obj = request.services.add(context, type_name, body)
    request.response.status_int = 201
    data = serialize(request, obj, request.types[obj.type_name])
    request.response.headers['Location'] = data['@id']
    return data


@view_config(context=Content, request_method='PATCH', renderer='json', permission='view')
def edit_content(context, request):
    body = json_body(request)
    # a versioned object's new version says why, and which rectification caused it
    reason, caused_by = body.pop('@reason', ''), body.pop('@caused_by', None)
    if not isinstance(reason, str):
        raise ValidationFailed(
            _('reason-not-text', default='The reason must be text.'), {'@reason': 'Expected text'}
        )
    request.services.edit(context, body, reason=reason, caused_by=caused_by)
    return serialize(request, context, request.types[context.type_name])


@view_config(context=Content, request_method='DELETE', renderer='json', permission='view')
def delete_content(context, request):
    request.services.delete(context)  # raises: case records are never deleted
