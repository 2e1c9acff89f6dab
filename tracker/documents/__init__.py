"""Uploaded files: checking them, reading their text, indexing words blind."""
from .files import (ALLOWED_TYPES, MAX_FILE_BYTES, Inspected, UploadRejected,  # noqa: F401
                    docx_bytes, inspect_upload)
from .words import blind_words, words  # noqa: F401
