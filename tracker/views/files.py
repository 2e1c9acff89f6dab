"""Downloads and the version history of versioned content (documents)."""

from urllib.parse import quote

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.i18n import TranslationStringFactory
from pyramid.response import Response
from pyramid.view import view_config

from ..model import Content, StoredFile
from ..web.values import json_value

_ = TranslationStringFactory('tracker')


def _version_param(request, position=1):
    if len(request.subpath) <= position:
        return None
    try:
        return int(request.subpath[position])
    except ValueError:
        raise HTTPNotFound(_('unknown-version', default='No such version.')) from None


@view_config(context=Content, name='@download', request_method='GET', permission='view')
def download(context, request):
    if not request.subpath or len(request.subpath) > 2:
        raise HTTPNotFound()
    if not request.has_permission('view_protected', context):
        raise HTTPForbidden()
    name = request.subpath[0]
    info = request.types[context.type_name]
    if name not in info.by_name or info.by_name[name].type != 'file':
        raise HTTPNotFound()
    stored, filename, data = request.services.read_file(context, name, _version_param(request))
    response = Response(body=data, content_type=stored.content_type)
    response.content_disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers['Cache-Control'] = 'private, no-store'
    return response


def version_rows(request, context):
    info = request.types[context.type_name]
    rows = []
    for record in reversed(context.versions):
        rows.append(
            {
                'version': record['number'],
                'time': record['time'],
                'actor': record['actor'],
                'reason': record['reason'],
                'caused_by': record['caused_by'],
                'files': {
                    f.name: record['fields'].get(f.name).sha256
                    for f in info.fields
                    if f.type == 'file' and isinstance(record['fields'].get(f.name), StoredFile)
                },
            }
        )
    return rows


def compare(request, context, a, b):
    """Field-by-field differences between versions a and b."""
    info = request.types[context.type_name]
    show = request.has_permission('view_protected', context)
    left = request.services.read_version(context, a) if show else context.versions[a - 1]['fields']
    right = request.services.read_version(context, b) if show else context.versions[b - 1]['fields']
    out = []
    for f in info.fields:
        if f.protected and not show:
            continue
        x, y = left.get(f.name), right.get(f.name)
        if f.type == 'file':
            x = x.sha256 if isinstance(x, StoredFile) else None
            y = y.sha256 if isinstance(y, StoredFile) else None
        if x != y:
            out.append(
                {
                    'field': f.name,
                    'title': f.title(request.locale_name),
                    'a': json_value(x),
                    'b': json_value(y),
                }
            )
    return out


def _check_versioned(request, context):
    if not request.types[context.type_name].versioned:
        raise HTTPNotFound()


def _compare_params(request, context):
    try:
        a, b = int(request.params['a']), int(request.params['b'])
    except (KeyError, ValueError):
        return None
    if not (1 <= a <= len(context.versions) and 1 <= b <= len(context.versions)):
        raise HTTPNotFound(_('unknown-version', default='No such version.'))
    return a, b


@view_config(
    context=Content, name='@versions', request_method='GET', renderer='json', permission='view'
)
def versions_json(context, request):
    _check_versioned(request, context)
    data = {
        '@id': request.path_url,
        'items': [
            dict(row, time=json_value(row['time'])) for row in version_rows(request, context)
        ],
    }
    pair = _compare_params(request, context)
    if pair:
        data['compare'] = {'a': pair[0], 'b': pair[1], 'changes': compare(request, context, *pair)}
    return data


@view_config(
    context=Content,
    name='versions',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/versions.pt',
)
def versions_html(context, request):
    _check_versioned(request, context)
    pair = _compare_params(request, context)
    info = request.types[context.type_name]
    file_fields = [f.name for f in info.fields if f.type == 'file']
    return dict(
        rows=version_rows(request, context),
        pair=pair,
        file_fields=file_fields,
        changes=compare(request, context, *pair) if pair else None,
        can_download=bool(request.has_permission('view_protected', context)),
    )
