"""Check an uploaded file before anything is stored: its real type by
content (filetype's magic numbers, not the file name), its size, that it
opens (not encrypted, not corrupt), and its text for the search index."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

import filetype
from translationstring import TranslationStringFactory

_ = TranslationStringFactory('tracker')

MAX_FILE_BYTES = 20 * 1024 * 1024
DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
ALLOWED_TYPES = {
    'application/pdf': '.pdf',
    DOCX: '.docx',
    XLSX: '.xlsx',
    'application/vnd.oasis.opendocument.text': '.odt',
    'image/png': '.png',
    'image/jpeg': '.jpg',
    'image/tiff': '.tif',
    'text/plain': '.txt',
}


class UploadRejected(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Inspected:
    content_type: str
    size: int
    sha256: str
    text: str


def _pdf_text(data):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected(
                _(
                    'upload-encrypted',
                    default='The file is protected with a '
                    'password. Upload a copy without the protection.',
                )
            )
        return '\n'.join(page.extract_text() or '' for page in reader.pages)
    except UploadRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise UploadRejected(
            _('upload-corrupt', default='The file is damaged and cannot be read.')
        ) from None


def _docx_text(data):
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UploadRejected(
            _('upload-corrupt', default='The file is damaged and cannot be read.')
        ) from e
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return '\n'.join(parts)


def _sniff(data):
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    try:
        data.decode('utf-8')
    except UnicodeDecodeError:
        return None
    return 'text/plain'


def inspect_upload(data, max_bytes=MAX_FILE_BYTES):
    """Inspected(...) or UploadRejected with a message for the user."""
    if not data:
        raise UploadRejected(_('upload-empty', default='The file is empty.'))
    if len(data) > max_bytes:
        raise UploadRejected(
            _(
                'upload-too-big',
                default='The file is larger than ${mb} MB.',
                mapping={'mb': str(max_bytes // (1024 * 1024))},
            )
        )
    content_type = _sniff(data)
    if data[:4] == b'PK\x03\x04':
        # Office files are zip archives: a broken archive is a damaged file
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError):
            raise UploadRejected(
                _('upload-corrupt', default='The file is damaged and cannot be read.')
            ) from None
        if content_type == 'application/zip' and 'word/document.xml' in names:
            content_type = DOCX  # a Word file filetype could not place
    if content_type not in ALLOWED_TYPES:
        raise UploadRejected(
            _(
                'upload-type',
                default='This kind of file cannot be uploaded. '
                'Allowed: PDF, Word (.docx), Excel (.xlsx), OpenDocument text, '
                'PNG, JPEG, TIFF and plain text.',
            )
        )
    if content_type == 'application/pdf':
        text = _pdf_text(data)
    elif content_type == DOCX:
        text = _docx_text(data)
    elif content_type == 'text/plain':
        text = data.decode('utf-8')
    else:
        text = ''
    return Inspected(content_type, len(data), hashlib.sha256(data).hexdigest(), text)


def docx_bytes(*paragraphs):
    """A Word file with these paragraphs (demo data, tests)."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
