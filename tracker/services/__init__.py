"""The one write path: every form, API call, CLI command and import changes
persistent data (content, users, the site, the audit log) through
`Services`, which validates against the type's schema, checks permissions
and workflow state, numbers, stores, reindexes and records history, all
inside the caller's transaction. One service per responsibility
(content, accounts, letters, rectification, admin), composed by the
`Services` facade; see docs/architecture.md, "The write path".
"""

from .base import in_service_call, service_call
from .errors import (
    KeptFailure,
    NotAllowed,
    NotFound,
    ServiceError,
    TransitionUnavailable,
    ValidationFailed,
)
from .facade import Services, system_can

__all__ = [
    'KeptFailure',
    'NotAllowed',
    'NotFound',
    'ServiceError',
    'Services',
    'in_service_call',
    'service_call',
    'system_can',
    'TransitionUnavailable',
    'ValidationFailed',
]
