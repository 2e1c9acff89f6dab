"""Registrations that reuse a name the tracker registers: each must stop
start-up (tests/http/test_registrations.py includes one function at a time)."""

from tracker.types import FieldKind


def duplicate_rule(config):
    config.add_rule('document_version', lambda values, ctx: values)


def duplicate_guard(config):
    config.add_guard('resolved_date_set', lambda obj, ctx: None)


def duplicate_kind(config):
    config.add_field_kind('string', FieldKind)


def duplicate_letter_context(config):
    config.add_letter_context('case', lambda obj, site, types, read: {})
