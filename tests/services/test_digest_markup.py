"""The digest's HTML part, parsed: a whole document readable in common mail clients (inline
styles only, no scripts, no style sheets, no remote images), a heading for the digest and for
each part, real tables with column headers, RAG in words, links that say where they go, and the
unsubscribe and preferences links in the footer. The plain-text part says the same things."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from programme.services.reminders.digests import plan_digests, preferences_url
from programme.services.training import catalogue, enrolment
from tests.builders import (
    create_locality,
    create_milestone,
    create_post,
    create_programme,
    create_session,
    create_staff,
    create_team,
    create_user,
)

MONDAY = date(2026, 11, 30)
BASE = "https://tracker.westshire.gov.uk"
RAG_WORDS = {"Green", "Amber", "Red"}
VAGUE_LINKS = {"here", "click here", "link", "more", "read more", "this"}


@dataclass
class Table:
    headers: list[dict] = field(default_factory=list)  # each <th>'s attributes and text
    rows: list[list[str]] = field(default_factory=list)  # each body row's cell texts
    caption: str = ""


@dataclass
class Link:
    href: str
    text: str = ""


class Markup(HTMLParser):
    """What the tests look at: every start tag, the headings, tables and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self.tables: list[Table] = []
        self.links: list[Link] = []
        self.declaration = ""
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._link: Link | None = None
        self._caption: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.declaration = decl

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in {"h1", "h2", "h3", "h4"}:
            self._heading = [tag]
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "tr":
            self._row = []
        elif tag in {"th", "td"}:
            self._cell = []
            if tag == "th":
                self.tables[-1].headers.append(attrs)
        elif tag == "a":
            self._link = Link(attrs.get("href", ""))
        elif tag == "caption":
            self._caption = []

    def handle_data(self, data: str) -> None:
        for open_text in (self._heading, self._cell, self._caption):
            if open_text is not None:
                open_text.append(data)
        if self._link is not None:
            self._link.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "h4"} and self._heading:
            self.headings.append((self._heading[0], "".join(self._heading[1:]).strip()))
            self._heading = None
        elif tag in {"th", "td"} and self._cell is not None:
            text = "".join(self._cell).strip()
            if tag == "th":
                self.tables[-1].headers[-1]["text"] = text
            elif self._row is not None:
                self._row.append(text)
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1].rows.append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.links.append(self._link)
            self._link = None


