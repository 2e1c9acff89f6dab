"""The one write path: every form, API call, CLI command and import changes
content through `Services`, which validates against the type's schema,
checks permissions and workflow state, numbers, stores, reindexes and
records history, all inside the caller's transaction.
"""

from .content import Services
from .errors import (
    KeptFailure,
    NotAllowed,
    NotFound,
    ServiceError,
    TransitionUnavailable,
    ValidationFailed,
)

__all__ = [
    'KeptFailure',
    'NotAllowed',
    'NotFound',
    'ServiceError',
    'Services',
    'TransitionUnavailable',
    'ValidationFailed',
]
