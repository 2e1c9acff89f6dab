"""Journal import (CSV/XLSX) into a case: the work both the API
(`@journal-import`) and the two-step web dialog (`journal-import`) do."""

import base64
import binascii

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.i18n import TranslationStringFactory

from ..documents.journal import JournalError, map_rows, read_table
from ..services import ValidationFailed

_ = TranslationStringFactory('tracker')


DOCUMENT = 'document'  # what a journal row becomes


def import_allowed(request, context):
    """Whether the page offers the import: the object holds documents and
    the user may add them."""
    return DOCUMENT in request.types[context.type_name].children and bool(
        request.has_permission(request.types[DOCUMENT].add_permission, context)
    )


def check_allowed(request, context):
    if DOCUMENT not in request.types[context.type_name].children:
        raise HTTPNotFound()
    if not request.has_permission(request.types[DOCUMENT].add_permission, context):
        raise HTTPForbidden()


def decode(data_b64):
    try:
        return base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            _('file-base64', default='The file data is not base64.'), {'file': 'Not base64'}
        ) from None


def columns(data, filename):
    try:
        return read_table(data, filename)[0]
    except JournalError as e:
        raise ValidationFailed(e.message, {'file': e.message}) from None


def run_import(request, context, data, filename, mapping, dry_run):
    """The report of an import; a dry run keeps nothing."""
    try:
        headers, rows = read_table(data, filename)
        mapped = map_rows(headers, rows, mapping)
    except JournalError as e:
        raise ValidationFailed(e.message, {'file': e.message}) from None
    created, problems = request.services.admin.import_journal(context, mapped, dry_run)
    disclosures = sum(1 for row in created if 'disclosure' in row)
    if dry_run:
        request.tm.doom()  # the report, nothing kept
    translate = request.localizer.translate
    return {
        'dry_run': dry_run,
        'columns': headers,
        'created': created
        if dry_run
        else [dict(row, url=request.application_url + row['path']) for row in created],
        'problems': [
            {'row': number, 'message': translate(message)} for number, message in problems
        ],
        'counts': {
            'documents': len(created),
            'disclosures': disclosures,
            'problems': len(problems),
        },
    }
