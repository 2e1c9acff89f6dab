"""The services stay split by responsibility: no class in tracker.services
grows into a god class again, no service reaches into another module's
private parts, and associated data for sealing is built in one place."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import tracker.services
from tracker.services import Services

MAX_PUBLIC_METHODS = 15
ROOT = Path(tracker.services.__file__).resolve().parent.parent


def _service_classes():
    for module_info in pkgutil.iter_modules(tracker.services.__path__):
        module = importlib.import_module(f'tracker.services.{module_info.name}')
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def _public_methods(cls):
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith('_') and (inspect.isfunction(member) or inspect.ismethod(member))
    )


def test_no_class_in_the_services_has_more_than_15_public_methods():
    classes = list(_service_classes())
    assert {c.__name__ for c in classes} >= {
        'Services',
        'ContentService',
        'AccountService',
        'LetterService',
        'RectificationService',
        'AdminService',
        'ServiceCore',
    }
    too_big = {
        f'{c.__module__}.{c.__name__}': len(_public_methods(c))
        for c in classes
        if len(_public_methods(c)) > MAX_PUBLIC_METHODS
    }
    assert not too_big, f'split these by responsibility: {too_big}'


def test_the_facade_exposes_one_service_per_responsibility(wsgi_app):
    from tests.conftest import db_of, system_services

    with db_of(wsgi_app).transaction() as conn:
        services = system_services(conn, wsgi_app)
        assert isinstance(services, Services)
        for name in ('content', 'accounts', 'letters', 'rectification', 'admin'):
            service = getattr(services, name)
            assert service.core is services.core, name
        assert services.today() == wsgi_app.registry.tracker_clock.today()


def test_no_module_calls_another_modules_private_names():
    """`x._name(...)` only for names defined in the same module (a class's
    own helpers), never into another module: services use each other's and
    the core's public methods only. ZODB's `_p_` API is public."""
    offences = []
    for path in sorted(ROOT.rglob('*.py')):
        text = path.read_text()
        for node in ast.walk(ast.parse(text, str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name, owner = node.func.attr, node.func.value
            if (
                name.startswith('_')
                and not name.startswith(('__', '_p_'))
                and not (isinstance(owner, ast.Name) and owner.id in ('self', 'cls'))
                and f'def {name}(' not in text
            ):
                offences.append(f'{path.relative_to(ROOT.parent)}:{node.lineno} {name}')
    assert not offences


def test_associated_data_is_built_only_in_crypto_aad():
    """Sealing and opening must agree on the associated data: one function
    per kind in tracker/crypto/aad.py, none built by hand elsewhere."""
    hand_made = []
    for path in sorted(ROOT.rglob('*.py')):
        if path.name == 'aad.py':
            continue
        text = path.read_text()
        for marker in ("/totp'", "/history/{", "}/{f.name}'", "}/{field_name}'", "}/{name}'"):
            if marker in text:
                hand_made.append(f'{path.relative_to(ROOT.parent)}: {marker}')
    assert not hand_made
