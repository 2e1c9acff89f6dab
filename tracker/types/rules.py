"""Named value rules a schema may ask for (`rules: [name]`): checks that
need more than one field or another object, applied by the services after
the field validation. Like workflow guards: code with a name, chosen by data.
Rules are registered by name (`register` here and in the packages that own
them, called by the configuration) and reach the services through the type
registry (`TypeRegistry.rules`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from translationstring import TranslationStringFactory  # type: ignore[import-untyped, unused-ignore]

if TYPE_CHECKING:
    from .extensions import Registrar

_ = TranslationStringFactory('tracker')


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at besides the new values."""

    resolve: Callable[[str], Any]  # path -> object or None
    container: Any  # where the object is (being) added
    today: date
    obj: Any = None  # None while adding
    previous: Mapping[str, Any] = field(default_factory=dict)  # clear values before this change
    settings: Mapping[str, Any] = field(default_factory=dict)  # the type's `settings:` (data)
    # obj -> its clear values, for checks only (not shown, not audited)
    open: Callable[[Any], dict[str, Any]] | None = None
    types: Any = None  # the TypeRegistry


class RuleFailed(ValueError):
    def __init__(self, field: str, message: Any) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_version(field: str, path: Any, version: Any, ctx: RuleContext) -> int | None:
    """How many versions the document at `path` has, once `version` (where
    given) is known to be one of them; None where there is no document (and
    then no version may be given)."""
    if not path:
        if version is not None:
            raise RuleFailed(
                field, _('version-without-document', default='A version needs a document.')
            )
        return None
    count = len(ctx.resolve(path).versions)
    if version is not None and not 1 <= version <= count:
        raise RuleFailed(
            field,
            _(
                'version-unknown',
                default='The document has versions 1 to ${count}.',
                mapping={'count': str(count)},
            ),
        )
    return count


def document_version(values: dict[str, Any], ctx: RuleContext) -> dict[str, Any]:
    """A disclosure of a document names the version that went out: the
    current one unless said otherwise, and one that exists."""
    version = values.get('document_version')
    count = check_version('document_version', values.get('document'), version, ctx)
    if count is not None and version is None:
        return dict(values, document_version=count)
    return values


def register(registrar: Registrar) -> None:
    """The generic rules (the configuration calls this)."""
    registrar.add_rule('document_version', document_version)
