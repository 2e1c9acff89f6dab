"""Content types as data: `schemas/*.yaml` loaded once at start-up."""

from .registry import FieldInfo, SchemaError, TypeInfo, TypeRegistry, load_registry  # noqa: F401
