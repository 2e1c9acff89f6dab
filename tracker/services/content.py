"""Add, edit, transition; case records are never deleted."""

from datetime import UTC, datetime

import colander
import transaction
from persistent.list import PersistentList
from translationstring import TranslationStringFactory

from ..catalog import CatalogManager
from ..catalog.indexing import path_of, resolve_path
from ..documents import UploadRejected, inspect_upload
from ..model import Content, Counter, StoredFile, User
from ..security import password_policy, passwords, permissions, throttle, tokens
from ..types.validation import Upload, colander_schema, fill_defaults, normalise, to_cstruct
from .errors import (
    KeptFailure,
    NotAllowed,
    NotFound,
    ServiceError,
    TransitionUnavailable,
    ValidationFailed,
)
from .naming import unique_name
from .sealing import Sealer

_ = TranslationStringFactory('tracker')


def utcnow():
    return datetime.now(UTC)


def _invalid_errors(invalid):
    return {k or '_': v for k, v in invalid.asdict().items()}


class Services:
    """Write operations for one actor. `can(permission, context)` answers
    permission questions (the request's security policy on the web, the
    same rules from `security.permissions` in the CLI)."""

    def __init__(
        self,
        site,
        types,
        actor,
        can,
        *,
        audit,
        locale='da',
        clock=utcnow,
        ring=None,
        letters=None,
        signer=None,
    ):
        self.site = site
        self.audit = audit  # tracker.audit.Recorder: every change leaves an entry
        self.types = types
        self.actor = actor
        self.can = can
        self.locale = locale
        self.clock = clock
        self.ring = ring
        self.sealer = Sealer(ring)
        self.catalog = CatalogManager(types, ring)
        self.letters = letters  # tracker.letters.Manifest
        self.signer = signer  # tracker.letters.signing.Signer

    # -- helpers ----------------------------------------------------------
    def type_info(self, type_name):
        info = self.types.get(type_name)
        if info is None:
            raise NotFound(
                _(
                    'unknown-type',
                    default='Unknown content type: ${name}',
                    mapping={'name': type_name},
                )
            )
        return info

    def _require(self, permission, context):
        if not self.can(permission, context):
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))

    def _validate(self, info, cstruct):
        if not isinstance(cstruct, dict):
            raise ValidationFailed(_('body-not-object', default='Expected an object of fields.'))
        unknown = sorted(
            name for name in cstruct if name not in info.by_name or info.by_name[name].computed
        )
        schema = colander_schema(info, self.locale)
        if unknown:
            invalid = colander.Invalid(schema, _('unknown-fields', default='Unknown fields'))
            errors = {}
            for name in unknown:
                node = colander.SchemaNode(colander.String(), name=name)
                invalid.add(colander.Invalid(node, _('unknown-field', default='Unknown field')))
                errors[name] = 'Set by the system' if name in info.by_name else 'Unknown field'
            raise ValidationFailed(
                _('invalid-input', default='Some fields are not valid.'), errors, invalid
            )
        try:
            appstruct = schema.deserialize(cstruct)
        except colander.Invalid as invalid:
            raise ValidationFailed(
                _('invalid-input', default='Some fields are not valid.'),
                _invalid_errors(invalid),
                invalid,
            ) from None
        return normalise(info, appstruct)

    # -- add ----------------------------------------------------------------
    def add(self, container, type_name, cstruct):
        """Validate and add a new object of type_name to container."""
        info = self.type_info(type_name)
        parent_info = self.types[container.type_name]
        if not info.addable or type_name not in parent_info.children:
            raise NotAllowed(
                _(
                    'type-not-allowed-here',
                    default='${type} cannot be added here.',
                    mapping={'type': info.title(self.locale)},
                )
            )
        self._require(info.add_permission or 'manage', container)
        values = self._validate(
            info,
            fill_defaults(info, cstruct, absent_only=True)
            if isinstance(cstruct, dict)
            else cstruct,
        )
        values = self._apply_rules(info, self._check_references(info, values), container)
        now = self.clock()
        obj = Content(type_name)
        values = self._store_files(obj, info, values)
        obj.fields = self.sealer.seal(obj, info, values)
        obj.created = obj.modified = now
        obj.creator = self.actor
        if info.numbering:
            number, year = self._draw_number(info, values)
            obj.number = (number, year)
            if info.numbering.get('label', '{number}/{year}') != '{number}/{year}':
                obj.number_text = info.numbering['label'].format(number=number, year=year)
            name = info.numbering.get('id', '{number}-{year}').format(number=number, year=year)
            if name in container:
                raise ValidationFailed(
                    _(
                        'number-taken',
                        default='The number ${name} is taken.',
                        mapping={'name': name},
                    )
                )
        else:
            name = unique_name(container, values.get('title'))
        container.add_child(name, obj)
        if info.workflow:
            obj.review_state = info.workflow.initial
            obj.record_history(
                {
                    'action': 'create',
                    'actor': self.actor,
                    'time': now,
                    'from': None,
                    'to': obj.review_state,
                    'comment': '',
                }
            )
        if info.versioned:
            obj.versions = PersistentList()
            self._new_version(obj, reason='', caused_by=None)
        self.catalog.index(self.site, obj)
        self.audit.record(
            'add',
            path_of(obj),
            type=type_name,
            fields=sorted(k for k, v in values.items() if v not in (None, (), '')),
        )
        self._after_change(obj)
        return obj

    def _after_change(self, obj, previous=None):
        """Keep what other objects derive from obj up to date: the stored
        completeness of the rectification requests it bears on (before and
        after the change: a disclosure may move to another document)."""
        from ..rectification.records import evaluate, requests_touched_by, store_completeness

        for request in requests_touched_by(self.site, obj, previous):
            result, _found = evaluate(self.site, request)
            if store_completeness(request, result):
                self.catalog.index(self.site, request)

    def savepoint(self):
        """A savepoint of the transaction this site's connection is in (the
        web joins connections to request.tm, not the thread's manager)."""
        jar = getattr(self.site, '_p_jar', None)
        manager = jar.transaction_manager if jar is not None else transaction.manager
        return manager.savepoint()

    def today(self):
        """Today in Copenhagen: deadlines and dates in letters are local."""
        from ..types.validation import LOCAL

        return self.clock().astimezone(LOCAL).date()

    def _check_references(self, info, values):
        """A reference must name an existing object of an allowed type that
        the actor may see; stored as its path."""
        for f in info.fields:
            path = values.get(f.name)
            if f.type != 'reference' or not path:
                continue
            target = resolve_path(self.site, path)
            if (
                target is None
                or target.type_name not in f.target_types
                or not self.can('view', target)
            ):
                message = _(
                    'reference-unknown',
                    default='"${path}" is not a ${types} you can see.',
                    mapping={
                        'path': path,
                        'types': ' / '.join(
                            self.types[t].title(self.locale) for t in f.target_types
                        ),
                    },
                )
                raise ValidationFailed(
                    message,
                    {f.name: 'Unknown reference'},
                    self._field_invalid(info, f.name, message),
                )
            values[f.name] = path_of(target)
        return values

    def _apply_rules(self, info, values, container, obj=None, previous=None):
        from ..types.rules import RuleContext, RuleFailed

        ctx = RuleContext(
            resolve=lambda path: resolve_path(self.site, path),
            container=container,
            today=self.today(),
            obj=obj,
            previous=previous or {},
            settings=info.settings,
            types=self.types,
            open=lambda o: self.sealer.open(o, self.type_info(o.type_name)),
        )
        for name in info.rules:
            try:
                values = self.types.rules[name](values, ctx)
            except RuleFailed as e:
                raise ValidationFailed(
                    e.message, {e.field: e.message}, self._field_invalid(info, e.field, e.message)
                ) from None
        return values

    def _store_files(self, obj, info, values):
        """Check and seal new uploads; a bad file is a field error and
        nothing of the object is stored."""
        out = dict(values)
        for f in info.fields:
            upload = out.get(f.name)
            if f.type != 'file' or not isinstance(upload, Upload):
                continue
            try:
                inspected = inspect_upload(upload.data)
            except UploadRejected as e:
                raise ValidationFailed(
                    e.message, {f.name: e.message}, self._field_invalid(info, f.name, e.message)
                ) from None
            aad = self.sealer.aad(obj, f.name)
            ring = self.sealer.require_ring()
            out[f.name] = StoredFile(
                ring.seal(upload.filename, aad),
                inspected.content_type,
                inspected.size,
                inspected.sha256,
                ring.seal_bytes(upload.data, aad),
                ring.seal(inspected.text, aad),
            )
        return out

    def _field_invalid(self, info, name, message):
        schema = colander_schema(info, self.locale)
        invalid = colander.Invalid(schema)
        node = colander.SchemaNode(colander.String(), name=name)
        invalid.add(colander.Invalid(node, message), pos=[f.name for f in info.fields].index(name))
        return invalid

    def _new_version(self, obj, reason, caused_by):
        obj.versions.append(
            {
                'number': len(obj.versions) + 1,
                'time': self.clock(),
                'actor': self.actor,
                'reason': reason,
                'caused_by': caused_by,
                'fields': dict(obj.fields),
            }
        )

    def _draw_number(self, info, values):
        day = values.get(info.numbering['year_field']) or self.clock().date()
        key = f'{info.name}:{day.year}'
        counter = self.site.counters.get(key)
        if counter is None:
            counter = self.site.counters[key] = Counter()
        return counter.next(), day.year

    def set_first_number(self, type_name, year, first):
        """Continue a number series begun in an earlier system: the next
        number drawn for `year` will be `first`. Allowed only before the
        tracker has drawn any number for that year, so no gap is hidden."""
        info = self.type_info(type_name)
        self._require('manage', self.site)
        if not info.numbering:
            raise ValidationFailed(_('not-numbered', default='This type is not numbered.'))
        if not isinstance(first, int) or first < 1:
            raise ValidationFailed(
                _('bad-first-number', default='The first number must be 1 or more.')
            )
        key = f'{info.name}:{year}'
        counter = self.site.counters.get(key)
        if counter is not None and counter.last:
            raise NotAllowed(
                _(
                    'series-started',
                    default='Numbers for ${year} are already in use.',
                    mapping={'year': str(year)},
                )
            )
        self.site.counters[key] = Counter(first - 1)

    # -- edit ---------------------------------------------------------------
    def edit(self, obj, changes, reason='', caused_by=None):
        """Apply a partial change (only the given fields), validated as a
        whole. On a versioned type the change is a new version saying why
        (`reason`) and, for a correction, which rectification caused it."""
        info = self.type_info(obj.type_name)
        self._require(info.edit_permission, obj)
        if not isinstance(changes, dict):
            raise ValidationFailed(_('body-not-object', default='Expected an object of fields.'))
        clear = self.sealer.open(obj, info)
        current = to_cstruct(info, clear, self.locale)
        merged = {k: v for k, v in current.items() if v is not colander.null}
        merged.update(changes)
        for f in info.fields:  # a file is kept unless a new one is sent
            if (
                f.type == 'file'
                and merged.get(f.name) in (None, colander.null, '')
                and clear.get(f.name) is not None
            ):
                merged[f.name] = clear[f.name]
        values = self._validate(info, merged)
        values.update({f.name: clear.get(f.name) for f in info.fields if f.computed})
        values = self._apply_rules(
            info, self._check_references(info, values), obj.__parent__, obj, clear
        )
        values = self._store_files(obj, info, values)
        if caused_by is not None:
            caused_by = self._rectification_path(caused_by)
        if info.numbering and obj.number:
            year_field = info.numbering['year_field']
            if values.get(year_field) and values[year_field].year != obj.number[1]:
                message = _(
                    'year-fixed-by-number',
                    default='The case is numbered ${number}: the date must stay in ${year}.',
                    mapping={'number': '{}/{}'.format(*obj.number), 'year': str(obj.number[1])},
                )
                raise ValidationFailed(
                    message,
                    {year_field: 'Year fixed by the case number'},
                    self._field_invalid(info, year_field, message),
                )
        changed = sorted(k for k in set(values) | set(clear) if values.get(k) != clear.get(k))
        if changed:
            stored = dict(obj.fields)
            stored.update(self.sealer.seal(obj, info, {k: values.get(k) for k in changed}))
            obj.fields = stored
            obj.modified = self.clock()
            if info.versioned:
                self._new_version(obj, reason=(reason or '').strip(), caused_by=caused_by)
            self.catalog.index(self.site, obj)
            self.audit.record(
                'edit',
                path_of(obj),
                fields=changed,
                **({'version': len(obj.versions)} if info.versioned else {}),
            )
            self._after_change(obj, previous=clear)
        return obj

    def _rectification_path(self, path):
        """The cause a correction names must be a rectification request the
        actor can see."""
        target = resolve_path(self.site, path) if isinstance(path, str) else None
        if target is None or target.type_name != 'rectification' or not self.can('view', target):
            raise ValidationFailed(
                _('unknown-cause', default='The rectification named as the cause was not found.'),
                {'@caused_by': 'Not found'},
            )
        return path_of(target)

    def read_file(self, obj, name, version=None):
        """(StoredFile, clear bytes) of the current or a given version;
        the download is audited."""
        stored = obj.fields.get(name)
        if version is not None:
            if not isinstance(version, int) or not 1 <= version <= len(obj.versions):
                raise NotFound(_('unknown-version', default='No such version.'))
            stored = obj.versions[version - 1]['fields'].get(name)
        if not isinstance(stored, StoredFile):
            raise NotFound(_('no-file', default='There is no file here.'))
        ring, aad = self.sealer.require_ring(), self.sealer.aad(obj, name)
        data = ring.open_bytes(stored.sealed_data, aad)
        self.audit.record(
            'download',
            path_of(obj),
            field=name,
            version=version or len(obj.versions) or None,
            sha256=stored.sha256,
        )
        return stored, ring.open(stored.sealed_filename, aad), data

    def file_name(self, obj, name, stored):
        """The clear file name of a stored file (it may name the citizen)."""
        return self.sealer.require_ring().open(stored.sealed_filename, self.sealer.aad(obj, name))

    def read_version(self, obj, number):
        """A version's field values in clear (files as StoredFile)."""
        if not isinstance(number, int) or not 1 <= number <= len(obj.versions):
            raise NotFound(_('unknown-version', default='No such version.'))
        record = obj.versions[number - 1]
        info = self.type_info(obj.type_name)
        protected = sorted(
            f.name for f in info.fields if f.protected and record['fields'].get(f.name) is not None
        )
        if protected:
            self.audit.record('view_protected', path_of(obj), fields=protected, version=number)
        probe = Content(obj.type_name)
        probe.uid, probe.fields = obj.uid, record['fields']
        return self.sealer.open(probe, info)

    # -- issued documents -------------------------------------------------------
    def issue(self, obj, template_id, reason=''):
        """Make the letter `template_id` from obj's data inside this
        transaction: render it, stamp its properties, sign its record and
        store it (sealed) as a new letter, or as the next version of the
        letter already issued from obj with that template. Audited."""
        from .issuing import issue_letter

        if not isinstance(reason, str) or len(reason) > 500:
            raise ValidationFailed(
                _('reason-not-text', default='The reason must be text.'),
                {'reason': 'Expected text (at most 500 characters)'},
            )
        return issue_letter(self, obj, template_id, reason)

    # -- the annual report's history ------------------------------------------
    def set_year_total(self, year, inquiries):
        """An administrator enters a year's number of unique inquiries from
        before the tracker, so the multi-year figure is complete. A year the
        tracker has cases for is counted from them, not entered."""
        from BTrees.OOBTree import OOBTree

        self._require('manage', self.site)
        errors = {}
        if (
            not isinstance(year, int)
            or isinstance(year, bool)
            or not 1990 <= year <= self.today().year
        ):
            errors['year'] = f'A year from 1990 to {self.today().year}'
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
        if 'report_history' not in self.site.__dict__:
            self.site.report_history = OOBTree()
        before = self.site.report_history.get(year)
        self.site.report_history[year] = inquiries
        self.audit.record('year_total', None, year=year, inquiries=inquiries, before=before)

    # -- choices ----------------------------------------------------------------
    def add_choice(self, type_name, field_name, value, title_da, title_en=''):
        """An administrator adds a choice to an extensible field (a new
        theme, a legal basis); choices are never removed, since stored
        values use them."""
        import re

        from BTrees.OOBTree import OOBTree

        self._require('manage', self.site)
        info = self.types.get(type_name) if isinstance(type_name, str) else None
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
        stored = tuple(self.site.extra_choices.get(key, ()))
        # judged against this transaction's data, not the process-wide registry
        if not errors.get('value') and (
            value in self.types.base_choice_values(type_name, field_name)
            or value in {c[0] for c in stored}
        ):
            errors['value'] = 'The choice exists'
        if errors:
            raise ValidationFailed(
                _('invalid-choice', default='The choice cannot be added.'), errors
            )
        if 'extra_choices' not in self.site.__dict__:
            self.site.extra_choices = OOBTree()
        self.site.extra_choices[key] = stored + (
            (value, titles['title_da'], titles['title_en'] or titles['title_da']),
        )
        # once committed, the next request (in any process) sees the new
        # version and works with a registry derived for it (the type
        # registry itself never changes); an aborted add is never seen
        self.site.choices_version = self.site.choices_version + 1
        self.audit.record('choice_add', None, type=type_name, field=field_name, value=value)

    # -- rectification ----------------------------------------------------------
    def derive_notifications(self, request):
        """Add a notification (identified) for every recipient the
        disclosure log derives that has none yet; returns the new ones."""
        from ..rectification.records import NOTIFICATION, children_of, derived

        if request.type_name != 'rectification':
            raise NotFound(_('not-a-request', default='This is not a rectification request.'))
        self._require(self.type_info('notification').add_permission, request)
        have = {n.fields.get('recipient') for n in children_of(request, NOTIFICATION)}
        return [
            self.add(request, 'notification', {'recipient': path})
            for path in sorted(derived(self.site, request))
            if path not in have
        ]

    # -- journal import -------------------------------------------------------
    def import_journal(self, case, rows):
        """Create a document per good row, and a disclosure for a sent one
        that names a recipient in the registry, each row all or nothing (a
        savepoint); returns (created, problems). The caller decides whether
        the transaction is kept (an import) or dropped (a dry run)."""
        from hypatia.query import Eq

        recipients = {}
        catalog = self.site.catalog
        for docid in Eq(catalog['type_name'], 'recipient').execute().ids:
            obj = resolve_path(self.site, self.site.docmap.path(docid) or '')
            if obj is not None:
                recipients.setdefault(obj.title.strip().lower(), obj)
        created, problems = [], []
        for number, values, problem in rows:
            if problem is not None:
                problems.append((number, problem))
                continue
            savepoint = self.savepoint()
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
                document = self.add(
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
                    disclosure = self.add(
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
        return created, problems

    # -- reading ------------------------------------------------------------
    def read(self, obj):
        """The object's field values in clear, for showing to the actor;
        seeing protected (personal) values is recorded in the audit log."""
        info = self.type_info(obj.type_name)
        seen = sorted(
            f.name for f in info.fields if f.protected and obj.fields.get(f.name) is not None
        )
        if seen:
            self.audit.record('view_protected', path_of(obj), fields=seen)
        return self.sealer.open(obj, info)

    def _comment_aad(self, obj, position):
        return f'{obj.uid}/history/{position}'.encode('ascii')

    def read_history(self, obj, show_comments):
        """The review history, comments opened only for `show_comments`
        (view_protected); opening them is audited."""
        entries, ring = [], self.sealer.require_ring() if show_comments else None
        opened = False
        for position, entry in enumerate(obj.review_history):
            comment = entry.get('comment') or ''
            if not isinstance(comment, str):
                if show_comments:
                    comment = ring.open(comment, self._comment_aad(obj, position))
                    opened = True
                else:
                    comment = None  # there is a comment, not for this reader
            entries.append(dict(entry, comment=comment))
        if opened:
            self.audit.record('view_protected', path_of(obj), fields=['history_comments'])
        return entries

    def reseal(self, obj):
        """Re-encrypt obj's protected values under the current key."""
        self._require('manage', self.site)
        return self.sealer.reseal(obj)

    # -- workflow -------------------------------------------------------------
    def available_transitions(self, obj):
        """[(transition, reason-or-None)] the actor may see from here."""
        info = self.type_info(obj.type_name)
        if not info.workflow:
            return []
        out, ctx = [], self.guard_context()
        for t in info.workflow.transitions_from(obj.review_state):
            if not self.can(t.permission, obj):
                continue
            failed = t.failed_guards(obj, ctx)
            out.append((t, failed[0] if failed else None))
        return out

    def guard_context(self):
        from ..workflow.guards import GuardContext

        return GuardContext(
            actor=self.actor,
            site=self.site,
            today=self.today(),
            types=self.types,
            locale=self.locale,
        )

    def transition(self, obj, name, comment='', changes=None):
        """Move obj along its workflow. `changes` (fields) are saved first,
        in the same transaction, so a step and its facts (a date, a reason,
        a receipt) are recorded together or not at all."""
        info = self.type_info(obj.type_name)
        wf = info.workflow
        if wf is None or name not in wf.transitions:
            raise NotFound(
                _(
                    'unknown-transition',
                    default='Unknown transition: ${name}',
                    mapping={'name': name},
                )
            )
        t = wf.transitions[name]
        if obj.review_state not in t.sources:
            raise TransitionUnavailable(
                _(
                    'transition-not-from-state',
                    default='"${transition}" is not possible from the state "${state}".',
                    mapping={
                        'transition': t.title(self.locale),
                        'state': wf.state(obj.review_state).title(self.locale),
                    },
                )
            )
        self._require(t.permission, obj)
        if comment is not None and not isinstance(comment, str):
            raise ValidationFailed(
                _('comment-not-text', default='The comment must be text.'),
                {'comment': 'Expected text'},
            )
        comment = (comment or '').strip()
        if t.comment_required and not comment:
            raise ValidationFailed(
                _('comment-required', default='Give a reason (comment).'), {'comment': 'Required'}
            )
        if changes is not None and not isinstance(changes, dict):
            raise ValidationFailed(
                _('body-not-object', default='Expected an object of fields.'),
                {'fields': 'Expected an object'},
            )
        savepoint = self.savepoint() if changes else None
        if changes:
            self.edit(obj, changes)
        failed = t.failed_guards(obj, self.guard_context())
        if failed:
            if savepoint is not None:
                savepoint.rollback()  # the facts without the step are not kept either
            raise TransitionUnavailable(failed[0])
        now = self.clock()
        # a comment is free text about the citizen: sealed like a protected field
        sealed = (
            self.sealer.require_ring().seal(
                comment, self._comment_aad(obj, len(obj.review_history))
            )
            if comment
            else ''
        )
        obj.record_history(
            {
                'action': name,
                'actor': self.actor,
                'time': now,
                'from': obj.review_state,
                'to': t.target,
                'comment': sealed,
            }
        )
        before = obj.review_state
        obj.review_state = t.target
        obj.modified = now
        self.catalog.index(self.site, obj)
        self.catalog.reindex_children(self.site, obj)
        self.audit.record(
            'transition',
            path_of(obj),
            transition=name,
            **{'from': before, 'to': t.target, 'comment': bool(comment)},
        )
        self._after_change(obj)
        return obj

    # -- sharing (local roles) ---------------------------------------------
    def share(self, obj, login, roles):
        """Grant `roles` to `login` on obj and everything in it; an empty
        list revokes. Only roles marked `local` in roles.yaml."""
        self._require('share', obj)
        if not isinstance(login, str) or login not in self.site.users:
            raise ValidationFailed(
                _('unknown-user', default='Unknown user.'), {'login': 'Unknown user'}
            )
        if not isinstance(roles, (list, tuple)) or not all(isinstance(r, str) for r in roles):
            raise ValidationFailed(
                _('roles-list', default='Roles must be a list.'),
                {'roles': 'Expected a list of role names'},
            )
        unknown = sorted(set(roles) - set(self.types.local_roles))
        if unknown:
            raise ValidationFailed(
                _(
                    'not-local-roles',
                    default='These roles cannot be shared: ${roles}',
                    mapping={'roles': ', '.join(unknown)},
                ),
                {'roles': f'Not shareable: {unknown}'},
            )
        grants = dict(obj.local_roles)
        before = grants.get(login, ())
        if roles:
            grants[login] = tuple(sorted(set(roles)))
        else:
            grants.pop(login, None)
        if grants.get(login, ()) != before:
            obj.local_roles = grants
            obj.modified = self.clock()
            self.catalog.reindex_subtree(self.site, obj)
            self.audit.record(
                'share', path_of(obj), login=login, roles=list(roles), before=list(before)
            )
        return obj

    # -- delete -------------------------------------------------------------
    def delete(self, obj):
        info = self.type_info(obj.type_name)
        if not info.deletable:
            raise NotAllowed(
                _(
                    'never-deleted',
                    default='Nothing is deleted from the case records. Close the case '
                    'instead, or correct it with a note.',
                )
            )
        raise NotAllowed(_('delete-not-supported', default='Deleting is not supported.'))

    # -- users and tokens -------------------------------------------------
    def add_user(self, login, password, roles, fullname=''):
        self._require('manage', self.site)
        errors = {}
        if (
            not isinstance(login, str)
            or not login.replace('.', '').replace('-', '').replace('_', '').isalnum()
        ):
            errors['login'] = 'Use letters, digits, dot, dash or underscore'
        elif login.lower() in RESERVED_LOGINS:
            errors['login'] = 'Reserved for the audit log'
        elif login in self.site.users:
            errors['login'] = 'The login is taken'
        unknown = [r for r in roles if r not in self.types.roles]
        if not roles or unknown:
            errors['roles'] = f'Unknown roles: {unknown}' if unknown else 'Give at least one role'
        problems = password_policy.check_new_password(password or '', login or '')
        if problems:
            errors['password'] = ' '.join(problems)
        if errors:
            raise ValidationFailed(_('invalid-user', default='The user cannot be created.'), errors)
        user = User(login, passwords.hash_password(password), roles, fullname)
        user.created = self.clock()
        self.site.users[login] = user
        self.audit.record('user_add', None, login=login, roles=list(roles))
        return user

    def _set_password(self, user, new):
        problems = password_policy.check_new_password(
            new if isinstance(new, str) else '', user.login
        )
        if problems:
            raise ValidationFailed(
                _('invalid-password', default='The password is not accepted.'),
                {'new_password': ' '.join(problems)},
            )
        user.password_hash = passwords.hash_password(new)
        user.password_changed = self.clock()
        user.feed_token_digest = None  # the calendar feed's token ends with the password
        for digest, (login, _expires) in list(self.site.tokens.items()):
            if login == user.login:  # every token of the old password ends
                del self.site.tokens[digest]

    def change_password(self, login, old, new):
        """A user changes their own password (the old one is required)."""
        user = self.site.users.get(login)
        if user is None or login != self.actor:
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))
        now = self.clock()
        failures = self.site.login_failures
        if throttle.check(failures, login, '', now):
            raise NotAllowed(_('login-locked', default='Wrong login or password. Try again later.'))
        if not passwords.verify_password(user.password_hash, old if isinstance(old, str) else ''):
            # guessing the current password with a stolen session counts
            # towards the same lockout as guessing at the login
            throttle.record_failure(failures, login, '', now)
            self.audit.record('password_change_failed', None, login=login)
            raise KeptFailure(
                _('wrong-password', default='The current password is wrong.'),
                {'old_password': 'Wrong password'},
            )
        self._set_password(user, new)
        self.audit.record('password_change', None, login=login)

    def reset_password(self, login, new):
        """An administrator sets a new password and lifts a lockout."""
        self._require('manage', self.site)
        user = self.site.users.get(login)
        if user is None:
            raise NotFound(_('unknown-user', default='Unknown user.'))
        self._set_password(user, new)
        throttle.clear_account(self.site.login_failures, login)
        self.audit.record('password_reset', None, login=login)

    def enrol_totp(self, login, secret):
        """Require a TOTP code at every login of `login` from now on. The
        secret is sealed: with it anyone could make the codes."""
        self._require('manage', self.site)
        user = self.site.users.get(login)
        if user is None:
            raise NotFound(_('unknown-user', default='Unknown user.'))
        user.totp_secret = self.sealer.require_ring().seal(secret, totp_aad(login))
        user.totp_last_step = None
        self.audit.record('totp_enrol', None, login=login)

    def issue_feed_token(self):
        """A personal, read-only token for the deadlines calendar feed
        (Outlook cannot send a bearer header); a new one ends the old."""
        import secrets

        user = self.site.users.get(self.actor)
        if user is None:
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))
        token = secrets.token_urlsafe(32)
        user.feed_token_digest = tokens._digest(token)
        self.audit.record('feed_token', None, login=user.login)
        return token

    def record_delay_notice(self, case, text):
        """The advisor cannot meet the published deadline: the notice to
        the citizen is recorded today (retssikkerhedsloven § 3, stk. 2)."""
        return self.edit(case, {'delay_notice_on': self.today().isoformat(), 'delay_notice': text})

    def issue_token(self, login, lifetime_seconds):
        return tokens.issue(self.site, login, self.clock(), lifetime_seconds)

    def revoke_token(self, token):
        revoked = tokens.revoke(self.site, token)
        if revoked:
            self.audit.record('logout', None, method='token')
        return revoked


# Actors the audit log uses for itself: no person may take these names.
RESERVED_LOGINS = {'system', 'unknown', 'cli', 'anonymous', 'test-setup'}


def totp_aad(login):
    return f'user:{login}/totp'.encode()


def system_can(types, user):
    """A `can` for non-web callers, judged by the same rules as the web."""

    def can(permission, context):
        return permissions.permits(types, user, context, permission)

    return can
