"""Named guard conditions that workflow files may refer to.

A guard takes the object and returns None when the transition may happen,
or a message (a translation string) saying why not, which the interface
shows next to the unavailable transition.
"""
from translationstring import TranslationStringFactory

_ = TranslationStringFactory('tracker')

GUARDS = {}


def guard(name):
    def register(func):
        GUARDS[name] = func
        return func
    return register


@guard('resolved_date_set')
def resolved_date_set(obj):
    if not obj.get('resolved'):
        return _('guard-resolved-date',
                 default='Fill in the date the case was resolved before closing it.')
    return None
