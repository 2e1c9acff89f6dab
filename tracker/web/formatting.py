"""Values as a Danish (or English) reader expects them."""

from ..catalog.indexing import path_of
from ..model.numbering import number_text
from ..types.display import date_time, field_value, long_date  # noqa: F401 (used by views)


def number_label(obj, types=None):
    """The case-number label (tracker.model.numbering.number_text)."""
    return number_text(obj, types)


def url_of(request, obj):
    """Cheaper than request.resource_url for the hot listing path."""
    path = path_of(obj)
    return request.application_url + (path if path != '/' else '') + '/'


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run: text starting with = + - @ (or a
    tab or carriage return) is prefixed with ' (OWASP's CSV-injection rule)."""
    if isinstance(value, str) and value[:1] in ('=', '+', '-', '@', '\t', '\r'):
        return "'" + value
    return value
