"""Audit-ready Word letters: templates with a manifest (`manifest`), the
data they are merged with (`context`), rendering with document properties
(`render`), Ed25519 signatures (`signing`), verification of a file
(`verify`) and PDF conversion with LibreOffice (`pdf`). No Pyramid here."""

from .manifest import Manifest, TemplateInfo, load_manifest  # noqa: F401

# the content type an issued document is stored as (schemas/letter.yaml)
LETTER = 'letter'
