"""A message from its templates: `templates/mail/<name>.txt` (first line `Subject: …`, then the
plain-text body) and, when there is one, `templates/mail/<name>.html`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, render_template
from jinja2 import TemplateNotFound


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str | None


def compose(name: str, **context) -> Composed:
    """Render a message. The text template's first line is its subject."""
    first, _, body = render_template(f"mail/{name}.txt", **context).partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"mail/{name}.txt must start with a 'Subject:' line")
    try:
        html = render_template(f"mail/{name}.html", **context)
    except TemplateNotFound:
        html = None
    return Composed(first.removeprefix("Subject:").strip(), body.lstrip("\n"), html)


def app_url(endpoint: str, **values) -> str:
    """The absolute address of a page on APP_BASE_URL, built outside any request (the scheduler
    and the CLI have none)."""
    base = urlsplit(current_app.config["APP_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
