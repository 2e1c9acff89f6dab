"""Uploaded files as stored: sealed bytes and sealed extracted text, with
what may be shown without opening them. Immutable once stored, so every
version of a document that has the same file shares one record."""

from persistent import Persistent


class StoredFile(Persistent):
    def __init__(self, sealed_filename, content_type, size, sha256, sealed_data, sealed_text):
        self.sealed_filename = sealed_filename  # names often name the citizen
        self.content_type = content_type
        self.size = size
        self.sha256 = sha256  # of the clear bytes: proves what was sent
        self.sealed_data = sealed_data
        self.sealed_text = sealed_text

    def describe(self, filename):
        return {
            'filename': filename,
            'content_type': self.content_type,
            'size': self.size,
            'sha256': self.sha256,
        }
