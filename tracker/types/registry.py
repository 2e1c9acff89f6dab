"""Load and check the declarative type schemas in `schemas/`.

One YAML file per content type, plus `workflows/*.yaml` and `roles.yaml`.
Everything is checked here, at start-up, so a mistake in a schema file
stops the application with the file and field named instead of failing on
some later request. Field types, rules and guards are the ones registered
(`Extensions`, from `tracker.registration`), so the check covers them too.

The result is immutable: every class here is a frozen dataclass and its
mappings are read-only views. Choices an administrator adds at run time
make a new registry (`with_extra_choices`); the old one is never changed,
so a request holding it keeps a consistent view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ..titled import Named, Titled, in_locale
from ..workflow.definition import Workflow, WorkflowError, load_workflow
from .extensions import Extensions, LetterContext, Rule
from .kinds import FieldKind, builtin_kinds

INDEX_KINDS = ('field', 'keyword', 'text', 'blind', 'words')
# Names the API uses for object metadata; a schema field may not shadow them.
RESERVED = {
    'id',
    'type',
    'title_label',
    'review_state',
    'created',
    'modified',
    'creator',
    'items',
    'items_total',
    'number',
    'parent',
    'path',
    'text',
    'type_name',
    'sort_title',
    'docid',
}
WIDGETS = (None, 'checkboxes', 'radio', 'select', 'textarea')
NAME_RE = re.compile(r'^[a-z][a-z0-9_]*$')
LOCALES = ('da', 'en')


class SchemaError(Exception):
    """A schema file is wrong; the message names the file and the field."""


def frozen(value: Any) -> Any:
    """A read-only copy of loaded YAML data (mappings become read-only
    views, lists tuples), so nothing reached through the registry can be
    changed after start-up."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class Choice(Titled):
    value: str
    title_da: str
    title_en: str


@dataclass(frozen=True)
class FieldInfo(Titled):
    name: str
    type: str
    title_da: str
    title_en: str
    description_da: str = ''
    description_en: str = ''
    required: bool = False
    widget: str | None = None
    choices: tuple[Choice, ...] = ()
    protected: bool = False
    index: str | None = None
    default: Any = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message_da: str = ''
    pattern_message_en: str = ''
    not_after_today: bool = False  # dates: a date in the future is a typing error
    target_types: tuple[str, ...] = ()  # references: the types they may point at
    not_before: str | None = None  # dates: not earlier than this other date field
    computed: bool = False  # set by a named rule, never by a user (shown, not edited)
    extensible: bool = False  # choices: administrators may add more at run time
    # what the type means (validation, widget, JSON, search, display); given
    # by the loader from the registered kinds, else the built-in one
    kind: FieldKind = dc_field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.kind is None:
            object.__setattr__(self, 'kind', builtin_kinds()[self.type])

    def description(self, locale: str) -> str:
        return in_locale(locale, self.description_da, self.description_en)

    def pattern_message(self, locale: str) -> str:
        return in_locale(locale, self.pattern_message_da, self.pattern_message_en)

    def choice_title(self, value: str, locale: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.title(locale)
        return value

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Fieldset(Named):
    fields: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class TypeInfo(Titled):
    name: str
    title_da: str
    title_en: str
    fields: tuple[FieldInfo, ...]
    children: tuple[str, ...] = ()
    add_permission: str | None = None
    workflow: Workflow | None = None
    deletable: bool = False
    addable: bool = True
    navigation: bool = False
    staff_readable: bool = False  # every logged-in user may view it (no personal data)
    versioned: bool = False
    rules: tuple[str, ...] = ()
    edit_permission: str = 'edit'
    numbering: Mapping[str, Any] | None = None
    settings: Mapping[str, Any] = dc_field(default_factory=dict)  # values rules read (data)
    fieldsets: tuple[Fieldset, ...] = ()
    source: str = ''
    by_name: Mapping[str, FieldInfo] = dc_field(init=False, repr=False)
    # colander schemas built from this (unchanging) type, per locale: a memo
    # (`validation.colander_schema`), not state; a new TypeInfo starts empty
    schema_cache: dict[str, Any] = dc_field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, 'by_name', MappingProxyType({f.name: f for f in self.fields}))
        object.__setattr__(self, 'schema_cache', {})
        object.__setattr__(self, 'settings', frozen(self.settings))
        if self.numbering is not None:
            object.__setattr__(self, 'numbering', frozen(self.numbering))

    def field(self, name: str) -> FieldInfo:
        return self.by_name[name]

    def grouped_fields(self) -> list[tuple[Fieldset | None, list[FieldInfo]]]:
        """(fieldset or None, [fields]) in display order."""
        if not self.fieldsets:
            return [(None, list(self.fields))]
        groups: list[tuple[Fieldset | None, list[FieldInfo]]] = []
        seen: set[str] = set()
        for fs in self.fieldsets:
            groups.append((fs, [self.by_name[n] for n in fs.fields]))
            seen.update(fs.fields)
        rest = [f for f in self.fields if f.name not in seen]
        if rest:
            groups.append((None, rest))
        return groups


