"""The administrators' security log page: newest first, filtered by kind, e-mail address, network
address and dates, a page at a time; bad filters named at the field; admins only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from programme.extensions import db
from programme.models import SecurityEvent
from tests.builders import create_user
from tests.pages import page_of, visible_text

URL = "/admin/security"


def _event(kind, email="ann@example.org", address="203.0.113.7", at=None, **values):
    event = SecurityEvent(
        kind=kind,
        email=email,
        address=address,
        at=at or datetime(2026, 11, 2, 12, tzinfo=UTC),
        **values,
    )
    db.session.add(event)
    db.session.commit()
    return event


def _rows(response) -> list[str]:
    page = page_of(response)
    table = re.search(r'<table[^>]*id="security-events">(.*?)</table>', page, re.S)
    if not table:
        return []
    return [
        visible_text(row)
        for row in re.findall(r"<tr data-kind[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def _url(**args) -> str:
    return URL + ("?" + "&".join(f"{k}={v}" for k, v in args.items()) if args else "")


@pytest.fixture
def admin(app, sign_in):
    return sign_in(create_user("admin"))


@pytest.fixture
def logged(app):
    _event("sign_in", at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    _event(
        "sign_in_failed",
        email="bob@example.org",
        address="198.51.100.4",
        at=datetime(2026, 11, 3, 9, tzinfo=UTC),
    )
    _event(
        "refused",
        path="/admin/users",
        detail="403 GET",
        channel="web",
        at=datetime(2026, 11, 5, 9, tzinfo=UTC),
    )


def test_the_log_lists_events_newest_first_in_words(admin, logged):
    response = admin.get(URL)

    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 3
    assert rows[0].startswith("5 Nov 2026") and "Request refused" in rows[0]
    assert "/admin/users" in rows[0] and "403 GET" in rows[0] and "Web pages" in rows[0]
    assert "Sign-in failed" in rows[1] and "bob@example.org" in rows[1]
    assert "Signed in" in rows[2]


@pytest.mark.parametrize(
    ("args", "count", "expected"),
    [
        ({"kind": "sign_in_failed"}, 1, "bob@example.org"),
        ({"email": "BOB@"}, 1, "Sign-in failed"),
        ({"email": "ann"}, 2, "ann@example.org"),
        ({"address": "198.51."}, 1, "bob@example.org"),
        ({"date_from": "2026-11-02", "date_to": "2026-11-04"}, 1, "bob@example.org"),
        ({"date_from": "2026-11-04"}, 1, "Request refused"),
    ],
)
def test_filters(admin, logged, args, count, expected):
    response = admin.get(_url(**args))

    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == count and all(expected in row for row in rows)
    assert "matching the filters" in visible_text(page_of(response))


def test_a_percent_sign_in_the_e_mail_filter_matches_only_itself(admin, logged):
    assert _rows(admin.get(_url(email="%25"))) == []


@pytest.mark.parametrize(
    ("args", "field", "message", "rows"),
    [
        ({"kind": "made_up"}, "kind", "Choose what happened from the list.", 3),
        (
            {"address": "203.0.113.7%3Bdrop"},
            "address",
            "Enter the network address with digits",
            3,
        ),
        ({"date_to": "2026-02-30"}, "date_to", "Enter the to date as a real date", 3),
        (  # the valid from date still applies
            {"date_from": "2026-11-05", "date_to": "2026-11-01"},
            "date_to",
            "The to date must be the same as or after the from date.",
            1,
        ),
    ],
)
def test_a_bad_filter_is_named_at_its_field_and_left_out(admin, logged, args, field, message, rows):
    response = admin.get(_url(**args))

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert re.search(rf'id="{field}-error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert len(_rows(response)) == rows


def test_paging_keeps_the_filters(admin):
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for number in range(55):
        _event(
            "sign_in_failed", email=f"p{number}@example.org", at=start + timedelta(minutes=number)
        )

    first = page_of(admin.get(_url(kind="sign_in_failed")))

    assert "Page 1 of 2" in first
    assert "Showing 1 to 50 of 55 events matching the filters" in visible_text(first)
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "kind=sign_in_failed" in next_link and "page=2" in next_link


def test_an_empty_log_says_so(admin):
    assert "No events recorded yet." in visible_text(page_of(admin.get(URL)))


@pytest.mark.parametrize("role", ["programme_manager", "board_member", "hr_lead", "viewer"])
def test_only_administrators_may_read_it(app, sign_in, role):
    assert sign_in(create_user(role)).get(URL).status_code == 403


def test_the_admin_users_page_links_the_log(admin):
    assert 'id="security-log-link"' in page_of(admin.get("/admin/users"))
