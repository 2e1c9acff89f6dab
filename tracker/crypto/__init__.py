"""Field encryption, blind indexes and CPR handling (no Pyramid imports)."""

from .cpr import InvalidCPR, cpr_birth_date, normalise_cpr
from .keyring import DecryptionError, KeyRing, KeyRingError, Sealed

__all__ = [
    'DecryptionError',
    'InvalidCPR',
    'KeyRing',
    'KeyRingError',
    'Sealed',
    'cpr_birth_date',
    'normalise_cpr',
]
