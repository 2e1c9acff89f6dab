"""`tracker templates check`: every merge field a template uses must exist.

Walks the Jinja syntax tree of each template (body, headers and footers, as
docxtpl prepares them) and follows names through `for` loops: `request.due`
must be a field of the variable's content type, `r.name` inside
`{% for r in recipients %}` an attribute of a recipient row. docxtpl itself
only reports undeclared top-level names, not attributes, hence this."""

from io import BytesIO

from docx import Document
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, nodes

from .manifest import EXTRAS, GLOBALS, META, RECORDS


def template_ast(data):
    tpl = DocxTemplate(BytesIO(data))
    doc = Document(BytesIO(data))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return Environment().parse(xml)


def _attributes(kind, types):
    """The attributes a variable of this kind offers, or None for a plain value."""
    if kind in RECORDS:
        return RECORDS[kind]
    if kind in types:
        return set(types[kind].by_name) | META | EXTRAS.get(kind, set())
    return None


def problems(template, types):
    """Sentences naming each unknown variable or field the template uses."""
    scope = dict(GLOBALS)
    scope.update(template.variables)
    found = []

    def kind_of(name, local):
        return local.get(name, scope.get(name))

    def visit(node, local):
        if isinstance(node, nodes.For):
            visit(node.iter, local)
            inner = dict(local)
            iter_kind = (
                kind_of(node.iter.name, local) if isinstance(node.iter, nodes.Name) else None
            )
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = iter_kind[0] if isinstance(iter_kind, list) else None
            for child in node.body + node.else_:
                visit(child, inner)
            return
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            kind = kind_of(node.node.name, local)
            if kind is None:
                found.append(f'{template.id}: unknown variable {node.node.name!r}')
            elif not isinstance(kind, list):
                attributes = _attributes(kind, types)
                if attributes is not None and node.attr not in attributes:
                    found.append(
                        f'{template.id}: {node.node.name}.{node.attr} is not a field of {kind}'
                    )
            return
        if (
            isinstance(node, nodes.Name)
            and node.ctx == 'load'
            and kind_of(node.name, local) is None
            and node.name not in ('loop',)
        ):
            found.append(f'{template.id}: unknown variable {node.name!r}')
            return
        for child in node.iter_child_nodes():
            visit(child, local)

    for variable, kind in template.variables.items():
        inner = kind[0] if isinstance(kind, list) else kind
        if inner != 'text' and _attributes(inner, types) is None:
            found.append(f'{template.id}: variable {variable!r} has an unknown kind {inner!r}')
    visit(template_ast(template.data), {})
    return list(dict.fromkeys(found))


def check_all(manifest, types):
    out = []
    for template in manifest.templates.values():
        out.extend(problems(template, types))
    return out
