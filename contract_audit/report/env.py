"""The jinja2 environment and the page scaffolding every HTML report shares.

Autoescape is always on and templates are strict about undefined names. Our own CSS and
JavaScript are the only things inserted unescaped (as ``Markup``), and the page's Content
Security Policy allows exactly those by hash: even if contract text ever slipped through
unescaped, the browser would refuse to run or style with it, and would fetch nothing.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract_audit import __version__
from contract_audit.report.excerpt import visible_controls
from contract_audit.report.labels import (
    LEVEL_COLOURS,
    NEUTRAL,
    SEVERITY_COLOURS,
    readable_time,
)

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).with_name("templates")
SCRIPTS = {"filter": "_filter.js.j2", "sort": "_sort.js.j2"}


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ }}`` output: bidi override controls are shown, never obeyed, so a
    file name or clause cannot make the page display text in a different order than it has."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_controls(value)
    return value


@cache
def environment() -> jinja2.Environment:
    """Built once per process; jinja2 is imported only when a report is rendered."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.globals.update(severity_colours=SEVERITY_COLOURS, level_colours=LEVEL_COLOURS)
    env.globals["neutral"] = NEUTRAL
    env.filters["readable_time"] = readable_time
    return env


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()


@cache
def stylesheet() -> str:
    """The shared CSS (screen, phone and print), rendered once from ``_style.css.j2``."""
    return environment().get_template("_style.css.j2").render().strip()


@cache
def script(name: str) -> str:
    return environment().get_template(SCRIPTS[name]).render().strip()


def content_security_policy(css: str, scripts: list[str]) -> str:
    """Nothing may load; only our own style sheet and scripts, by hash, may apply or run."""
    script_src = " ".join(f"'{_sha256(s)}'" for s in scripts) or "'none'"
    return (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src {script_src}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_page(template: str, *, scripts: tuple[str, ...] = (), **context: Any) -> str:
    """Render a page template that extends ``_base.html.j2``.

    ``scripts`` names inline scripts to include (``filter``, ``sort``); a new report (e.g. the
    draft comparison) reuses the base layout and the CSS by calling this with its own template.
    """
    from markupsafe import Markup

    css = stylesheet()
    sources = [script(s) for s in scripts]
    return (
        environment()
        .get_template(template)
        .render(
            css=Markup(css),
            scripts=[Markup(s) for s in sources],
            csp=content_security_policy(css, sources),
            tool_version=__version__,
            **context,
        )
    )
