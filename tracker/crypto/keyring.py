"""Field encryption keys for the tracker.

A key file holds the AES-256-GCM data keys (one current, older ones kept so
old values stay readable), plus an HMAC key for blind indexes (exact search
on CPR numbers without storing them in clear) and one for the audit chain.

The file is the only secret: lose it and every sealed value is lost, leak it
and every sealed value is exposed. Hence: created 0600 and never
overwritten, refused when group/others can read it, rewritten atomically,
and no key material in any message or repr.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass
from typing import Any, NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ['KeyRing', 'KeyRingError', 'DecryptionError', 'Sealed']

FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_KEY_ID = re.compile(r'k[1-9][0-9]*', re.ASCII)


class KeyRingError(Exception):
    """The key file or a key is missing, unreadable or wrong (for the operator)."""


class DecryptionError(KeyRingError):
    """A sealed value failed authentication: tampered, or moved to another
    object or field (its associated data differs)."""


@dataclass(frozen=True, slots=True, repr=False)
class Sealed:
    """An encrypted field value, stored inline in a persistent object's dict.

    Deliberately not Persistent: it is a small immutable value, pickled as
    part of its owner. Do not move or rename this class without leaving an
    alias: stored pickles refer to ``tracker.crypto.keyring.Sealed``.
    """

    key_id: str
    nonce: bytes
    ciphertext: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.key_id, str) or not _KEY_ID.fullmatch(self.key_id):
            raise ValueError('Sealed.key_id must look like k1, k2, ...')
        if type(self.nonce) is not bytes or len(self.nonce) != NONCE_BYTES:
            raise ValueError(f'Sealed.nonce must be {NONCE_BYTES} bytes')
        if type(self.ciphertext) is not bytes or len(self.ciphertext) < TAG_BYTES:
            raise ValueError('Sealed.ciphertext must be bytes including the GCM tag')

    def __reduce__(self) -> tuple[type['Sealed'], tuple[str, bytes, bytes]]:
        # Compact pickle (class + three fields), and unpickling re-validates.
        return (Sealed, (self.key_id, self.nonce, self.ciphertext))

    def __repr__(self) -> str:
        return f'Sealed(key_id={self.key_id!r}, ...)'


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode('ascii')


def _key_number(key_id: str) -> int:
    return int(key_id[1:])


def _fsync_dir(directory: str) -> None:
    """Make a create/rename durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class KeyRing:
    """The keys from one key file. Obtain with ``create`` or ``load``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        keys: dict[str, bytes],
        current: str,
        index_key: bytes,
        audit_key: bytes,
    ) -> None:
        self._path = os.fspath(path)
        self._keys = dict(keys)
        self._current = current
        self._index_key = index_key
        self._audit_key = audit_key

    # -- file handling -------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> 'KeyRing':
        """Write a new key file with one data key; never overwrites."""
        path = os.fspath(path)
        ring = cls(
            path,
            {'k1': secrets.token_bytes(KEY_BYTES)},
            'k1',
            secrets.token_bytes(KEY_BYTES),
            secrets.token_bytes(KEY_BYTES),
        )
        data = ring._serialise()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeyRingError(
                f'Nøglefilen {path} findes allerede og bliver ikke overskrevet. '
                'Værdier krypteret med den kan ikke læses uden den.'
            ) from None
        except OSError as exc:
            raise KeyRingError(f'Nøglefilen {path} kan ikke oprettes ({exc.strerror}).') from None
        try:
            with os.fdopen(fd, 'wb') as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            # Do not leave a half-written key file that later looks "existing".
            try:
                os.unlink(path)
            except OSError:
                pass
            raise
        _fsync_dir(os.path.dirname(os.path.abspath(path)))
        return ring

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> 'KeyRing':
        """Read and validate a key file; any problem is a KeyRingError."""
        path = os.fspath(path)
        keys, current, index_key, audit_key = cls._read(path)
        return cls(path, keys, current, index_key, audit_key)

    @staticmethod
    def _read(path: str) -> tuple[dict[str, bytes], str, bytes, bytes]:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            raise KeyRingError(f'Nøglefilen {path} findes ikke.') from None
        except OSError as exc:
            raise KeyRingError(f'Nøglefilen {path} kan ikke åbnes ({exc.strerror}).') from None
        try:
            # Check the file we actually opened, not the name (no race).
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise KeyRingError(f'Nøglefilen {path} er ikke en almindelig fil.')
            if st.st_mode & 0o077:
                mode = stat.S_IMODE(st.st_mode)
                raise KeyRingError(
                    f'Nøglefilen {path} kan læses af andre end ejeren '
                    f'(rettigheder {mode:04o}). Ret det med: chmod 600 {path}'
                )
            with os.fdopen(fd, 'rb', closefd=False) as f:
                raw = f.read()
        finally:
            os.close(fd)
        return KeyRing._parse(raw, path)

    @staticmethod
    def _parse(raw: bytes, path: str) -> tuple[dict[str, bytes], str, bytes, bytes]:
        # Errors are raised outside the except blocks and never quote the
        # file, so neither messages nor chained tracebacks carry key material.
        try:
            doc: Any = json.loads(raw.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            doc = ValueError
        if doc is ValueError:
            raise KeyRingError(
                f'Nøglefilen {path} er ikke gyldig JSON; den kan være afkortet '
                'eller beskadiget. Gendan den fra sikkerhedskopien.'
            )

        def bad(what: str) -> KeyRingError:
            return KeyRingError(f'Nøglefilen {path} har ikke det forventede format: {what}.')

        def key(value: object, name: str) -> bytes:
            decoded = None
            if isinstance(value, str):
                try:
                    decoded = base64.b64decode(value, validate=True)
                except ValueError:
                    pass
            if decoded is None or len(decoded) != KEY_BYTES:
                raise bad(f'{name} er ikke en base64-kodet nøgle på {KEY_BYTES} bytes')
            return decoded

        if not isinstance(doc, dict):
            raise bad('indholdet er ikke et JSON-objekt')
        if doc.get('version') != FORMAT_VERSION:
            raise bad(f'ukendt version (forventede {FORMAT_VERSION})')
        for field in ('current', 'keys', 'index_key', 'audit_key'):
            if field not in doc:
                raise bad(f'feltet "{field}" mangler')
        if not isinstance(doc['keys'], dict) or not doc['keys']:
            raise bad('feltet "keys" skal være et ikke-tomt objekt')
        keys: dict[str, bytes] = {}
        for key_id, value in doc['keys'].items():
            if not _KEY_ID.fullmatch(key_id):
                raise bad('et nøgle-id har ikke formen k1, k2, …')
            keys[key_id] = key(value, f'nøglen {key_id}')
        current = doc['current']
        if not isinstance(current, str) or current not in keys:
            raise bad('den aktuelle nøgle ("current") findes ikke under "keys"')
        return (
            keys,
            current,
            key(doc['index_key'], 'index_key'),
            key(doc['audit_key'], 'audit_key'),
        )

    def _serialise(self) -> bytes:
        doc = {
            'version': FORMAT_VERSION,
            'current': self._current,
            'keys': {
                k: _b64(v) for k, v in sorted(self._keys.items(), key=lambda kv: _key_number(kv[0]))
            },
            'index_key': _b64(self._index_key),
            'audit_key': _b64(self._audit_key),
        }
        return (json.dumps(doc, indent=2) + '\n').encode('utf-8')

    def rotate(self) -> str:
        """Add a new data key, make it current and save; returns its id.

        Re-reads the file first so a key added by another process since we
        loaded is kept, and refuses if the file lacks a key we hold (e.g. an
        older backup was restored) rather than dropping it. Two rotations
        at the very same moment are not guarded against: rotate from one
        place (the CLI) at a time.
        """
        keys, current, index_key, audit_key = self._read(self._path)
        missing = [k for k, v in self._keys.items() if keys.get(k) != v]
        if missing or (index_key, audit_key) != (self._index_key, self._audit_key):
            raise KeyRingError(
                f'Nøglefilen {self._path} er ændret, så den ikke længere indeholder '
                'de nøgler, der er i brug; rotationen er afbrudt. Kontrollér filen '
                'mod sikkerhedskopien.'
            )
        new_id = f'k{max(map(_key_number, keys)) + 1}'
        keys[new_id] = secrets.token_bytes(KEY_BYTES)
        updated = KeyRing(self._path, keys, new_id, index_key, audit_key)
        self._write_atomically(updated._serialise())
        # Keys first, then current, so a concurrent seal() never sees a
        # current id without its key.
        self._keys = keys
        self._current = new_id
        return new_id

    def _write_atomically(self, data: bytes) -> None:
        """Temp file in the same directory, fsync, rename over the old file:
        readers see the old file or the new one, never a truncated one."""
        directory = os.path.dirname(os.path.abspath(self._path))
        fd, tmp = tempfile.mkstemp(
            prefix='.' + os.path.basename(self._path) + '.', suffix='.tmp', dir=directory
        )
        try:
            with os.fdopen(fd, 'wb') as f:
                os.fchmod(f.fileno(), 0o600)
                # When root rotates the application's key file, keep the
                # owner, or the application could no longer read it.
                old = os.stat(self._path)
                if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                    os.fchown(f.fileno(), old.st_uid, old.st_gid)
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self._path)
        except BaseException as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise KeyRingError(
                    f'Nøglefilen {self._path} kunne ikke gemmes ({exc.strerror}); '
                    'den gamle fil er uændret.'
                ) from None
            raise
        _fsync_dir(directory)

    # -- using the keys ------------------------------------------------

    @property
    def path(self) -> str:
        return self._path

    @property
    def current_id(self) -> str:
        return self._current

    def key_ids(self) -> list[str]:
        """All key ids, oldest first."""
        return sorted(self._keys, key=_key_number)

    def seal(self, text: str, aad: bytes) -> Sealed:
        """Encrypt ``text`` under the current key, bound to ``aad``.

        ``aad`` identifies where the value lives (object identity + field
        name), so a value copied elsewhere fails to open.
        """
        if not isinstance(text, str):
            raise TypeError('seal() encrypts str values')
        return self.seal_bytes(text.encode('utf-8'), aad)

    def seal_bytes(self, data: bytes, aad: bytes) -> Sealed:
        """Encrypt bytes (an uploaded file) like ``seal`` does text."""
        if not isinstance(data, bytes):
            raise TypeError('seal_bytes() encrypts bytes')
        if type(aad) is not bytes:
            raise TypeError('seal() needs bytes as associated data')
        if not aad:
            # Empty aad would let a value be copied to any object or field.
            raise ValueError('seal() needs non-empty associated data')
        nonce = secrets.token_bytes(NONCE_BYTES)
        key_id = self._current
        ciphertext = AESGCM(self._keys[key_id]).encrypt(nonce, data, aad)
        return Sealed(key_id, nonce, ciphertext)

    def open(self, sealed: Sealed, aad: bytes) -> str:
        """Decrypt a Sealed value that was sealed with the same ``aad``."""
        return self.open_bytes(sealed, aad).decode('utf-8')

    def open_bytes(self, sealed: Sealed, aad: bytes) -> bytes:
        """Decrypt a Sealed value to bytes."""
        if not isinstance(sealed, Sealed):
            raise TypeError('open() takes a Sealed value')
        if type(aad) is not bytes:
            raise TypeError('open() needs bytes as associated data')
        key = self._keys.get(sealed.key_id)
        if key is None:
            raise KeyRingError(
                f'Nøglen {sealed.key_id} findes ikke i nøglefilen {self._path}. '
                'Er det den rigtige nøglefil, eller er den erstattet af en ældre kopi?'
            )
        try:
            plain = AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, aad)
        except InvalidTag:
            plain = None
        if plain is None:
            raise DecryptionError(
                f'En krypteret værdi (nøgle {sealed.key_id}) kunne ikke åbnes: '
                'den er ændret eller hører til et andet objekt eller felt.'
            )
        return plain

    def needs_reseal(self, sealed: Sealed) -> bool:
        """True when ``sealed`` is under an older key (re-seal after rotate)."""
        return sealed.key_id != self._current

    def blind_index(self, kind: str, value: str) -> str:
        """Deterministic keyed hash for exact search; ``value`` must already
        be normalised by the caller (e.g. with normalise_cpr)."""
        if '\0' in kind:
            raise ValueError('blind_index kind must not contain NUL')
        message = (kind + '\0' + value).encode('utf-8')
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()

    def audit_mac(self, data: bytes) -> str:
        """Keyed hash for the hash-chained audit log."""
        return hmac.new(self._audit_key, bytes(data), hashlib.sha256).hexdigest()

    # -- never leak keys -----------------------------------------------

    def __repr__(self) -> str:
        return f'<KeyRing {self._path} current={self._current}>'

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        # Keeps the keys out of ZODB, sessions and caches by accident.
        raise TypeError('KeyRing must not be pickled')
