"""A JSON request body: what every endpoint that takes one reads first."""

from pyramid.httpexceptions import HTTPBadRequest, HTTPUnsupportedMediaType
from pyramid.i18n import TranslationStringFactory

from ..services import ValidationFailed

_ = TranslationStringFactory('tracker')


def json_body(request):
    if request.body and request.content_type != 'application/json':
        raise HTTPUnsupportedMediaType(
            _('json-required', default='Send the body as application/json.')
        )
    try:
        body = request.json_body
    except ValueError:
        raise HTTPBadRequest(_('bad-json', default='The body is not valid JSON.')) from None
    if not isinstance(body, dict):
        raise ValidationFailed(_('body-not-object', default='Expected an object of fields.'))
    return body
