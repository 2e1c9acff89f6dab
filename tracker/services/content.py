"""Content: add, edit, move along the workflow, read (audited), share;
case records are never deleted."""

import colander
from persistent.list import PersistentList
from translationstring import TranslationStringFactory

from ..catalog.indexing import path_of, resolve_path
from ..crypto.aad import comment_aad, field_aad
from ..model import Content, StoredFile
from ..model.numbering import number_text
from ..types.validation import fill_defaults, to_cstruct
from . import checks
from .base import Service
from .errors import NotAllowed, NotFound, TransitionUnavailable, ValidationFailed
from .naming import unique_name

_ = TranslationStringFactory('tracker')


class ContentService(Service):
    """Write and audited-read operations on content for one actor."""

    def add(self, container, type_name, cstruct):
        """Validate and add a new object of type_name to container."""
        info = self.core.type_info(type_name)
        parent_info = self.core.types[container.type_name]
        if not info.addable or type_name not in parent_info.children:
            raise NotAllowed(
                _(
                    'type-not-allowed-here',
                    default='${type} cannot be added here.',
                    mapping={'type': info.title(self.core.locale)},
                )
            )
        self.core.require(info.add_permission or 'manage', container)
        values = checks.validate(
            self.core,
            info,
            fill_defaults(info, cstruct, absent_only=True)
            if isinstance(cstruct, dict)
            else cstruct,
        )
        values = checks.apply_rules(
            self.core, info, checks.check_references(self.core, info, values), container
        )
        now = self.core.now()
        obj = Content(type_name)
        values = checks.store_files(self.core, obj, info, values)
        obj.fields = self.core.sealer.seal(obj, info, values)
        obj.created = obj.modified = now
        obj.creator = self.core.actor
        if info.numbering:
            number, year = self.core.draw_number(info, values)
            obj.number = (number, year)
            if info.numbering.get('label', '{number}/{year}') != '{number}/{year}':
                obj.number_text = number_text(obj, self.core.types)  # kept with the object
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
                    'actor': self.core.actor,
                    'time': now,
                    'from': None,
                    'to': obj.review_state,
                    'comment': '',
                }
            )
        if info.versioned:
            obj.versions = PersistentList()
            self.core.new_version(obj, reason='', caused_by=None)
        self.core.catalog.index(self.core.site, obj)
        self.core.record(
            'add',
            path_of(obj),
            type=type_name,
            fields=sorted(k for k, v in values.items() if v not in (None, (), '')),
        )
        self.core.after_change(obj)
        return obj

    def edit(self, obj, changes, reason='', caused_by=None):
        """Apply a partial change (only the given fields), validated as a
        whole. On a versioned type the change is a new version saying why
        (`reason`) and, for a correction, which rectification caused it."""
        info = self.core.type_info(obj.type_name)
        self.core.require(info.edit_permission, obj)
        if not isinstance(changes, dict):
            raise ValidationFailed(_('body-not-object', default='Expected an object of fields.'))
        clear = self.core.sealer.open(obj, info)
        current = to_cstruct(info, clear, self.core.locale)
        merged = {k: v for k, v in current.items() if v is not colander.null}
        merged.update(changes)
        for f in info.fields:  # a file is kept unless a new one is sent
            if (
                f.type == 'file'
                and merged.get(f.name) in (None, colander.null, '')
                and clear.get(f.name) is not None
            ):
                merged[f.name] = clear[f.name]
        values = checks.validate(self.core, info, merged)
        values.update({f.name: clear.get(f.name) for f in info.fields if f.computed})
        values = checks.apply_rules(
            self.core,
            info,
            checks.check_references(self.core, info, values),
            obj.__parent__,
            obj,
            clear,
        )
        values = checks.store_files(self.core, obj, info, values)
        if caused_by is not None:
            caused_by = self._rectification_path(caused_by)
        if info.numbering and obj.number:
            year_field = info.numbering['year_field']
            if values.get(year_field) and values[year_field].year != obj.number[1]:
                message = _(
                    'year-fixed-by-number',
                    default='The case is numbered ${number}: the date must stay in ${year}.',
                    mapping={
                        'number': number_text(obj, self.core.types),
                        'year': str(obj.number[1]),
                    },
                )
                raise ValidationFailed(
                    message,
                    {year_field: 'Year fixed by the case number'},
                    checks.field_invalid(self.core, info, year_field, message),
                )
        changed = sorted(k for k in set(values) | set(clear) if values.get(k) != clear.get(k))
        if changed:
            stored = dict(obj.fields)
            stored.update(self.core.sealer.seal(obj, info, {k: values.get(k) for k in changed}))
            obj.fields = stored
            obj.modified = self.core.now()
            if info.versioned:
                self.core.new_version(obj, reason=(reason or '').strip(), caused_by=caused_by)
            self.core.catalog.index(self.core.site, obj)
            self.core.record(
                'edit',
                path_of(obj),
                fields=changed,
                **({'version': len(obj.versions)} if info.versioned else {}),
            )
            self.core.after_change(obj, previous=clear)
        return obj

    def _rectification_path(self, path):
        """The cause a correction names must be a rectification request the
        actor can see."""
        target = resolve_path(self.core.site, path) if isinstance(path, str) else None
        if (
            target is None
            or target.type_name != 'rectification'
            or not self.core.can('view', target)
        ):
            raise ValidationFailed(
                _('unknown-cause', default='The rectification named as the cause was not found.'),
                {'@caused_by': 'Not found'},
            )
        return path_of(target)

    def transition(self, obj, name, comment='', changes=None):
        """Move obj along its workflow. `changes` (fields) are saved first,
        in the same transaction, so a step and its facts (a date, a reason,
        a receipt) are recorded together or not at all."""
        info = self.core.type_info(obj.type_name)
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
                        'transition': t.title(self.core.locale),
                        'state': wf.state(obj.review_state).title(self.core.locale),
                    },
                )
            )
        self.core.require(t.permission, obj)
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
        savepoint = self.core.savepoint() if changes else None
        if changes:
            self.edit(obj, changes)
        failed = t.failed_guards(obj, self.core.guard_context())
        if failed:
            if savepoint is not None:
                savepoint.rollback()  # the facts without the step are not kept either
            raise TransitionUnavailable(failed[0])
        now = self.core.now()
        # a comment is free text about the citizen: sealed like a protected field
        sealed = (
            self.core.sealer.require_ring().seal(
                comment, comment_aad(obj.uid, len(obj.review_history))
            )
            if comment
            else ''
        )
        obj.record_history(
            {
                'action': name,
                'actor': self.core.actor,
                'time': now,
                'from': obj.review_state,
                'to': t.target,
                'comment': sealed,
            }
        )
        before = obj.review_state
        obj.review_state = t.target
        obj.modified = now
        self.core.catalog.index(self.core.site, obj)
        self.core.catalog.reindex_children(self.core.site, obj)
        self.core.record(
            'transition',
            path_of(obj),
            transition=name,
            **{'from': before, 'to': t.target, 'comment': bool(comment)},
        )
        self.core.after_change(obj)
        return obj

    def available_transitions(self, obj):
        """[(transition, reason-or-None)] the actor may see from here."""
        info = self.core.type_info(obj.type_name)
        if not info.workflow:
            return []
        out, ctx = [], self.core.guard_context()
        for t in info.workflow.transitions_from(obj.review_state):
            if not self.core.can(t.permission, obj):
                continue
            failed = t.failed_guards(obj, ctx)
            out.append((t, failed[0] if failed else None))
        return out

    def share(self, obj, login, roles):
        """Grant `roles` to `login` on obj and everything in it; an empty
        list revokes. Only roles marked `local` in roles.yaml."""
        self.core.require('share', obj)
        if not isinstance(login, str) or login not in self.core.site.users:
            raise ValidationFailed(
                _('unknown-user', default='Unknown user.'), {'login': 'Unknown user'}
            )
        if not isinstance(roles, (list, tuple)) or not all(isinstance(r, str) for r in roles):
            raise ValidationFailed(
                _('roles-list', default='Roles must be a list.'),
                {'roles': 'Expected a list of role names'},
            )
        unknown = sorted(set(roles) - set(self.core.types.local_roles))
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
            obj.modified = self.core.now()
            self.core.catalog.reindex_subtree(self.core.site, obj)
            self.core.record(
                'share', path_of(obj), login=login, roles=list(roles), before=list(before)
            )
        return obj

    def delete(self, obj):
        info = self.core.type_info(obj.type_name)
        if not info.deletable:
            raise NotAllowed(
                _(
                    'never-deleted',
                    default='Nothing is deleted from the case records. Close the case '
                    'instead, or correct it with a note.',
                )
            )
        raise NotAllowed(_('delete-not-supported', default='Deleting is not supported.'))

    def read(self, obj):
        """The object's field values in clear, for showing to the actor;
        seeing protected (personal) values is recorded in the audit log."""
        info = self.core.type_info(obj.type_name)
        seen = sorted(
            f.name for f in info.fields if f.protected and obj.fields.get(f.name) is not None
        )
        if seen:
            self.core.record('view_protected', path_of(obj), fields=seen)
        return self.core.sealer.open(obj, info)

    def read_history(self, obj, show_comments):
        """The review history, comments opened only for `show_comments`
        (view_protected); opening them is audited."""
        entries, ring = [], self.core.sealer.require_ring() if show_comments else None
        opened = False
        for position, entry in enumerate(obj.review_history):
            comment = entry.get('comment') or ''
            if not isinstance(comment, str):
                if show_comments:
                    comment = ring.open(comment, comment_aad(obj.uid, position))
                    opened = True
                else:
                    comment = None  # there is a comment, not for this reader
            entries.append(dict(entry, comment=comment))
        if opened:
            self.core.record('view_protected', path_of(obj), fields=['history_comments'])
        return entries

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
        ring, aad = self.core.sealer.require_ring(), field_aad(obj.uid, name)
        data = ring.open_bytes(stored.sealed_data, aad)
        self.core.record(
            'download',
            path_of(obj),
            field=name,
            version=version or len(obj.versions) or None,
            sha256=stored.sha256,
        )
        return stored, ring.open(stored.sealed_filename, aad), data

    def read_version(self, obj, number):
        """A version's field values in clear (files as StoredFile)."""
        if not isinstance(number, int) or not 1 <= number <= len(obj.versions):
            raise NotFound(_('unknown-version', default='No such version.'))
        record = obj.versions[number - 1]
        info = self.core.type_info(obj.type_name)
        protected = sorted(
            f.name for f in info.fields if f.protected and record['fields'].get(f.name) is not None
        )
        if protected:
            self.core.record('view_protected', path_of(obj), fields=protected, version=number)
        probe = Content(obj.type_name)
        probe.uid, probe.fields = obj.uid, record['fields']
        return self.core.sealer.open(probe, info)

    def file_name(self, obj, name, stored):
        """The clear file name of a stored file (it may name the citizen)."""
        return self.core.sealer.require_ring().open(
            stored.sealed_filename, field_aad(obj.uid, name)
        )

    def record_delay_notice(self, case, text):
        """The advisor cannot meet the published deadline: the notice to
        the citizen is recorded today (retssikkerhedsloven § 3, stk. 2)."""
        return self.edit(
            case, {'delay_notice_on': self.core.today().isoformat(), 'delay_notice': text}
        )

    def record_search(self, context, fields, text, hits):
        """A search by CPR number or by words can find a person: who looked
        for whom is part of the trail (the searched values are not)."""
        self.core.record('search', path_of(context), fields=fields, text=text, hits=hits)
