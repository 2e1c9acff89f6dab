"""What every page template gets: `layout`, with navigation, the user,
the CSRF token, flash messages and formatting helpers."""

from pyramid.i18n import TranslationStringFactory

from ..catalog.indexing import path_of
from ..letters import LETTER
from ..web.by_type import tabs_for
from ..web.formatting import date_time, field_value, long_date, number_label

_ = TranslationStringFactory('tracker')


AUDIT_ACTIONS = {
    'add': _('audit-add', default='created'),
    'edit': _('audit-edit', default='changed'),
    'download': _('audit-download', default='file downloaded'),
    'issue': _('audit-issue', default='document issued'),
}


class Layout:
    def __init__(self, request, context):
        self.request = request
        self.context = context
        self.locale = request.locale_name
        self.user = request.identity if hasattr(request, 'identity') else None
        self.app_url = request.application_url  # computed once, used for every link
        self._csrf = None

    def t(self, term, mapping=None):
        """Translate a translation string, or a msgid of the tracker domain."""
        if mapping is not None or not hasattr(term, 'domain'):
            term = _(term, mapping=mapping)
        return self.request.localizer.translate(term)

    def csrf_token(self):
        if self._csrf is None:
            self._csrf = self.request.session.get_csrf_token()
        return self._csrf

    def flashes(self, queue):
        return self.request.session.pop_flash(queue)

    @property
    def site(self):
        return self.request.root

    def url(self, obj, view=None, **query):
        path = path_of(obj)
        base = self.app_url + (path if path != '/' else '') + '/'
        if view:
            base += view
        if query:
            from urllib.parse import urlencode

            base += '?' + urlencode(query, doseq=True)
        return base

    def breadcrumbs(self):
        crumbs, obj = [], self.context
        while obj is not None and hasattr(obj, 'type_name'):
            crumbs.append(obj)
            obj = obj.__parent__
        return list(reversed(crumbs))

    def sections(self):
        site = self.request.root
        return [
            site.get_child(name)
            for name in ('sager', 'berigtigelser', 'modtagere', 'rapporter')
            if site.get_child(name) is not None
        ]

    def sort_header(self, listing, key):
        """(url, aria-sort) for a sortable column: a click sorts by it, a
        second click reverses."""
        current = listing['sort_on'] == key
        descending = current and not listing['reverse']
        url = self.url(
            self.context, sort_on=key, sort_order='descending' if descending else 'ascending'
        )
        state = None
        if current:
            state = 'descending' if listing['reverse'] else 'ascending'
        return url, state

    def in_section(self, section):
        obj = self.context
        while obj is not None and obj.__parent__ is not None:
            if obj is section:
                return True
            obj = obj.__parent__
        return False

    def type_title(self, type_name):
        info = self.request.types.get(type_name)
        return info.title(self.locale) if info else type_name

    def state_title(self, obj):
        info = self.request.types.get(obj.type_name)
        if info and info.workflow and obj.review_state:
            return info.workflow.state(obj.review_state).title(self.locale)
        return ''

    def label(self, obj):
        number = number_label(obj, self.request.types)
        return f'{number} {obj.title}' if number else obj.title

    def date(self, value):
        return long_date(value, self.locale)

    def datetime(self, value):
        return date_time(value, self.locale)

    def value(self, field, value):
        return field_value(field, value, self.locale)

    def field(self, type_name, name):
        return self.request.types[type_name].by_name[name]

    def when(self, value):
        """A date, or a date and time: whichever the event has."""
        from datetime import datetime

        return self.datetime(value) if isinstance(value, datetime) else self.date(value)

    def resolve(self, path):
        from ..catalog.indexing import resolve_path

        return resolve_path(self.request.root, path)

    def yes_no(self, value):
        return _('yes', default='Yes') if value else _('no', default='No')

    def audit_action(self, action):
        return AUDIT_ACTIONS.get(action, action)

    def number(self, obj):
        return number_label(obj, self.request.types)

    def path(self, obj):
        return path_of(obj)

    def tabs(self, current):
        """The object's tabs the user may open: (label, url, is current)."""
        obj, request = self.context, self.request
        info = request.types.get(obj.type_name)
        tabs = [('overview', _('tab-overview', default='Overview'), '')]
        if info and request.has_permission(info.edit_permission, obj):
            tabs.append(('edit', _('tab-edit', default='Edit'), 'edit'))
        if info and info.workflow:
            tabs.append(('history', _('tab-history', default='History'), 'history'))
        if info and info.versioned:
            tabs.append(('versions', _('tab-versions', default='Versions'), 'versions'))
        tabs.extend((name, title, name) for name, title in tabs_for(request, obj))
        if info and LETTER in info.children:
            tabs.append(('letters', _('tab-letters', default='Documents'), 'letters'))
        if request.has_permission('share', obj) or obj.local_roles:
            tabs.append(('sharing', _('tab-sharing', default='Sharing'), 'sharing'))
        if request.has_permission('audit', obj):
            tabs.append(('audit', _('tab-audit', default='Audit trail'), 'audit'))
        return [
            (self.t(label), self.url(obj, view or None), name == current)
            for name, label, view in tabs
        ]

    def other_locale(self):
        return 'en' if self.locale == 'da' else 'da'


def add_layout(event):
    request = event.get('request')
    if request is not None and 'layout' not in event:
        event['layout'] = Layout(request, event.get('context'))


def flash(request, message, queue='info'):
    """Flash a message, translated now: the cookie session keeps plain text."""
    request.session.flash(request.localizer.translate(message), queue)
