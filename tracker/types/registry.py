"""Load and check the declarative type schemas in `schemas/`.

One YAML file per content type, plus `workflows/*.yaml` and `roles.yaml`.
Everything is checked here, at start-up, so a mistake in a schema file
stops the application with the file and field named instead of failing on
some later request.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

import yaml

from ..workflow.definition import Workflow, WorkflowError, load_workflow

FIELD_TYPES = (
    'string',
    'text',
    'date',
    'boolean',
    'integer',
    'choice',
    'multichoice',
    'cpr',
    'file',
    'reference',
)
INDEX_KINDS = ('field', 'keyword', 'text', 'blind', 'words')
# Protected values are sealed as text, so only text-like fields can be protected.
PROTECTABLE = ('string', 'text', 'cpr', 'file')
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


@dataclass(frozen=True)
class Choice:
    value: str
    title_da: str
    title_en: str

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str
    title_da: str
    title_en: str
    description_da: str = ''
    description_en: str = ''
    required: bool = False
    widget: str | None = None
    choices: tuple = ()
    protected: bool = False
    index: str | None = None
    default: object = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message_da: str = ''
    pattern_message_en: str = ''
    not_after_today: bool = False  # dates: a date in the future is a typing error
    target_types: tuple = ()  # references: the types they may point at
    not_before: str | None = None  # dates: not earlier than this other date field
    computed: bool = False  # set by a named rule, never by a user (shown, not edited)
    extensible: bool = False  # choices: administrators may add more at run time

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da

    def description(self, locale):
        return self.description_en if locale == 'en' else self.description_da

    def pattern_message(self, locale):
        return self.pattern_message_en if locale == 'en' else self.pattern_message_da

    def choice_title(self, value, locale):
        for choice in self.choices:
            if choice.value == value:
                return choice.title(locale)
        return value

    @property
    def choice_values(self):
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Fieldset:
    name: str
    title_da: str
    title_en: str
    fields: tuple

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da


@dataclass
class TypeInfo:
    name: str
    title_da: str
    title_en: str
    fields: tuple
    children: tuple = ()
    add_permission: str | None = None
    workflow: Workflow | None = None
    deletable: bool = False
    addable: bool = True
    navigation: bool = False
    staff_readable: bool = False  # every logged-in user may view it (no personal data)
    versioned: bool = False
    rules: tuple = ()
    edit_permission: str = 'edit'
    numbering: dict | None = None
    settings: dict = dc_field(default_factory=dict)  # type-level values rules read (data)
    fieldsets: tuple = ()
    source: str = ''
    by_name: dict = dc_field(default_factory=dict)
    schema_cache: dict = dc_field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self.by_name = {f.name: f for f in self.fields}

    def title(self, locale):
        return self.title_en if locale == 'en' else self.title_da

    def field(self, name):
        return self.by_name[name]

    def grouped_fields(self):
        """(fieldset or None, [fields]) in display order."""
        if not self.fieldsets:
            return [(None, list(self.fields))]
        groups, seen = [], set()
        for fs in self.fieldsets:
            groups.append((fs, [self.by_name[n] for n in fs.fields]))
            seen.update(fs.fields)
        rest = [f for f in self.fields if f.name not in seen]
        if rest:
            groups.append((None, rest))
        return groups


@dataclass
class TypeRegistry:
    types: dict
    workflows: dict
    roles: dict
    write_permissions: frozenset
    directory: Path

    def __getitem__(self, name):
        return self.types[name]

    def get(self, name):
        return self.types.get(name)

    def __contains__(self, name):
        return name in self.types

    def indexed_fields(self):
        """{field name: index kind} over all types (checked consistent)."""
        return self._indexed()[0]

    def indexed_field_types(self):
        """{field name: field type} of the indexed fields."""
        return self._indexed()[1]

    def _indexed(self):
        # worked out once: every search asks
        found = self.__dict__.get('_indexed_cache')
        if found is None:
            kinds, ftypes = {}, {}
            for info in self.types.values():
                for f in info.fields:
                    if f.index:
                        kinds[f.name], ftypes[f.name] = f.index, f.type
            found = self._indexed_cache = (kinds, ftypes)
        return found

    def role_permissions(self, roles):
        perms = set()
        for role in roles:
            perms.update(self.roles.get(role, {}).get('permissions', ()))
        return frozenset(perms)

    def global_roles(self, roles):
        """The roles that apply everywhere (not the local-only ones)."""
        return {r for r in roles if self.roles.get(r, {}).get('global', True)}

    @property
    def local_roles(self):
        """Roles that may be granted on an object's Sharing tab."""
        return [name for name, role in self.roles.items() if role.get('local')]

    # -- choices administrators added (extensible fields) ----------------
    choices_version = 0

    def extensible_fields(self):
        return [(info, f) for info in self.types.values() for f in info.fields if f.extensible]

    def base_choice_values(self, type_name, field_name):
        """The schema's own choices of an extensible field."""
        base = self.__dict__.get('_base_choices')
        if base is not None and (type_name, field_name) in base:
            return {c.value for c in base[(type_name, field_name)]}
        return set(self.types[type_name].by_name[field_name].choice_values)

    def apply_extra_choices(self, extra, version):
        """Make each extensible field offer its schema choices plus `extra`
        {(type, field): ((value, title_da, title_en), ...)}; forms,
        validation and the API read the fields, so all follow."""
        from dataclasses import replace

        if version <= self.choices_version:
            return  # a request on an older snapshot must not take newer choices away
        base = self.__dict__.setdefault(
            '_base_choices',
            {(info.name, f.name): f.choices for info, f in self.extensible_fields()},
        )
        for (type_name, field_name), choices in base.items():
            info = self.types[type_name]
            added = tuple(Choice(*c) for c in extra.get((type_name, field_name), ()))
            new = replace(info.by_name[field_name], choices=choices + added)
            info.fields = tuple(new if f.name == field_name else f for f in info.fields)
            info.by_name = {f.name: f for f in info.fields}
            info.schema_cache.clear()
        self.choices_version = version

    def role_title(self, role, locale):
        info = self.roles.get(role, {})
        return info.get('title_en' if locale == 'en' else 'title_da', role)


