"""What every change is checked against before it is stored: the type's
colander schema, references, the type's rules (with the clock's today)
and uploads. Functions of the shared core, used by the content service."""

import colander
from translationstring import TranslationStringFactory

from ..catalog.indexing import path_of, resolve_path
from ..crypto.aad import field_aad
from ..documents import UploadRejected, inspect_upload
from ..model import StoredFile
from ..types.validation import Upload, colander_schema, normalise
from .errors import ValidationFailed

_ = TranslationStringFactory('tracker')


def invalid_errors(invalid):
    return {k or '_': v for k, v in invalid.asdict().items()}


def field_invalid(core, info, name, message):
    """A colander.Invalid tree with `message` at field `name` (Deform shows
    it next to the field)."""
    schema = colander_schema(info, core.locale)
    invalid = colander.Invalid(schema)
    node = colander.SchemaNode(colander.String(), name=name)
    invalid.add(colander.Invalid(node, message), pos=[f.name for f in info.fields].index(name))
    return invalid


def validate(core, info, cstruct):
    if not isinstance(cstruct, dict):
        raise ValidationFailed(_('body-not-object', default='Expected an object of fields.'))
    unknown = sorted(
        name for name in cstruct if name not in info.by_name or info.by_name[name].computed
    )
    schema = colander_schema(info, core.locale)
    if unknown:
        invalid = colander.Invalid(schema, _('unknown-fields', default='Unknown fields'))
        errors = {}
        for name in unknown:
            node = colander.SchemaNode(colander.String(), name=name)
            invalid.add(colander.Invalid(node, _('unknown-field', default='Unknown field')))
            errors[name] = 'Set by the system' if name in info.by_name else 'Unknown field'
        raise ValidationFailed(
            _('invalid-input', default='Some fields are not valid.'), errors, invalid
        )
    try:
        appstruct = schema.deserialize(cstruct)
    except colander.Invalid as invalid:
        raise ValidationFailed(
            _('invalid-input', default='Some fields are not valid.'),
            invalid_errors(invalid),
            invalid,
        ) from None
    return normalise(info, appstruct)


def check_references(core, info, values):
    """A reference must name an existing object of an allowed type that
    the actor may see; stored as its path."""
    for f in info.fields:
        path = values.get(f.name)
        if f.type != 'reference' or not path:
            continue
        target = resolve_path(core.site, path)
        if target is None or target.type_name not in f.target_types or not core.can('view', target):
            message = _(
                'reference-unknown',
                default='"${path}" is not a ${types} you can see.',
                mapping={
                    'path': path,
                    'types': ' / '.join(core.types[t].title(core.locale) for t in f.target_types),
                },
            )
            raise ValidationFailed(
                message,
                {f.name: 'Unknown reference'},
                field_invalid(core, info, f.name, message),
            )
        values[f.name] = path_of(target)
    return values


def apply_rules(core, info, values, container, obj=None, previous=None):
    """The type's rules (registered by name, reached through the type
    registry), each given the clock's today."""
    from ..types.rules import RuleFailed

    ctx = core.rule_context(info, container, obj, previous)
    for name in info.rules:
        try:
            values = core.types.rules[name](values, ctx)
        except RuleFailed as e:
            raise ValidationFailed(
                e.message, {e.field: e.message}, field_invalid(core, info, e.field, e.message)
            ) from None
    return values


def store_files(core, obj, info, values):
    """Check and seal new uploads; a bad file is a field error and nothing
    of the object is stored."""
    out = dict(values)
    for f in info.fields:
        upload = out.get(f.name)
        if f.type != 'file' or not isinstance(upload, Upload):
            continue
        try:
            inspected = inspect_upload(upload.data)
        except UploadRejected as e:
            raise ValidationFailed(
                e.message, {f.name: e.message}, field_invalid(core, info, f.name, e.message)
            ) from None
        aad = field_aad(obj.uid, f.name)
        ring = core.sealer.require_ring()
        out[f.name] = StoredFile(
            ring.seal(upload.filename, aad),
            inspected.content_type,
            inspected.size,
            inspected.sha256,
            ring.seal_bytes(upload.data, aad),
            ring.seal(inspected.text, aad),
        )
    return out
