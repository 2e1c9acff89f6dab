"""Rectification: derive the notifications a request needs and keep each
request's stored completeness (its gaps) up to date after every change."""

from translationstring import TranslationStringFactory

from ..rectification.records import (
    NOTIFICATION,
    children_of,
    completeness_changes,
    derived,
    evaluate,
    requests_touched_by,
)
from .base import Service
from .errors import NotFound

_ = TranslationStringFactory('tracker')


class RectificationService(Service):
    def __init__(self, core, content):
        super().__init__(core)
        self.content = content

    def derive_notifications(self, request):
        """Add a notification (identified) for every recipient the
        disclosure log derives that has none yet; returns the new ones."""
        if request.type_name != 'rectification':
            raise NotFound(_('not-a-request', default='This is not a rectification request.'))
        self.core.require(self.core.type_info('notification').add_permission, request)
        have = {n.fields.get('recipient') for n in children_of(request, NOTIFICATION)}
        return [
            self.content.add(request, 'notification', {'recipient': path})
            for path in sorted(derived(self.core.site, request))
            if path not in have
        ]

    def refresh_completeness(self, obj, previous=None):
        """After a change to obj: store the completeness of the
        rectification requests it bears on (before and after the change: a
        disclosure may move to another document). The core runs this after
        every change; a bulk loader calls it itself."""
        for request in requests_touched_by(self.core.site, obj, previous):
            result, _found = evaluate(self.core.site, request)
            changes = completeness_changes(request, result)
            if 'gaps' in changes:
                request.gaps = changes['gaps']
            if 'gap_count' in changes:
                request.fields = dict(request.fields, gap_count=changes['gap_count'])
                request.modified = self.core.now()
                self.core.catalog.index(self.core.site, request)
