"""What makes a service a service: every public method of a `Service`
subclass runs inside `service_call()`, which the write-path guard (see
docs/architecture.md, "The write path") uses to tell a write the services
make from a write anywhere else."""

import contextvars
import functools
from contextlib import contextmanager

from ..clock import using_clock

_DEPTH = contextvars.ContextVar('tracker_service_call', default=0)


def in_service_call():
    """True while a public service method (or a `service_call()` block) runs."""
    return _DEPTH.get() > 0


@contextmanager
def service_call():
    token = _DEPTH.set(_DEPTH.get() + 1)
    try:
        yield
    finally:
        _DEPTH.reset(token)


def _entered(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with service_call(), using_clock(self.core.clock):
            return method(self, *args, **kwargs)

    wrapper.__service_method__ = True
    return wrapper


class Service:
    """A service of the one write path: it receives the shared core (site,
    actor, permissions, clock, audit, catalog, sealing) and changes
    persistent data only in its public methods."""

    def __init__(self, core):
        self.core = core

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if (
                not name.startswith('_')
                and callable(member)
                and not isinstance(member, (staticmethod, classmethod, type))
                and not getattr(member, '__service_method__', False)
            ):
                setattr(cls, name, _entered(member))
