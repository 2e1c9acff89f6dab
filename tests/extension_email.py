"""A field kind that is not built in, registered the way a deployment
would (named in `tracker.includes`): used by tests/http/test_registrations.py."""

import colander

from tracker.types import FieldKind


class EmailKind(FieldKind):
    """An e-mail address: one class is the whole field type."""

    protectable = True

    def preparer(self, f):
        return lambda value: value.strip() if isinstance(value, str) else value

    def validators(self, f, locale):
        return [colander.Email(msg='Not an e-mail address')]

    def json_schema(self, f):
        return {'type': 'string', 'format': 'email'}


def includeme(config):
    config.add_field_kind('email', EmailKind)
