"""Render a template with its data and stamp the document's properties.

The number, version, template and its SHA-256, the SHA-256 of the merge
data and the issuing authority go into the core and custom properties, so a
file found on a desk says what it claims to be; whether the claim is true is
what verification checks against the stored record. (The SHA-256 of the
file itself cannot be inside the file; it is kept in the record.)"""

import zipfile
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing

CUSTOM_CT = 'application/vnd.openxmlformats-officedocument.custom-properties+xml'
CUSTOM_RT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties'
FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}'
PREFIX = 'Tracker'
MAX_PROPERTIES = 64 * 1024


def _listings(value):
    """Line breaks in a text survive into Word (docxtpl's Listing)."""
    if isinstance(value, str) and '\n' in value:
        return Listing(value)
    if isinstance(value, dict):
        return {k: _listings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_listings(v) for v in value]
    return value


def _custom_xml(properties):
    items = ''.join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(PREFIX + name)}">'
        f'<vt:lpwstr>{escape(str(value))}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'{items}</Properties>'
    ).encode()


def render(template, data, properties, title, authority, issued_at: datetime, images=None):
    """The .docx bytes of `template` merged with `data` (and PNG `images`
    for the figures), its properties set."""
    tpl = DocxTemplate(BytesIO(template.data))
    context = _listings(data)
    for name, png in (images or {}).items():
        context[name] = InlineImage(tpl, BytesIO(png), width=Mm(155))
    tpl.render(context, autoescape=True)
    core = tpl.docx.core_properties
    core.title = title
    core.identifier = properties['Number']
    core.subject = data.get('journal') or ''
    core.author = authority
    core.last_modified_by = properties['Issuer']
    core.keywords = 'tracker'
    core.revision = int(properties['Version'])
    core.created = core.modified = issued_at.replace(tzinfo=None)
    package = tpl.docx.part.package
    part = Part(PackURI('/docProps/custom.xml'), CUSTOM_CT, _custom_xml(properties), package)
    package.relate_to(part, CUSTOM_RT)
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()


def read_properties(data):
    """The Tracker* custom properties of a .docx, {} when it has none or is
    not a Word file."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            info = z.getinfo('docProps/custom.xml')
            if info.file_size > MAX_PROPERTIES:  # a zip bomb is not a letter
                return {}
            xml = z.read(info)
        root = ET.fromstring(xml)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not one of ours
        return {}
    ns = '{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}'
    out = {}
    for prop in root.iter(ns + 'property'):
        name = prop.get('name', '')
        if name.startswith(PREFIX):
            out[name[len(PREFIX) :]] = ''.join(prop.itertext())
    return out


def text_of(data):
    """The plain text of a .docx (body paragraphs and tables), for checks."""
    from docx import Document

    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return '\n'.join(parts)
