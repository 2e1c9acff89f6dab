"""The two-step web dialog of the journal import (`journal-import`); the
import itself is tracker/web/journal.py, shared with `@journal-import`."""

import base64

from pyramid.i18n import TranslationStringFactory

from ..documents.journal import REQUIRED, TARGETS
from ..services import ServiceError
from ..web.journal import check_allowed, columns, decode, run_import
from ..web.views import object_get_post

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


@object_get_post(name='journal-import', renderer='tracker:templates/journal_import.pt')
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
