"""Objects as JSON."""

from ..web.by_type import json_extras
from ..web.formatting import number_label, url_of
from ..web.reading import visible_values
from ..web.values import file_summary, json_value


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
    data.update(json_extras(request, obj))  # what the type adds (tracker.web.by_type)
    return data


def history_entry(entry):
    return {
        'action': entry['action'],
        'actor': entry['actor'],
        'time': json_value(entry['time']),
        'review_state': entry['to'],
        'from': entry['from'],
        'comments': entry.get('comment', ''),
    }
