"""Administration: extensible choices, the annual report's history of
year totals, where a number series starts, journal import, re-sealing
under a new key, and the trail of operator commands; setting up a site."""

import re

from BTrees.OOBTree import OOBTree
from hypatia.query import Eq
from translationstring import TranslationStringFactory

from ..catalog import CatalogManager
from ..catalog.indexing import path_of, resolve_path
from ..crypto.aad import key_check_aad
from ..model import Counter
from .base import Service
from .errors import NotAllowed, ServiceError, ValidationFailed

_ = TranslationStringFactory('tracker')


def site_tree(site, name):
    """The site's mapping `name`, made on first use: sites made before it
    existed lack the attribute."""
    if name not in site.__dict__:
        setattr(site, name, OOBTree())
    return getattr(site, name)


class AdminService(Service):
    def __init__(self, core, content):
        super().__init__(core)
        self.content = content

    def set_first_number(self, type_name, year, first):
        """Continue a number series begun in an earlier system: the next
        number drawn for `year` will be `first`. Allowed only before the
        tracker has drawn any number for that year, so no gap is hidden."""
        info = self.core.type_info(type_name)
        self.core.require('manage', self.core.site)
        if not info.numbering:
            raise ValidationFailed(_('not-numbered', default='This type is not numbered.'))
        if not isinstance(first, int) or first < 1:
            raise ValidationFailed(
                _('bad-first-number', default='The first number must be 1 or more.')
            )
        key = f'{info.name}:{year}'
        counter = self.core.site.counters.get(key)
        if counter is not None and counter.last:
            raise NotAllowed(
                _(
                    'series-started',
                    default='Numbers for ${year} are already in use.',
                    mapping={'year': str(year)},
                )
            )
        self.core.site.counters[key] = Counter(first - 1)

    def set_year_total(self, year, inquiries):
        """An administrator enters a year's number of unique inquiries from
        before the tracker, so the multi-year figure is complete. A year the
        tracker has cases for is counted from them, not entered."""
        self.core.require('manage', self.core.site)
        errors = {}
        if (
            not isinstance(year, int)
            or isinstance(year, bool)
            or not 1990 <= year <= self.core.today().year
        ):
            errors['year'] = f'A year from 1990 to {self.core.today().year}'
        if (
            not isinstance(inquiries, int)
            or isinstance(inquiries, bool)
            or not 0 <= inquiries <= 10**6
        ):
            errors['inquiries'] = 'A whole number, 0 or more'
        if errors:
            raise ValidationFailed(
                _('invalid-year-total', default='The year\'s total cannot be saved.'), errors
            )
        history = site_tree(self.core.site, 'report_history')
        before = history.get(year)
        history[year] = inquiries
        self.core.record('year_total', None, year=year, inquiries=inquiries, before=before)

    def add_choice(self, type_name, field_name, value, title_da, title_en=''):
        """An administrator adds a choice to an extensible field (a new
        theme, a legal basis); choices are never removed, since stored
        values use them."""
        self.core.require('manage', self.core.site)
        info = self.core.types.get(type_name) if isinstance(type_name, str) else None
        field = (
            info.by_name.get(field_name)
            if info is not None and isinstance(field_name, str)
            else None
        )
        if field is None or not field.extensible:
            raise ValidationFailed(
                _('not-extensible', default='Choices cannot be added to this field.'),
                {'field': 'Not extensible'},
            )
        errors = {}
        if not isinstance(value, str) or not re.match(r'^[a-z][a-z0-9_]{1,40}$', value):
            errors['value'] = 'Use 2-41 lower-case letters, digits or _'
        titles = {
            k: (v.strip() if isinstance(v, str) else '')
            for k, v in (('title_da', title_da), ('title_en', title_en))
        }
        if not titles['title_da'] or len(titles['title_da']) > 200 or len(titles['title_en']) > 200:
            errors['title_da'] = 'Give a Danish title (at most 200 characters)'
        key = (type_name, field_name)
        stored = tuple(self.core.site.extra_choices.get(key, ()))
        # judged against this transaction's data, not the process-wide registry
        if not errors.get('value') and (
            value in self.core.types.base_choice_values(type_name, field_name)
            or value in {c[0] for c in stored}
        ):
            errors['value'] = 'The choice exists'
        if errors:
            raise ValidationFailed(
                _('invalid-choice', default='The choice cannot be added.'), errors
            )
        site_tree(self.core.site, 'extra_choices')[key] = stored + (
            (value, titles['title_da'], titles['title_en'] or titles['title_da']),
        )
        # once committed, the next request (in any process) sees the new
        # version and works with a registry derived for it (the type
        # registry itself never changes); an aborted add is never seen
        self.core.site.choices_version = self.core.site.choices_version + 1
        self.core.record('choice_add', None, type=type_name, field=field_name, value=value)

    def import_journal(self, case, rows, dry_run=False):
        """Create a document per good row, and a disclosure for a sent one
        that names a recipient in the registry, each row all or nothing (a
        savepoint); returns (created, problems). The caller decides whether
        the transaction is kept (an import, audited) or dropped (a dry run)."""
        recipients = {}
        catalog = self.core.site.catalog
        for docid in Eq(catalog['type_name'], 'recipient').execute().ids:
            obj = resolve_path(self.core.site, self.core.site.docmap.path(docid) or '')
            if obj is not None:
                recipients.setdefault(obj.title.strip().lower(), obj)
        created, problems = [], []
        for number, values, problem in rows:
            if problem is not None:
                problems.append((number, problem))
                continue
            savepoint = self.core.savepoint()
            try:
                recipient = None
                if values['recipient']:
                    recipient = recipients.get(values['recipient'].lower())
                    if recipient is None:
                        raise ValidationFailed(
                            _(
                                'journal-unknown-recipient',
                                default='"${name}" is not in the recipient registry.',
                                mapping={'name': values['recipient']},
                            )
                        )
                day = values['date'].isoformat()
                document = self.content.add(
                    case,
                    'document',
                    {
                        'title': values['title'],
                        'document_date': day,
                        'journal_date': day,
                        'direction': values['direction'],
                        'party': values['party'] or None,
                        'description': (
                            f"Importeret fra journalliste (fil: {values['filename']})"
                            if values['filename']
                            else 'Importeret fra journalliste'
                        ),
                    },
                )
                row = {'row': number, 'title': values['title'], 'path': path_of(document)}
                if recipient is not None and values['direction'] == 'sent':
                    disclosure = self.content.add(
                        case,
                        'disclosure',
                        {
                            'title': values['title'][:200],
                            'recipient': path_of(recipient),
                            'document': path_of(document),
                            'disclosed_on': day,
                            'channel': recipient.fields.get('channel') or 'other',
                            'legal_basis': values['legal_basis'] or 'Ikke oplyst i journallisten',
                        },
                    )
                    row['disclosure'] = path_of(disclosure)
                created.append(row)
            except ServiceError as e:
                savepoint.rollback()
                problems.append((number, e.message))
        if not dry_run:
            self.core.record(
                'import',
                path_of(case),
                what='journal',
                documents=len(created),
                disclosures=sum(1 for row in created if 'disclosure' in row),
                problems=len(problems),
            )
        return created, problems

    def reseal(self, obj):
        """Re-encrypt obj's protected values under the current key."""
        self.core.require('manage', self.core.site)
        return self.core.sealer.reseal(obj)

    def record_key_rotation(self, current, resealed, resumed):
        self.core.record('keys_rotate', None, current=current, resealed=resealed, resumed=resumed)

    def record_audit_export(self, entries, start, end, format):
        """The export of the audit log is itself an event the trail shows."""
        self.core.record(
            'export', None, what='audit', entries=entries, start=start, end=end, format=format
        )

    def set_up_site(self, sections, signer=None, key_check=None):
        """What a site needs before anyone uses it (idempotent): the key
        check (`key_check` text, sealed, on a new site), the catalog, the
        signing key's public half (so documents it signs verify for ever)
        and the top-level sections [(name, title)]."""
        site = self.core.site
        if key_check is not None:
            site.key_check = self.core.sealer.require_ring().seal(key_check, key_check_aad())
        CatalogManager(self.core.types, self.core.ring).ensure(site)
        if signer is not None:
            signing_keys = site_tree(site, 'signing_keys')
            if signing_keys.get(signer.key_id) != signer.public_pem:
                signing_keys[signer.key_id] = signer.public_pem
        for name, section_title in sections:
            if name not in site:
                obj = self.content.add(site, 'folder', {'title': section_title})
                assert obj.__name__ == name