def parsed(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    markup.close()
    return markup


@pytest.fixture
def digests(app, pin_clock):
    """Every part at once: a trainer who owns milestones, an HR lead, and a board member with a
    locality three weeks from go-live and not ready."""
    pin_clock(MONDAY)
    app.config["APP_BASE_URL"] = BASE
    programme = create_programme()
    soon = create_locality(programme, name="Taunton", slug="taunton", go_live=date(2026, 12, 21))
    create_locality(programme, name="Mendip", slug="mendip", go_live=date(2027, 9, 6))
    team = create_team(soon, name="Taunton FS")
    create_post(team, "da_victims", status="advertised")
    create_post(team, "adult_mental_health", status="in_post")
    people = [create_staff(team) for _ in range(3)]
    trainer = create_user("trainer", name="Tess <Trainer> & Co", email="tess@westshire.gov.uk")
    create_milestone(soon, title="Partnership agreement signed", due=MONDAY, owner_id=trainer.id)
    course = catalogue.get_course(programme, "mi")
    session = create_session(course, 1, MONDAY + timedelta(days=2), trainer=trainer)
    enrolment.enrol(session, [people[0].id], None)
    create_session(course, 2, MONDAY - timedelta(days=5), trainer=trainer)
    create_user("hr_lead", email="hal@westshire.gov.uk")
    create_user("board_member", email="bea@westshire.gov.uk")
    planned = plan_digests(MONDAY)
    return {digest.user.email: digest for digest in planned.digests}


def test_every_digest_is_a_whole_document_with_inline_styles_only(digests):
    assert set(digests) == {"tess@westshire.gov.uk", "hal@westshire.gov.uk", "bea@westshire.gov.uk"}
    for digest in digests.values():
        markup = parsed(digest.composed.html)
        assert markup.declaration.lower() == "doctype html"
        tags = [tag for tag, _ in markup.tags]
        assert tags[:2] == ["html", "head"]
        assert dict(markup.tags[0][1])["lang"] == "en"
        assert "title" in tags and "body" in tags
        assert "script" not in tags and "style" not in tags and "iframe" not in tags
        assert not [attrs for tag, attrs in markup.tags if tag == "link"], "no style sheets"
        assert not [a for t, a in markup.tags if t == "img" and "http" in a.get("src", "")]
        assert not [a for _t, a in markup.tags if any(k.startswith("on") for k in a)]
        assert not [a for _t, a in markup.tags if "class" in a], "mail clients drop classes"


def test_a_heading_for_the_digest_and_each_part(digests):
    trainer = parsed(digests["tess@westshire.gov.uk"].composed.html)
    assert [text for level, text in trainer.headings if level == "h1"] == [
        "Family Safeguarding: 5 things need you this week"
    ]
    assert [text for level, text in trainer.headings if level == "h2"] == [
        "Your milestones",
        "Training",
    ]
    assert [text for level, text in trainer.headings if level == "h3"] == [
        "Due in the next 14 days",
        "Your sessions in the next 14 days",
        "Your past sessions with no register taken",
        "Staff still to train in localities going live within 3 months",
    ]
    hr = parsed(digests["hal@westshire.gov.uk"].composed.html)
    assert [text for level, text in hr.headings if level == "h2"] == ["Recruitment"]
    board = parsed(digests["bea@westshire.gov.uk"].composed.html)
    assert [text for level, text in board.headings if level == "h2"] == ["Readiness for go-live"]


def test_every_table_has_column_headers_and_full_rows(digests):
    tables = [table for digest in digests.values() for table in parsed(digest.composed.html).tables]
    assert len(tables) >= 4
    for table in tables:
        assert table.headers and all(th.get("scope") == "col" for th in table.headers)
        assert all(th["text"] for th in table.headers)
        assert table.rows and all(len(row) == len(table.headers) for row in table.rows)


def test_readiness_is_a_table_with_rag_in_words(digests):
    board = parsed(digests["bea@westshire.gov.uk"].composed.html)
    headers = [th["text"] for th in board.tables[0].headers]
    # One table a locality, captioned with its name and state (a linked caption, not a column
    # repeating the name on every row).
    assert headers == [
        "Criterion",
        "Value",
        "Threshold",
        "RAG",
        "Change since last digest",
    ]
    rags = [row[headers.index("RAG")] for table in board.tables for row in table.rows]
    assert rags and set(rags) <= RAG_WORDS
    captions = [table.caption.split(" (")[0] for table in board.tables]
    assert sorted(captions) == ["Mendip", "Taunton"]
    assert board.headings[2] == ("h3", "Within 4 weeks of go-live and not ready")


def test_links_say_where_they_go_and_lead_to_the_app(digests):
    for digest in digests.values():
        links = parsed(digest.composed.html).links
        assert links
        for link in links:
            assert link.href.startswith(BASE + "/"), link.href
            assert link.text and link.text.lower() not in VAGUE_LINKS
        for item in digest.items:
            assert any(link.href == item["link"] for link in links)


def test_the_footer_has_the_unsubscribe_and_preferences_links(digests):
    for digest in digests.values():
        links = parsed(digest.composed.html).links
        footer = {link.text: link.href for link in links[-2:]}
        unsubscribe = digest.headers["List-Unsubscribe"].strip("<>")
        preferences = preferences_url()  # the preferences page, or the account page before it
        assert preferences.startswith(f"{BASE}/account")
        assert footer == {
            "Choose which parts of the digest you get": preferences,
            "stop these weekly e-mails": unsubscribe,
        }
        assert unsubscribe in digest.composed.text and preferences in digest.composed.text


def test_names_are_escaped_in_html_and_plain_in_text(digests):
    digest = digests["tess@westshire.gov.uk"]
    assert "Tess &lt;Trainer&gt; &amp; Co" in digest.composed.html
    assert "<Trainer>" not in digest.composed.html
    assert "Hello Tess <Trainer> & Co," in digest.composed.text


def test_the_plain_text_says_the_same_things(digests):
    for digest in digests.values():
        text = digest.composed.text
        markup = parsed(digest.composed.html)
        for level, heading in markup.headings:
            if level != "h1":
                assert heading.upper() in text or heading in text, heading
        for item in digest.items:
            assert f"* {item['text']}\n  {item['link']}" in text
    board = digests["bea@westshire.gov.uk"].composed.text
    assert "  - Adult specialist workers recruited: 50% (1 of 2), threshold 70%, Red." in board
