"""Issued documents: the Documents tab of every object (its letters, their
versions and downloads, and the letters that can be issued now), issuing
(HTML and @issue), PDF copies, and verification of a file (public page,
@verify, `tracker verify`)."""

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from ..letters import LETTER, issued_letters, pdf
from ..model import Content, Site
from ..services import NotAllowed, ServiceError
from ..services.errors import Unavailable
from ..web.by_type import panels_for
from ..web.formatting import url_of
from ..web.views import public_json
from .layout import flash

_ = TranslationStringFactory('tracker')
DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'


def letter_rows(request, obj):
    rows = []
    for letter in issued_letters(obj):
        base = url_of(request, letter)
        rows.append(
            {
                'letter': letter,
                'url': base,
                'number': letter.fields['letter_number'],
                'title': letter.fields['title'],
                'versions': [
                    {
                        'version': v['number'],
                        'issued_at': v['fields']['issued_at'],
                        'issued_by': v['fields']['issued_by'],
                        'reason': v['reason'],
                        'sha256': v['fields']['file'].sha256,
                        'download': f'{base}@download/file/{v["number"]}',
                        'pdf': f'{base}@pdf/{v["number"]}' if pdf.available() else None,
                    }
                    for v in reversed(letter.versions)
                ],
            }
        )
    return rows


def issuable(request, obj):
    manifest = request.registry.tracker_letters
    return [
        (t, t.applies(obj))
        for t in manifest.for_object(obj)
        if request.has_permission(t.permission, obj)
    ]


@view_config(
    context=Content,
    name='letters',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/letters.pt',
)
def letters_html(context, request):
    return dict(
        rows=letter_rows(request, context),
        templates=issuable(request, context),
        panels=panels_for(request, context, place='letters'),
    )


@view_config(
    context=Content, name='@letters', request_method='GET', permission='view', renderer='json'
)
def letters_json(context, request):
    locale = request.locale_name
    return {
        '@id': request.path_url,
        'items': [
            dict({k: v for k, v in row.items() if k != 'letter'}, url=row['url'].rstrip('/'))
            for row in letter_rows(request, context)
        ],
        'templates': [
            {'id': t.id, 'title': t.title(locale), 'available': ok}
            for t, ok in issuable(request, context)
        ],
    }


@view_config(
    context=Content, name='@issue', request_method='POST', permission='view', renderer='json'
)
def issue_json(context, request):
    from ..web.body import json_body

    body = json_body(request)
    letter = request.services.letters.issue(context, body.get('template'), body.get('reason') or '')
    request.response.status_int = 201
    version = len(letter.versions)
    return {
        '@id': url_of(request, letter).rstrip('/'),
        'number': letter.fields['letter_number'],
        'version': version,
        'sha256': letter.fields['file'].sha256,
        'download': f'{url_of(request, letter)}@download/file/{version}',
    }


@view_config(context=Content, name='issue', request_method='POST', permission='view')
def issue_html(context, request):
    try:
        letter = request.services.letters.issue(
            context, request.POST.get('template'), request.POST.get('reason', '')
        )
    except NotAllowed:
        raise
    except ServiceError as e:
        request.tm.doom()
        flash(request, e.message, 'error')
    else:
        flash(
            request,
            _(
                'letter-issued',
                default='${number} was issued (version ${version}).',
                mapping={
                    'number': letter.fields['letter_number'],
                    'version': str(len(letter.versions)),
                },
            ),
            'info',
        )
    return HTTPSeeOther(url_of(request, context) + 'letters')


@view_config(
    context=Content,
    type_name=LETTER,
    name='@pdf',
    request_method='GET',
    permission='view_protected',
)
def letter_pdf(context, request):
    """A PDF copy of an issued version, made by LibreOffice (audited like a
    download); 404 where LibreOffice is not installed."""
    if not pdf.available():
        raise HTTPNotFound()
    try:
        version = int(request.subpath[0]) if request.subpath else len(context.versions)
    except ValueError:
        raise HTTPBadRequest(_('version-number', default='A version is a number.')) from None
    _stored, filename, data = request.services.read_file(context, 'file', version)
    try:
        body = pdf.to_pdf(data)
    except pdf.ConversionFailed:
        raise Unavailable(
            _(
                'pdf-failed',
                default='The PDF could not be made. Download the Word document instead.',
            )
        ) from None
    response = Response(body=body, content_type='application/pdf')
    response.content_disposition = f'attachment; filename="{filename.rsplit(".", 1)[0]}.pdf"'
    return response


def verdict_json(request, verdict):
    """What the holder of a genuine file may learn about it. Who may view
    the document learns more, also why a file is not genuine; anyone else
    only that it is not (else the sequential numbers would let a stranger
    list every request and its letters)."""
    reader = (
        verdict.letter is not None
        and request.identity is not None
        and bool(request.has_permission('view', verdict.letter))
    )
    if not verdict.genuine and not reader:
        return {'status': 'not_genuine', 'genuine': False}
    data = {
        'status': verdict.status,
        'genuine': verdict.genuine,
        'number': verdict.number,
        'version': verdict.version,
        'latest_version': verdict.latest,
        'superseded': verdict.superseded,
        'issued_at': verdict.issued_at,
    }
    if reader:
        data.update(
            {
                '@id': url_of(request, verdict.letter).rstrip('/'),
                'template': verdict.template,
                'title': verdict.letter.fields.get('title'),
            }
        )
    return data


def _verify(request, data):
    return request.services.letters.verify(data)


@public_json(name='@verify', request_method='POST', require_csrf=False)
def verify_json(context, request):
    """Body: the file itself (any content type) or {"data": base64}."""
    import base64
    import binascii

    if request.content_type == 'application/json':
        from ..web.body import json_body

        encoded = json_body(request).get('data')
        if not isinstance(encoded, str):
            raise HTTPBadRequest(_('file-base64', default='The file data is not base64.'))
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise HTTPBadRequest(_('file-base64', default='The file data is not base64.')) from None
    else:
        data = request.body
    return verdict_json(request, _verify(request, data))


@view_config(
    context=Site,
    name='verify',
    request_method=('GET', 'POST'),
    permission=NO_PERMISSION_REQUIRED,
    renderer='tracker:templates/verify.pt',
)
def verify_html(context, request):
    verdict = None
    if request.method == 'POST':
        upload = request.POST.get('file')
        if not hasattr(upload, 'file'):
            request.response.status_int = 400
            return dict(
                verdict=None, result=None, message=_('file-expected', default='Expected a file.')
            )
        verdict = _verify(request, upload.file.read())
    return dict(
        verdict=verdict, result=verdict_json(request, verdict) if verdict else None, message=None
    )
