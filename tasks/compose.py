"""Mail texts from ``templates/mail/*.txt``: our files are templates, user text is only data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta

from foerderflow.settings import SHIPPED_TEMPLATES_DIR, get_tenant
from models.mail import MailContext
from models.registry import MAIL_CONTEXTS

# Like the Word templates, every mail text may use the tenant's facts as ``{{ mandant.* }}``.
TENANT_VARIABLE = "mandant"


@lru_cache(maxsize=4)
def _environment(mail_dir: str) -> jinja2.Environment:
    """The tenant's mail templates first, then the shipped ones (same file name wins)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([mail_dir, str(SHIPPED_TEMPLATES_DIR / "mail")]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - plain-text mail, never HTML
        keep_trailing_newline=False,
        trim_blocks=False,
    )


def render_mail_text(templates_dir: Path, name: str, context: MailContext) -> tuple[str, str]:
    """Render ``templates/mail/<name>``; return ``(subject, body)``.

    The first line of a mail template is ``Betreff: …``, then an empty line, then the body.
    """
    expected = MAIL_CONTEXTS.get(name)
    if expected is not None and not isinstance(context, expected):
        raise TypeError(f"{name} erwartet {expected.__name__}")
    env = _environment(str(templates_dir / "mail"))
    values = dict(context)
    values[TENANT_VARIABLE] = get_tenant().model_dump(mode="json")
    text = env.get_template(name).render(**values)
    head, _, body = text.partition("\n\n")
    subject = head.removeprefix("Betreff:").strip()
    subject = " ".join(subject.split())  # a subject is one line, whatever the user typed
    return subject, body.strip() + "\n"


def lint_mail_templates(templates_dir: Path) -> list[str]:
    problems: list[str] = []
    mail_dir = templates_dir / "mail"
    env = _environment(str(mail_dir))
    files = sorted(p.name for p in mail_dir.glob("*.txt"))
    for name in files:
        model = MAIL_CONTEXTS.get(name)
        if model is None:
            problems.append(f"mail/{name}: kein Kontextmodell in models/mail.py hinterlegt")
            continue
        source = (mail_dir / name).read_text(encoding="utf-8")
        if not source.startswith("Betreff:"):
            problems.append(f"mail/{name}: erste Zeile muss mit „Betreff:“ beginnen")
        try:
            variables = meta.find_undeclared_variables(env.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(f"mail/{name}: Syntaxfehler in Zeile {exc.lineno}: {exc.message}")
            continue
        unknown = sorted(set(variables) - set(model.model_fields) - {TENANT_VARIABLE})
        if unknown:
            problems.append(
                f"mail/{name}: Variablen ohne Feld in {model.__name__}: {', '.join(unknown)}"
            )
    for name in sorted(set(MAIL_CONTEXTS) - set(files)):
        problems.append(f"mail/{name}: Kontextmodell vorhanden, aber Vorlage fehlt")
    return problems
