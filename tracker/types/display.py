"""Values as a Danish (or English) reader expects them: dates as
"27. november 2026", choices by their titles. Used by pages and letters."""

from datetime import date, datetime

from babel.dates import format_date, format_datetime


def long_date(value, locale='da'):
    """'27. november 2026' in Danish."""
    if value is None:
        return ''
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format='long', locale=locale)


def date_time(value, locale='da'):
    if value is None:
        return ''
    return format_datetime(
        value, format='d. MMMM yyyy HH:mm', tzinfo='Europe/Copenhagen', locale=locale
    )


def field_value(field, value, locale='da'):
    """A stored value as display text."""
    if value is None or value == () or value == '':
        return ''
    if field.type == 'date' and isinstance(value, date):
        return long_date(value, locale)
    if field.type == 'boolean':
        return ('Yes' if value else 'No') if locale == 'en' else ('Ja' if value else 'Nej')
    if field.type == 'choice':
        return field.choice_title(value, locale)
    if field.type == 'multichoice':
        return ', '.join(field.choice_title(v, locale) for v in value)
    return str(value)