ExtraChoices = Mapping[tuple[str, str], Iterable[tuple[str, str, str]]]
# "take the base choices from the types themselves" (a start-up registry)
_FROM_TYPES: Mapping[tuple[str, str], tuple[Choice, ...]] = MappingProxyType({})


@dataclass(frozen=True, eq=False)
class TypeRegistry:
    types: Mapping[str, TypeInfo]
    workflows: Mapping[str, Workflow]
    roles: Mapping[str, Mapping[str, Any]]
    write_permissions: frozenset[str]
    directory: Path
    extensions: Extensions = dc_field(default_factory=Extensions, repr=False)
    # how many choices administrators had added when this registry was made
    choices_version: int = 0
    # the schemas' own choices of the extensible fields (those of the
    # start-up registry, carried into every registry derived from it)
    base_choices: Mapping[tuple[str, str], tuple[Choice, ...]] = dc_field(
        default_factory=lambda: _FROM_TYPES, repr=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, 'types', MappingProxyType(dict(self.types)))
        object.__setattr__(self, 'workflows', MappingProxyType(dict(self.workflows)))
        object.__setattr__(self, 'roles', frozen(self.roles))
        if self.base_choices is _FROM_TYPES:
            base = {(info.name, f.name): f.choices for info, f in self.extensible_fields()}
            object.__setattr__(self, 'base_choices', MappingProxyType(base))

    def __getitem__(self, name: str) -> TypeInfo:
        return self.types[name]

    def get(self, name: str) -> TypeInfo | None:
        return self.types.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.types

    # -- what code registered ------------------------------------------------
    @property
    def rules(self) -> Mapping[str, Rule]:
        """The named rules (`rules:` in a schema) by name."""
        return self.extensions.rules

    @property
    def letter_contexts(self) -> Mapping[str, LetterContext]:
        """Letter-context providers by type name."""
        return self.extensions.letter_contexts

    # -- worked out once (every search asks) -----------------------------------
    def indexed_fields(self) -> Mapping[str, str]:
        """{field name: index kind} over all types (checked consistent)."""
        return self._indexed[0]

    def indexed_field_types(self) -> Mapping[str, str]:
        """{field name: field type} of the indexed fields."""
        return self._indexed[1]

    def indexed_field_kinds(self) -> Mapping[str, FieldKind]:
        """{field name: field kind} of the indexed fields."""
        return self._indexed[2]

    @cached_property
    def _indexed(
        self,
    ) -> tuple[Mapping[str, str], Mapping[str, str], Mapping[str, FieldKind]]:
        kinds: dict[str, str] = {}
        ftypes: dict[str, str] = {}
        fkinds: dict[str, FieldKind] = {}
        for info in self.types.values():
            for f in info.fields:
                if f.index:
                    kinds[f.name], ftypes[f.name], fkinds[f.name] = f.index, f.type, f.kind
        return MappingProxyType(kinds), MappingProxyType(ftypes), MappingProxyType(fkinds)

    @cached_property
    def universal_viewers(self) -> frozenset[str]:
        """The principals of the global roles that grant `view` (they see
        every object)."""
        return frozenset(
            f'role:{name}'
            for name, role in self.roles.items()
            if role.get('global', True) and 'view' in role.get('permissions', ())
        )

    def role_permissions(self, roles: Iterable[str]) -> frozenset[str]:
        perms: set[str] = set()
        for role in roles:
            perms.update(self.roles.get(role, {}).get('permissions', ()))
        return frozenset(perms)

    def global_roles(self, roles: Iterable[str]) -> set[str]:
        """The roles that apply everywhere (not the local-only ones)."""
        return {r for r in roles if self.roles.get(r, {}).get('global', True)}

    @property
    def local_roles(self) -> list[str]:
        """Roles that may be granted on an object's Sharing tab."""
        return [name for name, role in self.roles.items() if role.get('local')]

    def role_title(self, role: str, locale: str) -> str:
        info = self.roles.get(role, {})
        title: str = info.get('title_en' if locale == 'en' else 'title_da', role)
        return title

    # -- choices administrators added (extensible fields) ----------------
    def extensible_fields(self) -> list[tuple[TypeInfo, FieldInfo]]:
        return [(info, f) for info in self.types.values() for f in info.fields if f.extensible]

    def base_choice_values(self, type_name: str, field_name: str) -> set[str]:
        """The schema's own choices of an extensible field."""
        if (type_name, field_name) in self.base_choices:
            return {c.value for c in self.base_choices[(type_name, field_name)]}
        return set(self.types[type_name].by_name[field_name].choice_values)

    def with_extra_choices(self, extra: ExtraChoices, version: int) -> TypeRegistry:
        """A new registry whose extensible fields offer their schema choices
        plus `extra` {(type, field): ((value, title_da, title_en), ...)};
        forms, validation and the API read the fields, so all follow. This
        registry is left as it is; types without extensible fields are
        shared (with their built schemas)."""
        changed: dict[str, list[FieldInfo]] = {}
        for (type_name, field_name), choices in self.base_choices.items():
            info = self.types[type_name]
            added = tuple(Choice(*c) for c in extra.get((type_name, field_name), ()))
            fields = changed.setdefault(type_name, list(info.fields))
            fields[:] = [
                replace(f, choices=choices + added) if f.name == field_name else f for f in fields
            ]
        types = dict(self.types)
        for type_name, fields in changed.items():
            types[type_name] = replace(self.types[type_name], fields=tuple(fields))
        return replace(self, types=types, choices_version=version)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding='utf-8') as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        raise SchemaError(f'{path}: not valid YAML: {e}') from None
    if not isinstance(data, dict):
        raise SchemaError(f'{path}: expected a mapping at the top level')
    return data


