"""Named value rules a schema may ask for (`rules: [name]`): checks that
need more than one field or another object, applied by the services after
the field validation. Like workflow guards: code with a name, chosen by data."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from translationstring import TranslationStringFactory

_ = TranslationStringFactory('tracker')

RULES: dict[str, Callable[..., Any]] = {}


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at besides the new values."""

    resolve: Callable  # path -> object or None
    container: object  # where the object is (being) added
    today: date
    obj: object = None  # None while adding
    previous: dict = field(default_factory=dict)  # clear values before this change
    settings: dict = field(default_factory=dict)  # the type's `settings:` (data)
    open: Callable[..., Any] | None = (
        None  # obj -> its clear values, for checks only (not shown, not audited)
    )
    types: object = None  # the TypeRegistry


class RuleFailed(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def rule(name):
    def register(func):
        RULES[name] = func
        return func

    return register


@rule('document_version')
def document_version(values, ctx):
    """A disclosure of a document names the version that went out: the
    current one unless said otherwise, and one that exists."""
    path = values.get('document')
    version = values.get('document_version')
    if not path:
        if version is not None:
            raise RuleFailed(
                'document_version',
                _('version-without-document', default='A version needs a document.'),
            )
        return values
    document = ctx.resolve(path)
    count = len(document.versions)
    if version is None:
        return dict(values, document_version=count)
    if not 1 <= version <= count:
        raise RuleFailed(
            'document_version',
            _(
                'version-unknown',
                default='The document has versions 1 to ${count}.',
                mapping={'count': str(count)},
            ),
        )
    return values
