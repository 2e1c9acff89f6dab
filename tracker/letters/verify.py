"""Is this file a genuine issued document? Which one, which version, and
was it superseded? A changed byte changes its SHA-256, which then matches no
record; a record whose signature does not verify under the site's recorded
public keys is reported as such (the stored record was altered)."""

import hashlib
from dataclasses import dataclass

from hypatia.query import Eq

from ..catalog.indexing import path_of, resolve_path
from .render import read_properties
from .signing import verify as verify_signature


@dataclass
class Verdict:
    status: str  # genuine, changed, bad_signature, unknown, not_docx
    number: str | None = None
    version: int | None = None
    latest: int | None = None  # the newest version of that document
    letter: object = None
    issued_at: str | None = None
    template: str | None = None

    @property
    def genuine(self):
        return self.status == 'genuine'

    @property
    def superseded(self):
        return self.genuine and self.latest is not None and self.version < self.latest


def signed_record(letter, version_record):
    f = version_record['fields']
    return {
        'number': f['letter_number'],
        'version': version_record['number'],
        'sha256': f['file'].sha256,
        'template': f['template'],
        'template_sha256': f['template_sha256'],
        'data_sha256': f['data_sha256'],
        'issuer': f['issued_by'],
        'issued_at': f['issued_at'],
        'object': path_of(letter.__parent__),
        'key_id': f['key_id'],
    }


def find_letter(site, number):
    for docid in Eq(site.catalog['letter_number'], number).execute().ids:
        path = site.docmap.path(docid)
        letter = resolve_path(site, path) if path else None
        if letter is not None:
            return letter
    return None


def verify_file(site, data):
    if not data.startswith(b'PK'):
        return Verdict('not_docx')
    props = read_properties(data)
    number = props.get('Number')
    if not number or len(number) > 100:
        return Verdict('unknown')
    letter = find_letter(site, number)
    try:
        version = int(props.get('Version', '0'))
    except ValueError:
        version = 0
    if letter is None or not 1 <= version <= len(letter.versions):
        return Verdict('unknown', number=number)
    record = letter.versions[version - 1]
    fields = record['fields']
    verdict = Verdict(
        'changed',
        number,
        version,
        len(letter.versions),
        letter,
        fields.get('issued_at'),
        fields.get('template'),
    )
    if hashlib.sha256(data).hexdigest() != fields['file'].sha256:
        return verdict
    pem = site.signing_keys.get(fields.get('key_id'))
    if pem is None or not verify_signature(pem, signed_record(letter, record), fields['signature']):
        verdict.status = 'bad_signature'
        return verdict
    verdict.status = 'genuine'
    return verdict
