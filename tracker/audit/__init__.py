"""Append-only, hash-chained audit log in its own ZODB database.

Framework-free on purpose: the web app, the CLI and batch jobs all write to
it the same way. See `tracker.audit.log` for the design.
"""

from .log import (
    AuditEntry,
    AuditError,
    AuditLog,
    MacFunction,
    VerifyResult,
    export,
    get_log,
    normalize_time,
    parse_export,
    utc_now,
    verify,
)
from .recorder import Recorder

__all__ = [
    'AuditEntry',
    'AuditError',
    'AuditLog',
    'MacFunction',
    'VerifyResult',
    'export',
    'get_log',
    'normalize_time',
    'parse_export',
    'Recorder',
    'utc_now',
    'verify',
]
