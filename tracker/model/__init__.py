"""Persistent content classes. Plain ZODB objects: no web framework here."""

from .content import Content, Site  # noqa: F401
from .counters import Counter  # noqa: F401
from .files import StoredFile  # noqa: F401
from .users import User  # noqa: F401
