"""The Word template check behind ``foerderflow templates check``.

For every template (the tenant's own copy from ``FOERDERFLOW_TEMPLATES_DIR`` or the shipped
one) it lists the variables the template uses and reports:

* variables that are neither a field of the template's context model nor ``mandant``;
* attributes that do not exist, e.g. ``{{ lead.dativx }}`` or ``{{ mandant.kreis.nam }}``:
  Jinja would print nothing there, so a typo made in Word would silently empty a sentence;
* fields the template does not use (a hint, not an error: a council may leave out a fact);
* Jinja syntax errors, templates without a context model and models without a template.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document as load_docx
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes
from pydantic import BaseModel

from foerderflow.settings import SHIPPED_TEMPLATES_DIR
from foerderflow.tenant import Tenant
from models.registry import TEMPLATE_CONTEXTS
from tasks.documents import TENANT_VARIABLE, resolve_template, template_environment


@dataclass
class TemplateReport:
    """What the check found in one template."""

    name: str
    model: str = ""
    own: bool = False  # the tenant's own copy (else the shipped template)
    # used variables: "title", "lead.dativ", "mandant.kreis.name"
    variables: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds, directly or as the items of a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def _chain(node: nodes.Node) -> tuple[str, list[str]] | None:
    """``lead.dativ`` / ``mandant['kreis'].name`` -> (``lead``, [``dativ``]) or (…, […])."""
    attrs: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if isinstance(node.arg.value, str):
                attrs.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, attrs[::-1]
        else:
            return None


def _outermost(tree: nodes.Template) -> list[nodes.Node]:
    """Every attribute chain once, at its longest (``a.b.c`` but not ``a.b`` again)."""
    inner: set[int] = set()
    chains: list[nodes.Node] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if id(node) not in inner:
            chains.append(node)
        child = node.node  # type: ignore[attr-defined]
        while isinstance(child, nodes.Getattr | nodes.Getitem):
            inner.add(id(child))
            child = child.node
    return chains


def _check_tree(tree: nodes.Template, model: type[BaseModel], report: TemplateReport) -> None:
    roots: dict[str, type[BaseModel] | None] = {
        name: _model_of(info.annotation) for name, info in model.model_fields.items()
    }
    roots[TENANT_VARIABLE] = Tenant
    # loop variables: ``{% for s in shares %}`` gives ``s`` the type of the list's items
    loops: dict[str, type[BaseModel] | None] = {}
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name):
            found = _chain(loop.iter)
            if found is not None and found[0] in roots and not found[1]:
                loops[loop.target.name] = roots[found[0]]
            elif found is not None and found[0] == TENANT_VARIABLE:
                loops[loop.target.name] = _walk(Tenant, found[1])
    used: set[str] = set()
    unknown: set[str] = set()
    for node in _outermost(tree):
        found = _chain(node)
        if found is None:
            continue
        root, attrs = found
        current = roots.get(root) if root in roots else loops.get(root)
        path = root
        for attr in attrs:
            if current is None:
                break
            if attr not in current.model_fields:
                unknown.add(f"{path}.{attr}")
                break
            path = f"{path}.{attr}"
            current = _model_of(current.model_fields[attr].annotation)
        if root in roots:
            used.add(path)
    report.variables = sorted(used | set(report.variables))
    if unknown:
        report.problems.append(
            f"{report.name}: unbekannte Attribute (Tippfehler?): {', '.join(sorted(unknown))}"
        )


def _walk(model: type[BaseModel] | None, attrs: list[str]) -> type[BaseModel] | None:
    for attr in attrs:
        if model is None or attr not in model.model_fields:
            return None
        model = _model_of(model.model_fields[attr].annotation)
    return model


def _template_source(path: Path) -> str:
    """The Jinja source docxtpl renders: body, headers and footers, tags patched together."""
    tpl = DocxTemplate(str(path))
    doc = load_docx(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in doc.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return xml


def check_template(templates_dir: Path, name: str) -> TemplateReport:
    source = resolve_template(templates_dir, name)
    report = TemplateReport(
        name=name, own=source.parent.resolve() != SHIPPED_TEMPLATES_DIR.resolve()
    )
    model = TEMPLATE_CONTEXTS.get(name)
    if model is None:
        report.problems.append(f"{name}: kein Kontextmodell in models/ hinterlegt")
        return report
    report.model = model.__name__
    env = template_environment()
    try:
        tree = env.parse(_template_source(source))
    except TemplateSyntaxError as exc:
        report.problems.append(f"{name}: Jinja-Syntaxfehler: {exc.message}")
        return report
    except Exception as exc:
        report.problems.append(f"{name}: Vorlage lässt sich nicht lesen ({exc})")
        return report
    top = meta.find_undeclared_variables(tree)
    unknown = sorted(top - set(model.model_fields) - {TENANT_VARIABLE})
    if unknown:
        report.problems.append(
            f"{name}: Variablen ohne Feld in {model.__name__}: {', '.join(unknown)}"
        )
    report.variables = sorted(top - set(unknown))
    _check_tree(tree, model, report)
    report.variables = [
        v for v in report.variables if not any(w.startswith(f"{v}.") for w in report.variables)
    ]
    roots = {v.split(".")[0] for v in report.variables}
    report.unused = sorted(set(model.model_fields) - roots)
    return report


def template_reports(templates_dir: Path) -> list[TemplateReport]:
    """One report per template in the tenant's folder or shipped, then one per model whose
    template is missing."""
    files = sorted(
        {p.name for p in templates_dir.glob("*.docx")}
        | {p.name for p in SHIPPED_TEMPLATES_DIR.glob("*.docx")}
    )
    reports = [check_template(templates_dir, name) for name in files]
    for name in sorted(set(TEMPLATE_CONTEXTS) - set(files)):
        missing = f"{name}: Kontextmodell vorhanden, aber Vorlage fehlt"
        reports.append(TemplateReport(name=name, problems=[missing]))
    return reports


def lint_templates(templates_dir: Path) -> list[str]:
    """Check every template against its context model. Returns German problem lines."""
    return [problem for report in template_reports(templates_dir) for problem in report.problems]