def _field(path: Path, raw: dict[str, Any], kinds: Mapping[str, FieldKind]) -> FieldInfo:
    where = f"{path}: field {raw.get('name', '?')!r}"
    name = raw.get('name')
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SchemaError(f'{where}: name must be lower_case letters, digits and _')
    if name in RESERVED:
        raise SchemaError(f'{where}: the name is reserved for metadata')
    ftype = raw.get('type')
    kind = kinds.get(ftype) if isinstance(ftype, str) else None
    if kind is None:
        raise SchemaError(f'{where}: type must be one of {", ".join(kinds)}')
    for key in ('title_da', 'title_en'):
        if not raw.get(key):
            raise SchemaError(f'{where}: {key} is required')
    index = raw.get('index')
    if index is not None and index not in INDEX_KINDS:
        raise SchemaError(f'{where}: index must be one of {", ".join(INDEX_KINDS)}')
    # a file is always personal data: sealed, shown only with view_protected
    protected = bool(raw.get('protected')) or kind.always_protected
    if protected and index and index not in ('blind', 'words'):
        raise SchemaError(
            f'{where}: a protected field must not be indexed in clear '
            '(use index: blind for exact search)'
        )
    if index is not None and index not in kind.index_kinds:
        raise SchemaError(f'{where}: a {ftype} field is indexed as {" or ".join(kind.index_kinds)}')
    if protected and not kind.protectable:
        protectable = ', '.join(n for n, k in kinds.items() if k.protectable)
        raise SchemaError(f'{where}: only {protectable} fields can be protected')
    if kind.must_be_protected and not protected:
        raise SchemaError(f'{where}: a {ftype} field must be protected')
    choices = tuple(
        Choice(
            str(c['value']),
            c.get('title_da') or str(c['value']),
            c.get('title_en') or str(c['value']),
        )
        for c in raw.get('choices') or ()
    )
    if (raw.get('not_after_today') or raw.get('not_before')) and not kind.is_date:
        raise SchemaError(f'{where}: not_after_today and not_before apply to dates only')
    if raw.get('widget') not in WIDGETS:
        raise SchemaError(f'{where}: widget must be one of {", ".join(w for w in WIDGETS if w)}')
    pattern = raw.get('pattern')
    if pattern:
        try:
            re.compile(pattern)
        except re.error as e:
            raise SchemaError(f'{where}: bad pattern: {e}') from None
    known = set(FieldInfo.__dataclass_fields__) - {'kind'}
    unknown = set(raw) - known
    if unknown:
        raise SchemaError(f'{where}: unknown keys {sorted(unknown)}')
    if raw.get('extensible') and not kind.has_choices:
        raise SchemaError(f'{where}: only choice fields can be extensible')
    if raw.get('computed') and (raw.get('required') or protected or not kind.computable):
        raise SchemaError(f'{where}: a computed field cannot be required, protected or a {ftype}')
    values = dict(raw)
    values['choices'] = choices
    values['protected'] = protected
    values['target_types'] = tuple(raw.get('target_types') or ())
    info = FieldInfo(**values, kind=kind)
    problem = kind.check(info, where)
    if problem:
        raise SchemaError(f'{where}: {problem}')
    return info


