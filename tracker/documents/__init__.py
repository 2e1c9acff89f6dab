"""Uploaded files: checking them, reading their text, indexing words blind."""

from .files import (
    ALLOWED_TYPES,
    MAX_FILE_BYTES,
    Inspected,
    UploadRejected,
    docx_bytes,
    inspect_upload,
)
from .words import blind_words, words

__all__ = [
    'ALLOWED_TYPES',
    'MAX_FILE_BYTES',
    'Inspected',
    'UploadRejected',
    'blind_words',
    'docx_bytes',
    'inspect_upload',
    'words',
]
