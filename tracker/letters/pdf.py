"""Word to PDF with LibreOffice, where it is installed: headless `soffice
--convert-to pdf` in a subprocess with a timeout and a private profile (two
conversions at once would otherwise fight over one profile's lock). Without
LibreOffice the option is simply not offered."""

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 90


class ConversionFailed(Exception):
    pass


def soffice():
    return shutil.which('soffice') or shutil.which('libreoffice')


def available():
    return soffice() is not None


def to_pdf(docx_bytes, timeout=TIMEOUT):
    binary = soffice()
    if binary is None:
        raise ConversionFailed('LibreOffice is not installed.')
    with tempfile.TemporaryDirectory(prefix='tracker-pdf-') as tmp:
        source = Path(tmp) / 'document.docx'
        source.write_bytes(docx_bytes)
        profile = Path(tmp) / 'profile'
        try:
            subprocess.run(
                [
                    binary,
                    '--headless',
                    '--norestore',
                    '--nologo',
                    f'-env:UserInstallation={profile.as_uri()}',
                    '--convert-to',
                    'pdf',
                    '--outdir',
                    tmp,
                    str(source),
                ],
                check=True,
                timeout=timeout,
                capture_output=True,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            raise ConversionFailed(f'LibreOffice could not convert the document: {e}') from None
        target = Path(tmp) / 'document.pdf'
        if not target.exists():
            raise ConversionFailed('LibreOffice made no PDF.')
        return target.read_bytes()
