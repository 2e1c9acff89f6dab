"""Translation of messages that carry other messages.

A gap list or a guard message names things that are themselves
translatable ("Politiet: not notified yet"); Pyramid's Localizer does not
translate TranslationStrings inside a mapping, so this one does, for the web
and the CLI alike."""

from pyramid.i18n import Localizer, make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories
from translationstring import TranslationString

MEMO_LIMIT = 5000


class NestedLocalizer(Localizer):
    """Also remembers the translations of messages without a mapping: a
    page translates the same thirty labels on every request."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._memo = {}

    def translate(self, tstring, domain=None, mapping=None):
        if not mapping and not getattr(tstring, 'mapping', None):
            key = (
                str(tstring),
                domain or getattr(tstring, 'domain', None),
                getattr(tstring, 'default', None),
            )
            found = self._memo.get(key)
            if found is None:
                found = super().translate(tstring, domain=domain)
                if len(self._memo) >= MEMO_LIMIT:
                    self._memo.clear()
                self._memo[key] = found
            return found
        if (
            isinstance(tstring, TranslationString)
            and tstring.mapping
            and any(isinstance(v, TranslationString) for v in tstring.mapping.values())
        ):
            inner = {
                k: self.translate(v) if isinstance(v, TranslationString) else v
                for k, v in tstring.mapping.items()
            }
            tstring = TranslationString(
                str(tstring), domain=tstring.domain, default=tstring.default, mapping=inner
            )
        return super().translate(tstring, domain=domain, mapping=mapping)


def nested_localizer(locale_name, directories):
    base = make_localizer(locale_name, directories)
    return NestedLocalizer(base.locale_name, base.translations)


def request_localizer(request):
    """`request.localizer`, made once per locale and kept in the registry."""
    registry = request.registry
    name = request.locale_name
    localizer = registry.queryUtility(ILocalizer, name=name)
    if not isinstance(localizer, NestedLocalizer):
        localizer = nested_localizer(
            name, registry.queryUtility(ITranslationDirectories, default=[])
        )
        registry.registerUtility(localizer, ILocalizer, name=name)
    return localizer
