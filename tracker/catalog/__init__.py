"""The hypatia catalog: indexes declared in the schemas, kept current by the
services, queried by every listing and search (never a tree walk)."""

from .indexing import CatalogManager, DocMap, IndexView  # noqa: F401
from .query import SearchError, search  # noqa: F401