def _read_yaml(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        raise SchemaError(f'{path}: not valid YAML: {e}') from None
    if not isinstance(data, dict):
        raise SchemaError(f'{path}: expected a mapping at the top level')
    return data


def _field(path, raw):
    where = f"{path}: field {raw.get('name', '?')!r}"
    name = raw.get('name')
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SchemaError(f'{where}: name must be lower_case letters, digits and _')
    if name in RESERVED:
        raise SchemaError(f'{where}: the name is reserved for metadata')
    ftype = raw.get('type')
    if ftype not in FIELD_TYPES:
        raise SchemaError(f'{where}: type must be one of {", ".join(FIELD_TYPES)}')
    for key in ('title_da', 'title_en'):
        if not raw.get(key):
            raise SchemaError(f'{where}: {key} is required')
    index = raw.get('index')
    if index is not None and index not in INDEX_KINDS:
        raise SchemaError(f'{where}: index must be one of {", ".join(INDEX_KINDS)}')
    # a file is always personal data: sealed, shown only with view_protected
    protected = bool(raw.get('protected')) or ftype == 'file'
    if protected and index and index not in ('blind', 'words'):
        raise SchemaError(
            f'{where}: a protected field must not be indexed in clear '
            '(use index: blind for exact search)'
        )
    if index == 'blind' and not (protected and ftype == 'cpr'):
        raise SchemaError(f'{where}: index: blind is for protected cpr fields')
    if protected and ftype not in PROTECTABLE:
        raise SchemaError(f'{where}: only {", ".join(PROTECTABLE)} fields can be protected')
    if ftype == 'cpr' and not protected:
        raise SchemaError(f'{where}: a cpr field must be protected')
    if (index == 'words') != (ftype == 'file' and index is not None):
        raise SchemaError(f'{where}: a file is indexed as words (blind), and only a file')
    choices = tuple(
        Choice(
            str(c['value']),
            c.get('title_da') or str(c['value']),
            c.get('title_en') or str(c['value']),
        )
        for c in raw.get('choices') or ()
    )
    if ftype in ('choice', 'multichoice') and not choices:
        raise SchemaError(f'{where}: a {ftype} field needs choices')
    if ftype == 'multichoice' and index == 'field':
        raise SchemaError(f'{where}: a multichoice field is indexed as keyword')
    if (raw.get('not_after_today') or raw.get('not_before')) and ftype != 'date':
        raise SchemaError(f'{where}: not_after_today and not_before apply to dates only')
    if raw.get('widget') not in WIDGETS:
        raise SchemaError(f'{where}: widget must be one of {", ".join(w for w in WIDGETS if w)}')
    pattern = raw.get('pattern')
    if pattern:
        try:
            re.compile(pattern)
        except re.error as e:
            raise SchemaError(f'{where}: bad pattern: {e}') from None
    known = set(FieldInfo.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise SchemaError(f'{where}: unknown keys {sorted(unknown)}')
    if raw.get('extensible') and ftype not in ('choice', 'multichoice'):
        raise SchemaError(f'{where}: only choice fields can be extensible')
    if raw.get('computed') and (raw.get('required') or protected or ftype == 'file'):
        raise SchemaError(f'{where}: a computed field cannot be required, protected or a file')
    if ftype == 'reference' and not raw.get('target_types'):
        raise SchemaError(f'{where}: a reference needs target_types')
    values = dict(raw)
    values['choices'] = choices
    values['protected'] = protected
    values['target_types'] = tuple(raw.get('target_types') or ())
    return FieldInfo(**values)


def _type(path, raw, workflows):
    name = raw.get('name')
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SchemaError(f'{path}: name must be lower_case letters, digits and _')
    fields = tuple(_field(path, f) for f in raw.get('fields') or ())
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
            or next(x for x in fields if x.name == f.not_before).type != 'date'
        ):
            raise SchemaError(f'{path}: field {f.name!r}: not_before must name a date field')
    from .rules import RULES

    for rule_name in raw.get('rules') or ():
        if rule_name not in RULES:
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


def load_registry(directory):
    from .. import advisor, rectification  # noqa: F401 (register their named rules and guards)

    directory = Path(directory)
    if not directory.is_dir():
        raise SchemaError(f'{directory}: schema directory not found')
    workflows = {}
    for path in sorted((directory / 'workflows').glob('*.yaml')):
        try:
            wf = load_workflow(_read_yaml(path), str(path))
        except WorkflowError as e:
            raise SchemaError(str(e)) from None
        workflows[wf.name] = wf
    types = {}
    for path in sorted(directory.glob('*.yaml')):
        if path.name == 'roles.yaml':
            continue
        info = _type(path, _read_yaml(path), workflows)
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
        for t in info.workflow.transitions.values() if info.workflow else ():
            unknown = [n for n in t.requires if n not in info.by_name]
            if unknown:
                raise SchemaError(
                    f'{info.workflow.source}: transition {t.name!r} requires '
                    f'fields that {info.source} does not have: {unknown}'
                )
    kinds = {}
    for info in types.values():
        for f in info.fields:
            if f.index and kinds.setdefault(f.name, f.index) != f.index:
                raise SchemaError(
                    f'{info.source}: field {f.name!r} is indexed as '
                    f'{f.index} here but as {kinds[f.name]} elsewhere'
                )
    roles_raw = _read_yaml(directory / 'roles.yaml')
    roles = roles_raw.get('roles') or {}
    return TypeRegistry(
        types=types,
        workflows=workflows,
        roles=roles,
        write_permissions=frozenset(roles_raw.get('write_permissions') or ()),
        directory=directory,
    )
