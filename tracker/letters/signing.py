"""Ed25519 signatures over an issued document's record (number, version,
SHA-256 of the exact bytes, template and its hash, data hash, issuer, time).

The private key lives in a file beside the key ring (0600, created on first
use); its public key is recorded in the site under a key id, so documents
signed with an older key still verify after the key is replaced."""

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(Exception):
    pass


def canonical(payload):
    return json.dumps(payload, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode(
        'utf-8'
    )


def public_pem(public_key):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode('ascii')


def key_id(public_key):
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Signer:
    def __init__(self, private_key):
        self.private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)
        self.public_pem = public_pem(self.public_key)

    @classmethod
    def load_or_create(cls, path):
        path = Path(path)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                return cls.load_or_create(path)
            with os.fdopen(fd, 'wb') as f:
                f.write(pem)
        if path.stat().st_mode & 0o077:
            raise SigningKeyError(
                f'{path}: the signing key must be readable by its owner only (chmod 600 {path}).'
            )
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f'{path}: not an Ed25519 key.')
        return cls(key)

    def sign(self, payload):
        return base64.b64encode(self.private_key.sign(canonical(payload))).decode('ascii')


def verify(public_pem_text, payload, signature):
    """True when `signature` is a valid Ed25519 signature of `payload`."""
    try:
        key = serialization.load_pem_public_key(public_pem_text.encode('ascii'))
        if not isinstance(key, Ed25519PublicKey):
            return False
        key.verify(base64.b64decode(signature), canonical(payload))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
