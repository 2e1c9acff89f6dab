"""Issuing letters (part of the services: the one write path). Kept in its
own module because it ties templates, merge data, rendering, signing and
storage together."""

import hashlib
import json

from persistent.list import PersistentList
from translationstring import TranslationStringFactory

from ..catalog.indexing import path_of
from ..letters import context as merge
from ..letters.render import render
from ..model import Content, Counter, StoredFile
from .errors import NotFound, TransitionUnavailable, ValidationFailed

_ = TranslationStringFactory('tracker')
TYPE = 'letter'


def letter_name(template_id):
    return f'dokument-{template_id.replace("_", "-")}'


def _draw_letter_number(services, anchor):
    """Gap-free per request or case: `BR-2024-0001-03`, `22/2024-03`. The
    counter is not conflict-resolving, like case numbers: two concurrent
    issues conflict and one is retried."""
    key = f'letter:{anchor.uid}'
    counter = services.site.counters.get(key)
    if counter is None:
        counter = services.site.counters[key] = Counter()
    return f'{merge.number_text(anchor)}-{counter.next():02d}'


def issue_letter(services, obj, template_id, reason=''):
    manifest, signer = services.letters, services.signer
    if manifest is None or signer is None:
        raise NotFound(_('letters-off', default='Issuing documents is not set up here.'))
    template = manifest.templates.get(template_id) if isinstance(template_id, str) else None
    if template is None or template.applies_to != obj.type_name:
        raise NotFound(
            _(
                'unknown-template',
                default='No such letter for this object: ${id}',
                mapping={'id': str(template_id)},
            )
        )
    services._require(template.permission, obj)
    if not template.applies(obj):
        raise TransitionUnavailable(
            _(
                'template-not-now',
                default='"${title}" cannot be issued in this '
                'state or before its facts are recorded.',
                mapping={'title': template.title(services.locale)},
            )
        )
    info = services.type_info(TYPE)
    name = letter_name(template_id)
    letter = obj.get_child(name)
    if letter is not None and letter.type_name != TYPE:  # a name from before it was reserved
        raise ValidationFailed(
            _(
                'letter-name-taken',
                default='"${name}" is taken here by something that is not an issued document.',
                mapping={'name': name},
            )
        )
    anchor = merge.anchor(obj)
    if anchor is None:
        raise ValidationFailed(
            _('letter-no-number', default='Only numbered cases and requests issue documents.')
        )
    number = (
        letter.fields['letter_number']
        if letter is not None
        else _draw_letter_number(services, anchor)
    )
    version = len(letter.versions) + 1 if letter is not None else 1
    now = services.clock()
    issuer = (
        services.site.users[services.actor].fullname or services.actor
        if services.actor in services.site.users
        else services.actor
    )
    data = merge.build(template, obj, services.site, services.types, services.read, manifest.sender)
    data['letter'] = {
        'number': number,
        'version': str(version),
        'date': merge.long_date(services.today()),
        'issuer': issuer,
    }
    data_json = json.dumps(data, sort_keys=True, ensure_ascii=False)
    data_sha256 = hashlib.sha256(data_json.encode('utf-8')).hexdigest()
    authority = (
        f"{manifest.sender.get('municipality', '')}, {manifest.sender.get('unit', '')}".strip(', ')
    )
    properties = {
        'Number': number,
        'Version': str(version),
        'Template': template.id,
        'TemplateSHA256': template.sha256,
        'DataSHA256': data_sha256,
        'Issuer': issuer,
        'Authority': authority,
        'IssuedAt': now.isoformat(),
    }
    body = render(
        template,
        data,
        properties,
        f'{template.title_da} {number}',
        authority,
        now,
        images=merge.images(template, obj, services.site, services.types),
    )
    sha256 = hashlib.sha256(body).hexdigest()
    record = {
        'number': number,
        'version': version,
        'sha256': sha256,
        'template': template.id,
        'template_sha256': template.sha256,
        'data_sha256': data_sha256,
        'issuer': issuer,
        'issued_at': now.isoformat(),
        'object': path_of(obj),
        'key_id': signer.key_id,
    }
    signature = signer.sign(record)
    if letter is None:
        letter = Content(TYPE)
        letter.created = now
        letter.creator = services.actor
        letter.versions = PersistentList()
        obj.add_child(name, letter)
    ring = services.sealer.require_ring()
    aad = services.sealer.aad(letter, 'file')
    filename = f'{number.replace("/", "-")}-v{version}.docx'
    stored = StoredFile(
        ring.seal(filename, aad),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        len(body),
        sha256,
        ring.seal_bytes(body, aad),
        ring.seal('', aad),
    )
    values = {
        'title': template.title_da,
        'letter_number': number,
        'template': template.id,
        'template_sha256': template.sha256,
        'data_sha256': data_sha256,
        'issued_by': issuer,
        'issued_at': now.isoformat(),
        'signature': signature,
        'key_id': signer.key_id,
        'data': data_json,
    }
    fields = services.sealer.seal(letter, info, values)
    fields['file'] = stored
    letter.fields = fields
    letter.modified = now
    services._new_version(
        letter,
        reason=(reason or ('Udstedt' if version == 1 else 'Genudstedt')).strip(),
        caused_by=None,
    )
    services.catalog.index(services.site, letter)
    services.audit.record(
        'issue',
        path_of(letter),
        template=template.id,
        number=number,
        version=version,
        sha256=sha256,
        object=path_of(obj),
    )
    return letter
