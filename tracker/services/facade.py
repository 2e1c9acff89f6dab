"""`Services`: the one write path for one actor, composed of one service
per responsibility. Callers reach a service by its attribute
(`services.accounts.add_user(...)`); the content operations every form and
API call uses are also here directly (`services.add(...)`)."""

from ..security import permissions
from .accounts import AccountService
from .admin import AdminService
from .content import ContentService
from .core import ServiceCore
from .letters import LetterService
from .rectification import RectificationService


class Services:
    """content, accounts, letters, rectification and admin share one core
    (site, types, actor, `can`, clock, audit, catalog, sealing): the keyword
    options are ServiceCore's (audit, locale, clock, ring; `indexer`,
    `keep_derived` and `savepoints` for bulk loaders only). `letters` is the
    letters Manifest and `signer` the letters Signer, where issuing is set
    up."""

    def __init__(self, site, types, actor, can, *, letters=None, signer=None, **options):
        # options: audit (required), locale, clock, ring, and the bulk options
        self.core = core = ServiceCore(site, types, actor, can, **options)
        self.content = ContentService(core)
        self.accounts = AccountService(core)
        self.letters = LetterService(core, self.content, manifest=letters, signer=signer)
        self.rectification = RectificationService(core, self.content)
        self.admin = AdminService(core, self.content)
        core.after_change_hooks.append(self.rectification.refresh_completeness)

    # who, where and when (read-only views of the core)
    site = property(lambda self: self.core.site)
    types = property(lambda self: self.core.types)
    actor = property(lambda self: self.core.actor)
    locale = property(lambda self: self.core.locale)
    clock = property(lambda self: self.core.clock)

    # the content operations most callers use
    def add(self, container, type_name, cstruct):
        return self.content.add(container, type_name, cstruct)

    def edit(self, obj, changes, reason='', caused_by=None):
        return self.content.edit(obj, changes, reason=reason, caused_by=caused_by)

    def transition(self, obj, name, comment='', changes=None):
        return self.content.transition(obj, name, comment, changes)

    def read(self, obj):
        return self.content.read(obj)

    def share(self, obj, login, roles):
        return self.content.share(obj, login, roles)

    def delete(self, obj):
        return self.content.delete(obj)

    def read_file(self, obj, name, version=None):
        return self.content.read_file(obj, name, version)

    def read_version(self, obj, number):
        return self.content.read_version(obj, number)

    def available_transitions(self, obj):
        return self.content.available_transitions(obj)

    def type_info(self, type_name):
        return self.core.type_info(type_name)

    def today(self):
        """Today in Copenhagen, by the services' clock."""
        return self.core.today()

    def now(self):
        """Now (UTC), by the services' clock."""
        return self.core.now()


def system_can(types, user):
    """A `can` for non-web callers, judged by the same rules as the web."""

    def can(permission, context):
        return permissions.permits(types, user, context, permission)

    return can
