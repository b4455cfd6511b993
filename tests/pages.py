"""Reading the pages the app serves: their text, the visible words of a fragment, redirects."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit


def page_of(response) -> str:
    """The response's HTML as text, entities such as &amp; and &#39; turned back into characters."""
    return html.unescape(response.get_data(as_text=True))


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def is_sign_in_challenge(response) -> bool:
    """Flask-Login's answer to an anonymous visitor: a redirect to /login?next=<where they were>."""
    if response.status_code != 302:
        return False
    location = urlsplit(response.headers["Location"])
    return location.path == "/login" and "next" in parse_qs(location.query)


class _PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []
        self.fragment_links: list[str] = []
        self.title = ""
        self.in_title = False
        self.post_forms = 0
        self.csrf_fields = 0
        self.h1_count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_targets.append(attributes["for"])
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.fragment_links.append(href[1:])
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.post_forms += 1
        if tag == "input" and attributes.get("name") == "csrf_token":
            self.csrf_fields += 1
        self.in_title = tag == "title"
        self.h1_count += tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def page_problems(markup: str) -> list[str]:
    """What is structurally wrong with a page: no title or h1, duplicate ids, labels or links
    pointing nowhere, a POST form without its CSRF token."""
    page = _PageStructure()
    page.feed(markup)
    problems = []
    if not page.title.strip():
        problems.append("the page has no <title>")
    if page.h1_count != 1:
        problems.append(f"the page has {page.h1_count} <h1> headings, not one")
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {', '.join(duplicates)}")
    ids = set(page.ids)
    problems += [f"<label for={t!r}> has no field" for t in page.label_targets if t not in ids]
    problems += [f"link to #{t} has no target" for t in page.fragment_links if t not in ids]
    if page.csrf_fields < page.post_forms:
        problems.append("a POST form has no csrf_token field")
    return problems
