"""Audit-ready Word letters: templates with a manifest (`manifest`), the
data they are merged with (`context`), rendering with document properties
(`render`), Ed25519 signatures (`signing`), verification of a file
(`verify`) and PDF conversion with LibreOffice (`pdf`). No Pyramid here."""

from .manifest import Manifest, TemplateInfo, load_manifest  # noqa: F401

# the content type an issued document is stored as (schemas/letter.yaml)
LETTER = 'letter'


def issued_letters(obj):
    """The letters issued from obj (its `letter` children), in their order:
    what its Documents tab lists."""
    return [child for child in map(obj.get_child, obj.child_names()) if child.type_name == LETTER]
