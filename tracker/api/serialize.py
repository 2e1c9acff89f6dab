"""Objects as JSON."""

from datetime import date, datetime

from ..views.formatting import number_label, url_of
from ..views.reading import visible_values


def json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        return [json_value(v) for v in value]
    return value


def summary(request, obj):
    data = {
        '@id': url_of(request, obj).rstrip('/'),
        '@type': obj.type_name,
        'id': obj.__name__,
        'title': obj.title,
        'review_state': obj.review_state,
    }
    if obj.number:
        data['number'] = number_label(obj, request.types)
    return data


def serialize(request, obj, info):
    data = summary(request, obj)
    data.update(
        {
            'created': json_value(obj.created),
            'modified': json_value(obj.modified),
            'creator': obj.creator,
        }
    )
    values = visible_values(request, obj)
    for f in info.fields:
        if f.protected and f.name not in values and obj.fields.get(f.name) is not None:
            continue  # not even the key: the reader learns nothing about it
        if f.type == 'file':
            stored = values.get(f.name)
            data[f.name] = (
                file_summary(request, obj, f.name, stored) if stored is not None else None
            )
            continue
        data[f.name] = json_value(values.get(f.name))
    if info.versioned:
        data['version'] = len(obj.versions)
    if obj.type_name == 'rectification':
        data['deadline'] = deadline_of(request, obj)
    return data


def deadline_of(request, obj):
    """done, overdue, due_soon or open: the request's deadline today."""
    from ..rectification.deadlines import deadline_state

    due = obj.fields.get('due')
    return (
        deadline_state(
            due, request.services.today(), done=obj.fields.get('answered_on') is not None
        )
        if due
        else None
    )


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


def history_entry(entry):
    return {
        'action': entry['action'],
        'actor': entry['actor'],
        'time': json_value(entry['time']),
        'review_state': entry['to'],
        'from': entry['from'],
        'comments': entry.get('comment', ''),
    }
