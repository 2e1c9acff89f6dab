"""Uploaded files: checking them, reading their text, indexing words blind."""
from .files import ALLOWED_TYPES, MAX_FILE_BYTES, Inspected, UploadRejected, inspect_upload  # noqa: F401
from .words import blind_words, words  # noqa: F401
