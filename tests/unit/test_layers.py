"""The layering rules of docs/architecture.md, checked on the source: the
import graph of the `tracker` package, built with `ast` from every import
statement (module level and inside functions, relative and absolute)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / 'tracker'

# below the web layer: no Pyramid (nor its add-ons) in these packages
PURE = (
    'model',
    'types',
    'workflow',
    'crypto',
    'audit',
    'rectification',
    'advisor',
    'letters',
    'reports',
    'catalog',
    'services',
)


def module_name(path, root=PACKAGE):
    parts = list(path.relative_to(root.parent).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def modules(root=PACKAGE):
    """{dotted name: path} of every module of the package."""
    return {module_name(p, root): p for p in sorted(root.rglob('*.py'))}


def imports_of(name, path, known):
    """The modules `name` imports: tracker modules by their dotted name
    (`from . import x` names the submodule x when there is one), anything
    else by its top-level name."""
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')
                base = base[: len(base) - (node.level - 1)]
                target = '.'.join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                sub = f'{target}.{alias.name}'
                found.add(sub if sub in known else target)
    return found


def import_graph(root=PACKAGE):
    known = modules(root)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def internal(graph):
    """The graph restricted to the package's own modules."""
    return {name: {t for t in targets if t in graph} for name, targets in graph.items()}


def cycles(graph):
    """The strongly connected components with more than one module (or a
    module importing itself), by Tarjan's algorithm."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def in_package(name, package):
    return name == package or name.startswith(package + '.')


def crossings(graph, source, target):
    return sorted(
        (name, t)
        for name, targets in graph.items()
        if in_package(name, source)
        for t in targets
        if in_package(t, target)
    )


def pyramid_users(graph, packages):
    return sorted(
        (name, t)
        for name, targets in graph.items()
        if any(in_package(name, f'tracker.{p}') for p in packages)
        for t in targets
        if t.split('.')[0].startswith('pyramid')
    )


@pytest.fixture(scope='module')
def graph():
    return import_graph()


def test_the_graph_sees_every_kind_of_import(graph):
    # relative, absolute and function-level imports all count
    assert 'tracker.catalog.indexing' in graph['tracker.web.formatting']
    assert 'pyramid.view' in graph['tracker.views.content']
    assert 'tracker.reports.figures' in graph['tracker.views.reports']  # inside a function


def test_api_and_views_do_not_import_each_other(graph):
    assert crossings(graph, 'tracker.api', 'tracker.views') == []
    assert crossings(graph, 'tracker.views', 'tracker.api') == []


def test_no_import_cycles(graph):
    assert cycles(internal(graph)) == []


def test_nothing_below_the_web_layer_imports_pyramid(graph):
    assert pyramid_users(graph, PURE) == []


def test_the_checks_catch_planted_violations(tmp_path):
    """The same checks over a small package with one violation of each kind."""
    root = tmp_path / 'tracker'
    files = {
        '__init__.py': '',
        'api/__init__.py': '',
        'api/endpoints.py': 'def f():\n    from ..views import content\n',
        'views/__init__.py': '',
        'views/content.py': 'from .rectification import marks_on\n',
        'views/rectification.py': 'from tracker.views.content import batch_params\n',
        'model/__init__.py': 'from pyramid.security import Allow\n',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    planted = import_graph(root)
    assert crossings(planted, 'tracker.api', 'tracker.views') == [
        ('tracker.api.endpoints', 'tracker.views.content')
    ]
    assert cycles(internal(planted)) == [['tracker.views.content', 'tracker.views.rectification']]
    assert pyramid_users(planted, PURE) == [('tracker.model', 'pyramid.security')]


# The web layer's generic code names no type: type knowledge is registered
# by type (web/by_type.py, the type_name view predicate). Only the by-type
# registry itself compares an object's type with a registered one.
GENERIC = ('tracker.views', 'tracker.api', 'tracker.web')
TYPE_REGISTRY = 'tracker.web.by_type'


def names_a_type(node):
    """A comparison of `x.type_name` with a literal or a CONSTANT type name."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return False
    if not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return False
    sides = [node.left, *node.comparators]
    on_type = any(isinstance(s, ast.Attribute) and s.attr == 'type_name' for s in sides)
    named = any(
        (isinstance(s, ast.Constant) and isinstance(s.value, str))
        or (isinstance(s, ast.Name) and s.id.isupper())
        for s in sides
    )
    return on_type and named


def type_tests(root=PACKAGE, packages=GENERIC):
    found = []
    for name, path in modules(root).items():
        if name == TYPE_REGISTRY or not any(in_package(name, p) for p in packages):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if names_a_type(node):
                found.append((name, node.lineno))
    return found


def test_generic_web_code_tests_no_type_by_name():
    assert type_tests() == []


def test_the_type_check_catches_a_planted_type_test(tmp_path):
    root = tmp_path / 'tracker'
    files = {
        '__init__.py': '',
        'views/__init__.py': '',
        'views/layout.py': "def due(obj):\n    return obj.type_name == 'rectification'\n",
        'api/__init__.py': '',
        'api/serialize.py': 'LETTER = 1\n\n\ndef f(o):\n    return o.type_name != LETTER\n',
        'web/__init__.py': '',
        'web/by_type.py': 'def g(o, type_name):\n    return type_name == o.type_name\n',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert sorted(type_tests(root)) == [('tracker.api.serialize', 5), ('tracker.views.layout', 2)]
