"""Journal import (CSV/XLSX) into a case: the work both the API
(`@journal-import`) and the two-step web dialog (`journal-import`) do."""

import base64
import binascii

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..documents.journal import REQUIRED, TARGETS, JournalError, map_rows, read_table
from ..model import Content
from ..services import ServiceError, ValidationFailed

_ = TranslationStringFactory('tracker')

TARGET_TITLES = {
    'date': _('journal-col-date', default='Date'),
    'title': _('journal-col-title', default='Title'),
    'direction': _('journal-col-direction', default='Direction (received, sent, note)'),
    'party': _('journal-col-party', default='Sender or recipient'),
    'filename': _('journal-col-filename', default='File name'),
    'recipient': _(
        'journal-col-recipient', default='Recipient (registry name: makes a disclosure)'
    ),
    'legal_basis': _('journal-col-basis', default='Legal basis'),
}


def check_allowed(request, context):
    if 'document' not in request.types[context.type_name].children:
        raise HTTPNotFound()
    if not request.has_permission(request.types['document'].add_permission, context):
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


@view_config(
    context=Content,
    name='journal-import',
    request_method=('GET', 'POST'),
    renderer='tracker:templates/journal_import.pt',
    permission='view',
)
def journal_import_page(context, request):
    """Step 1: choose the file. Step 2: map its columns, then try (dry run)
    or import."""
    check_allowed(request, context)
    translate = request.localizer.translate
    page = dict(
        step=1,
        error=None,
        report=None,
        headers=[],
        data='',
        filename='',
        mapping={},
        targets=[(t, translate(TARGET_TITLES[t]), t in REQUIRED) for t in TARGETS],
    )
    if request.method != 'POST':
        return page
    try:
        upload = request.POST.get('file')
        if hasattr(upload, 'file'):  # step 1 posted: read the columns
            data, filename = upload.file.read(), upload.filename or ''
        else:  # step 2 posted: the file travels along
            data, filename = decode(request.POST.get('data', '')), request.POST.get('filename', '')
        headers = columns(data, filename)
        mapping = {t: request.POST.get(f'map_{t}', '') for t in TARGETS}
        if not hasattr(upload, 'file'):
            action = request.POST.get('action')
            report = run_import(
                request, context, data, filename, mapping, dry_run=action != 'import'
            )
            page.update(report=report)
        else:
            # a column named like a target ("Dato", "Titel", …) is preselected
            lowered = {h.lower(): h for h in headers}
            for target, title, _required in page['targets']:
                for guess in (target, title.split(' (')[0]):
                    if guess.lower() in lowered:
                        mapping[target] = lowered[guess.lower()]
                        break
        page.update(
            step=2,
            headers=headers,
            mapping=mapping,
            filename=filename,
            data=base64.b64encode(data).decode('ascii'),
        )
    except ServiceError as e:
        request.response.status_int = 400
        page['error'] = translate(e.message)
    return page
