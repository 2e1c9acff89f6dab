"""The one write path: every form, API call, CLI command and import changes
content through `Services`, which validates against the type's schema,
checks permissions and workflow state, numbers, stores, reindexes and
records history, all inside the caller's transaction.
"""
from .content import Services  # noqa: F401
from .errors import (KeptFailure, NotAllowed, NotFound, ServiceError,  # noqa: F401
                     TransitionUnavailable, ValidationFailed)
