"""Values as a Danish (or English) reader expects them."""
from ..catalog.indexing import path_of
from ..types.display import date_time, field_value, long_date  # noqa: F401 (used by views)


def number_label(obj):
    if obj.number:
        number, year = obj.number
        return obj.number_text or f'{number}/{year}'
    return ''


def url_of(request, obj):
    """Cheaper than request.resource_url for the hot listing path."""
    path = path_of(obj)
    return request.application_url + (path if path != '/' else '') + '/'
