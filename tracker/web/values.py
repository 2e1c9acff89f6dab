"""Values as JSON: dates as ISO text, and what may be said of a stored
file. The API's objects and the HTML pages' file links use the same."""

from datetime import date, datetime

from .formatting import url_of


def json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        return [json_value(v) for v in value]
    return value


def file_summary(request, obj, name, stored, version=None):
    """What may be said of a file: the name only to those who may see
    personal data (names often name the citizen)."""
    show = request.has_permission('view_protected', obj)
    url = data_url = url_of(request, obj) + f'@download/{name}'
    if version is not None:
        data_url = f'{url}/{version}'
    summary = stored.describe(
        request.services.content.file_name(obj, name, stored) if show else None
    )
    if not show:
        del summary['filename']
    summary['download'] = data_url
    return summary