def _type(
    path: Path, raw: dict[str, Any], workflows: Mapping[str, Workflow], extensions: Extensions
) -> TypeInfo:
    name = raw.get('name')
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SchemaError(f'{path}: name must be lower_case letters, digits and _')
    fields = tuple(_field(path, f, extensions.kinds) for f in raw.get('fields') or ())
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise SchemaError(f'{path}: duplicate field names')
    if 'title' not in names:
        raise SchemaError(f'{path}: every type needs a title field')
    wf_name = raw.get('workflow')
    if wf_name and wf_name not in workflows:
        raise SchemaError(f'{path}: unknown workflow {wf_name!r}')
    fieldsets = []
    for fs in raw.get('fieldsets') or ():
        missing = [n for n in fs.get('fields', ()) if n not in names]
        if missing:
            raise SchemaError(f'{path}: fieldset {fs.get("name")!r} names unknown fields {missing}')
        fieldsets.append(
            Fieldset(
                fs['name'],
                fs.get('title_da', fs['name']),
                fs.get('title_en', fs['name']),
                tuple(fs['fields']),
            )
        )
    for f in fields:
        if f.not_before and (
            f.not_before not in names
            or not next(x for x in fields if x.name == f.not_before).kind.is_date
        ):
            raise SchemaError(f'{path}: field {f.name!r}: not_before must name a date field')
    for rule_name in raw.get('rules') or ():
        if rule_name not in extensions.rules:
            raise SchemaError(f'{path}: unknown rule {rule_name!r}')
    numbering = raw.get('numbering')
    if numbering and numbering.get('year_field') not in names:
        raise SchemaError(f'{path}: numbering.year_field must name a date field')
    return TypeInfo(
        name=name,
        title_da=raw.get('title_da', name),
        title_en=raw.get('title_en', name),
        fields=fields,
        children=tuple(raw.get('children') or ()),
        add_permission=raw.get('add_permission'),
        workflow=workflows[wf_name] if wf_name else None,
        deletable=bool(raw.get('deletable', False)),
        addable=bool(raw.get('addable', True)),
        navigation=bool(raw.get('navigation', False)),
        staff_readable=bool(raw.get('staff_readable', False)),
        versioned=bool(raw.get('versioned', False)),
        rules=tuple(raw.get('rules') or ()),
        edit_permission=raw.get('edit_permission', 'edit'),
        numbering=numbering,
        settings=dict(raw.get('settings') or {}),
        fieldsets=tuple(fieldsets),
        source=str(path),
    )


def load_registry(directory: str | Path, extensions: Extensions) -> TypeRegistry:
    """The checked, immutable registry of the schemas in `directory`, with
    the field kinds, rules and guards code registered (`extensions`)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SchemaError(f'{directory}: schema directory not found')
    workflows: dict[str, Workflow] = {}
    for path in sorted((directory / 'workflows').glob('*.yaml')):
        try:
            wf = load_workflow(_read_yaml(path), str(path), extensions.guards)
        except WorkflowError as e:
            raise SchemaError(str(e)) from None
        workflows[wf.name] = wf
    types: dict[str, TypeInfo] = {}
    for path in sorted(directory.glob('*.yaml')):
        if path.name == 'roles.yaml':
            continue
        info = _type(path, _read_yaml(path), workflows, extensions)
        if info.name in types:
            raise SchemaError(f'{path}: type {info.name!r} declared twice')
        types[info.name] = info
    for info in types.values():
        for child in info.children:
            if child not in types:
                raise SchemaError(f'{info.source}: unknown child type {child!r}')
    if 'site' not in types:
        raise SchemaError(f'{directory}: site.yaml is missing')
    for info in types.values():
        workflow = info.workflow
        if workflow is None:
            continue
        for t in workflow.transitions.values():
            unknown = [n for n in t.requires if n not in info.by_name]
            if unknown:
                raise SchemaError(
                    f'{workflow.source}: transition {t.name!r} requires '
                    f'fields that {info.source} does not have: {unknown}'
                )
    index_kinds: dict[str, str] = {}
    for info in types.values():
        for f in info.fields:
            if f.index and index_kinds.setdefault(f.name, f.index) != f.index:
                raise SchemaError(
                    f'{info.source}: field {f.name!r} is indexed as '
                    f'{f.index} here but as {index_kinds[f.name]} elsewhere'
                )
    roles_raw = _read_yaml(directory / 'roles.yaml')
    roles = roles_raw.get('roles') or {}
    return TypeRegistry(
        types=types,
        workflows=workflows,
        roles=roles,
        write_permissions=frozenset(roles_raw.get('write_permissions') or ()),
        directory=directory,
        extensions=extensions,
    )
