"""Content types as data: `schemas/*.yaml` loaded once at start-up, with the
field kinds, rules and guards that code registers (`extensions`)."""

from .extensions import Collector, Extensions, Registrar
from .kinds import FieldKind
from .registry import FieldInfo, SchemaError, TypeInfo, TypeRegistry, load_registry

__all__ = [
    'Collector',
    'Extensions',
    'FieldInfo',
    'FieldKind',
    'Registrar',
    'SchemaError',
    'TypeInfo',
    'TypeRegistry',
    'load_registry',
]
