"""Issued documents (letters): issue a letter, or its next version that
supersedes the one before, one at a time or for a batch of objects; check
an uploaded file against the issued ones. Ties templates, merge data,
rendering, signing and sealed storage together."""

import hashlib
import json

from persistent.list import PersistentList
from translationstring import TranslationStringFactory

from ..catalog.indexing import path_of
from ..crypto.aad import field_aad
from ..letters import context as merge
from ..letters.render import render
from ..model import Content, StoredFile
from ..model.numbering import number_text
from .base import Service
from .errors import NotFound, TransitionUnavailable, ValidationFailed

_ = TranslationStringFactory('tracker')
TYPE = 'letter'


def letter_name(template_id):
    return f'dokument-{template_id.replace("_", "-")}'


class LetterService(Service):
    """`manifest` (tracker.letters.Manifest) and `signer`
    (tracker.letters.signing.Signer) are None where letters are not set up."""

    def __init__(self, core, content, manifest=None, signer=None):
        super().__init__(core)
        self.content = content
        self.manifest = manifest
        self.signer = signer

    def issue(self, obj, template_id, reason=''):
        """Make the letter `template_id` from obj's data inside this
        transaction: render it, stamp its properties, sign its record and
        store it (sealed) as a new letter, or as the next version of the
        letter already issued from obj with that template. Audited."""
        if not isinstance(reason, str) or len(reason) > 500:
            raise ValidationFailed(
                _('reason-not-text', default='The reason must be text.'),
                {'reason': 'Expected text (at most 500 characters)'},
            )
        return self._issue(obj, template_id, reason)

    def issue_batch(self, objs, template_id):
        """Issue `template_id` from each of objs it applies to now; returns
        the letters (all in this transaction, or none if one fails)."""
        template = self.manifest.templates.get(template_id) if self.manifest else None
        return [
            self.issue(obj, template_id)
            for obj in objs
            if template is None or template.applies(obj)
        ]

    def verify(self, data):
        """Is this file a genuine issued letter (and the newest version)?
        What a stranger sent is not written to the log unless it names a
        real letter."""
        from ..letters.verify import verify_file

        verdict = verify_file(self.core.site, data)
        found = verdict.letter is not None
        self.core.record(
            'verify',
            path_of(verdict.letter) if found else None,
            status=verdict.status,
            number=verdict.number if found else None,
            version=verdict.version if found else None,
        )
        return verdict

    def _draw_letter_number(self, anchor):
        """Gap-free per request or case: `BR-2024-0001-03`, `22/2024-03`. The
        counter is not conflict-resolving, like case numbers: two concurrent
        issues conflict and one is retried."""
        number = self.core.draw_counter(f'letter:{anchor.uid}')
        return f'{number_text(anchor, self.core.types)}-{number:02d}'

    def _issue(self, obj, template_id, reason):
        manifest, signer = self.manifest, self.signer
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
        self.core.require(template.permission, obj)
        if not template.applies(obj):
            raise TransitionUnavailable(
                _(
                    'template-not-now',
                    default='"${title}" cannot be issued in this '
                    'state or before its facts are recorded.',
                    mapping={'title': template.title(self.core.locale)},
                )
            )
        info = self.core.type_info(TYPE)
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
            else self._draw_letter_number(anchor)
        )
        version = len(letter.versions) + 1 if letter is not None else 1
        now = self.core.now()
        issuer = (
            self.core.site.users[self.core.actor].fullname or self.core.actor
            if self.core.actor in self.core.site.users
            else self.core.actor
        )
        data = merge.build(
            template, obj, self.core.site, self.core.types, self.content.read, manifest.sender
        )
        data['letter'] = {
            'number': number,
            'version': str(version),
            'date': merge.long_date(self.core.today()),
            'issuer': issuer,
        }
        data_json = json.dumps(data, sort_keys=True, ensure_ascii=False)
        data_sha256 = hashlib.sha256(data_json.encode('utf-8')).hexdigest()
        authority = (
            f"{manifest.sender.get('municipality', '')}, {manifest.sender.get('unit', '')}".strip(
                ', '
            )
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
            images=merge.images(template, obj, self.core.site, self.core.types),
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
            letter.creator = self.core.actor
            letter.versions = PersistentList()
            obj.add_child(name, letter)
        ring = self.core.sealer.require_ring()
        aad = field_aad(letter.uid, 'file')
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
        fields = self.core.sealer.seal(letter, info, values)
        fields['file'] = stored
        letter.fields = fields
        letter.modified = now
        self.core.new_version(
            letter,
            reason=(reason or ('Udstedt' if version == 1 else 'Genudstedt')).strip(),
            caused_by=None,
        )
        self.core.catalog.index(self.core.site, letter)
        self.core.record(
            'issue',
            path_of(letter),
            template=template.id,
            number=number,
            version=version,
            sha256=sha256,
            object=path_of(obj),
        )
        return letter
