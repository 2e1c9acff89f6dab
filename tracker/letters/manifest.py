"""The letter templates and their manifest, loaded once at start-up: each
template's bytes and SHA-256 are kept, so issuing does not read files and
every letter records exactly which template it came from."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..titled import Titled

if TYPE_CHECKING:
    from ..model.content import Content

# Built-in record kinds a template variable may be, with their attributes.
RECORDS = {
    'letter': {'number', 'version', 'date', 'issuer'},
    'sender': {'municipality', 'unit', 'address', 'email', 'phone'},
    'address': {'name', 'lines'},
    'recipient_row': {'name', 'derived', 'sent_on', 'channel', 'exemption', 'explanation'},
    'statistics': {
        'period',
        'total',
        'within',
        'outside',
        'within_share',
        'questions',
        'statements_count',
    },
    'count_row': {'code', 'name', 'count', 'share'},
    'theme_row': {'code', 'name', 'count', 'share', 'line'},
    'summary_row': {'position', 'title', 'centre', 'issued_on', 'summary'},
    'year_row': {'year', 'count', 'source'},
    'image': set(),
}
# What every content object offers besides its schema fields.
META = {'title', 'number', 'state'}
# Extra attributes the context builder gives some types (context.py).
EXTRAS = {'contested_item': {'decision_code', 'document_title'}}
GLOBALS = {'letter': 'letter', 'sender': 'sender', 'journal': 'text'}


class ManifestError(Exception):
    """The manifest or a template is wrong; the message names it."""


@dataclass(frozen=True)
class TemplateInfo(Titled):
    id: str
    file: str
    title_da: str
    title_en: str
    applies_to: str
    states: tuple[str, ...]
    requires: tuple[str, ...]
    permission: str
    variables: dict[str, str]
    data: bytes = field(repr=False)
    sha256: str = ''

    def applies(self, obj: 'Content') -> bool:
        """Whether this letter can be issued from obj now."""
        return (
            obj.type_name == self.applies_to
            and (not self.states or obj.review_state in self.states)
            and all(obj.fields.get(n) not in (None, '', ()) for n in self.requires)
        )


@dataclass(frozen=True)
class Manifest:
    directory: Path
    sender: dict[str, Any]
    templates: dict[str, TemplateInfo]

    def for_object(self, obj: 'Content') -> list[TemplateInfo]:
        return [t for t in self.templates.values() if t.applies_to == obj.type_name]


def load_manifest(directory: str | Path, types: Any) -> Manifest:
    """`types` is the TypeRegistry (tracker.types)."""
    directory = Path(directory)
    path = directory / 'manifest.yaml'
    try:
        raw = yaml.safe_load(path.read_text(encoding='utf-8'))
    except (OSError, yaml.YAMLError) as e:
        raise ManifestError(f'{path}: {e}') from None
    templates: dict[str, TemplateInfo] = {}
    for entry in raw.get('templates') or ():
        where = f"{path}: template {entry.get('id')!r}"
        if entry.get('applies_to') not in types:
            raise ManifestError(f'{where}: applies_to names no content type')
        info = types[entry['applies_to']]
        states = tuple(entry.get('states') or ())
        known = set(info.workflow.states) if info.workflow else set()
        if set(states) - known:
            raise ManifestError(f'{where}: unknown states {sorted(set(states) - known)}')
        requires = tuple(entry.get('requires') or ())
        if set(requires) - set(info.by_name):
            raise ManifestError(
                f'{where}: requires unknown fields {sorted(set(requires) - set(info.by_name))}'
            )
        file = directory / entry['file']
        try:
            data = file.read_bytes()
        except OSError as e:
            raise ManifestError(f'{where}: {e}') from None
        templates[entry['id']] = TemplateInfo(
            id=entry['id'],
            file=entry['file'],
            title_da=entry['title_da'],
            title_en=entry.get('title_en', entry['title_da']),
            applies_to=entry['applies_to'],
            states=states,
            requires=requires,
            permission=entry.get('permission', 'issue'),
            variables=dict(entry.get('variables') or {}),
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
        )
    return Manifest(directory, dict(raw.get('sender') or {}), templates)
