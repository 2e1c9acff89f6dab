"""The shared core every service receives: who acts (actor, permissions,
locale), on what (site, types), when (the clock) and the machinery of a
change (sealing, the catalog, the audit log, numbering, versions, the
after-change hook). Services call its public methods; nothing here is a
service call of its own."""

import transaction
from translationstring import TranslationStringFactory

from ..catalog import CatalogManager
from ..clock import as_clock
from ..model import Counter
from .errors import NotAllowed, NotFound
from .sealing import Sealer

_ = TranslationStringFactory('tracker')


class _NoSavepoint:
    @staticmethod
    def rollback():
        return None


class ServiceCore:
    """`can(permission, context)` answers permission questions (the
    request's security policy on the web, `system_can` elsewhere).

    For a bulk loader (bench/dashboard.py) three parts can be swapped:
    `indexer` (an object with CatalogManager's index / reindex_children /
    reindex_subtree), `keep_derived=False` (no after-change hooks: the
    loader calls `services.rectification.refresh_completeness` itself) and
    `savepoints=False` (a refused workflow step then keeps the facts saved
    with it, so such a loader must stop at the first refusal)."""

    def __init__(
        self,
        site,
        types,
        actor,
        can,
        *,
        audit,
        locale='da',
        clock=None,
        ring=None,
        indexer=None,
        keep_derived=True,
        savepoints=True,
    ):
        self.site = site
        self.types = types
        self.actor = actor
        self.can = can
        self.audit = audit  # tracker.audit.Recorder: every change leaves an entry
        self.locale = locale
        self.clock = as_clock(clock)
        self.ring = ring
        self.sealer = Sealer(ring)
        self.catalog = indexer if indexer is not None else CatalogManager(types, ring)
        self.keep_derived = keep_derived
        self.savepoints = savepoints
        self.after_change_hooks = []  # callables (obj, previous) run after every change

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

    def require(self, permission, context):
        if not self.can(permission, context):
            raise NotAllowed(_('not-allowed', default='You may not do this here.'))

    def now(self):
        return self.clock.now()

    def today(self):
        """Today in Copenhagen: deadlines and dates in letters are local."""
        return self.clock.today()

    def record(self, action, target=None, **details):
        """One audit log entry, in the transaction of the change."""
        return self.audit.record(action, target, **details)

    def savepoint(self):
        """A savepoint of the transaction this site's connection is in (the
        web joins connections to request.tm, not the thread's manager)."""
        if not self.savepoints:
            return _NoSavepoint
        jar = getattr(self.site, '_p_jar', None)
        manager = jar.transaction_manager if jar is not None else transaction.manager
        return manager.savepoint()

    def after_change(self, obj, previous=None):
        """Keep what other objects derive from obj up to date (the hooks the
        services registered, e.g. a rectification request's completeness)."""
        if not self.keep_derived:
            return
        for hook in self.after_change_hooks:
            hook(obj, previous)

    def guard_context(self):
        from ..workflow.guards import GuardContext

        return GuardContext(
            actor=self.actor,
            site=self.site,
            today=self.today(),
            types=self.types,
            locale=self.locale,
        )

    def rule_context(self, info, container, obj=None, previous=None):
        from ..catalog.indexing import resolve_path
        from ..types.rules import RuleContext

        return RuleContext(
            resolve=lambda path: resolve_path(self.site, path),
            container=container,
            today=self.today(),
            obj=obj,
            previous=previous or {},
            settings=info.settings,
            types=self.types,
            open=lambda o: self.sealer.open(o, self.type_info(o.type_name)),
        )

    def draw_counter(self, key):
        """The next number of the counter `key` (created on first use)."""
        counter = self.site.counters.get(key)
        if counter is None:
            counter = self.site.counters[key] = Counter()
        return counter.next()

    def draw_number(self, info, values):
        """(number, year) for a new object of a numbered type; the year is
        that of its year field, or this year in Copenhagen."""
        day = values.get(info.numbering['year_field']) or self.today()
        return self.draw_counter(f'{info.name}:{day.year}'), day.year

    def new_version(self, obj, reason, caused_by):
        obj.versions.append(
            {
                'number': len(obj.versions) + 1,
                'time': self.now(),
                'actor': self.actor,
                'reason': reason,
                'caused_by': caused_by,
                'fields': dict(obj.fields),
            }
        )
