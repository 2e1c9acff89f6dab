"""Reading a journal list exported from another case-management system
(CSV or XLSX) into rows the services can import. Columns are mapped by the
user (date, title, direction, party, file name, recipient, legal basis)."""

import csv
import io
import re
from datetime import date, datetime

from translationstring import TranslationStringFactory

_ = TranslationStringFactory('tracker')

TARGETS = ('date', 'title', 'direction', 'party', 'filename', 'recipient', 'legal_basis')
REQUIRED = ('date', 'title', 'direction')
DIRECTIONS = {
    'modtaget': 'received',
    'indgående': 'received',
    'ind': 'received',
    'received': 'received',
    'sendt': 'sent',
    'udgående': 'sent',
    'ud': 'sent',
    'sent': 'sent',
    'notat': 'internal',
    'internt notat': 'internal',
    'intern': 'internal',
    'internal': 'internal',
}
MAX_ROWS = 20000


class JournalError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_table(data, filename=''):
    """(headers, rows) of a CSV (UTF-8, ; or , separated) or XLSX file."""
    if data[:4] == b'PK\x03\x04' or filename.lower().endswith('.xlsx'):
        return _read_xlsx(data)
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = data.decode('cp1252', errors='replace')  # old Windows exports
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=';,\t')
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise JournalError(_('journal-empty', default='The file holds no rows.'))
    return [h.strip() for h in rows[0]], rows[1 : MAX_ROWS + 1]


def _read_xlsx(data):
    import zipfile

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = [['' if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise JournalError(
            _('journal-unreadable', default='The file cannot be read as CSV or XLSX.')
        ) from None
    if not rows:
        raise JournalError(_('journal-empty', default='The file holds no rows.'))
    return [str(h).strip() for h in rows[0]], rows[1 : MAX_ROWS + 1]


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ('%Y-%m-%d', '%d-%m-%Y', '%d.%m.%Y', '%d/%m/%Y'):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def map_rows(headers, rows, mapping):
    """[(row number, values or None, problem or None)] — row numbers as the
    user sees them in a spreadsheet (the header is row 1)."""
    missing = [t for t in REQUIRED if not mapping.get(t)]
    unknown = [c for c in mapping.values() if c and c not in headers]
    if missing or unknown:
        raise JournalError(
            _(
                'journal-mapping',
                default='Map the columns for date, title and direction to columns of the file.',
            )
        )
    index = {
        target: headers.index(column)
        for target, column in mapping.items()
        if target in TARGETS and column
    }
    out = []
    for number, row in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in row):
            continue  # blank line
        cell = {t: (row[i] if i < len(row) else '') for t, i in index.items()}
        day = parse_date(cell['date'])
        direction = DIRECTIONS.get(re.sub(r'\s+', ' ', str(cell['direction']).strip().lower()))
        title = str(cell['title']).strip()
        values, problem = None, None
        if day is None:
            problem = _(
                'journal-bad-date',
                default='The date "${value}" cannot be read.',
                mapping={'value': str(cell['date'])},
            )
        elif not direction:
            problem = _(
                'journal-bad-direction',
                default='The direction "${value}" is not received, sent or note.',
                mapping={'value': str(cell['direction'])},
            )
        elif not title:
            problem = _('journal-no-title', default='The row has no title.')
        else:
            values = {
                'date': day,
                'title': title[:200],
                'direction': direction,
                'party': str(cell.get('party', '')).strip(),
                'filename': str(cell.get('filename', '')).strip(),
                'recipient': str(cell.get('recipient', '')).strip(),
                'legal_basis': str(cell.get('legal_basis', '')).strip(),
            }
        out.append((number, values, problem))
    return out
