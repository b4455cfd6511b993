"""A locality's audit trail page: plain-English changes, filters (who, what kind, dates in the
programme's time zone), paging, bad filters answered at the field, and a fixed query count."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g

from programme.extensions import db
from programme.models import AuditEvent, Locality
from programme.services import localities
from programme.services import milestones as milestone_service
from tests.builders import create_locality, create_milestone, create_user
from tests.conftest import TODAY
from tests.pages import page_of, visible_text


def _url(locality, **args) -> str:
    query = "&".join(f"{name}={value}" for name, value in args.items())
    base = f"/programmes/{locality.programme.slug}/localities/{locality.slug}/audit"
    return f"{base}?{query}" if query else base


def _table(response) -> str:
    found = re.search(
        r'<table class="app-table[^"]*" id="audit">(.*?)</table>', page_of(response), re.S
    )
    return visible_text(found.group(1)) if found else ""


def _event(locality, actor=None, action="update", at=None, **values) -> AuditEvent:
    """An entry on `locality`'s trail by `actor` (a user, a user's id, or None for the system)."""
    event = AuditEvent(
        actor_id=actor if isinstance(actor, int) or actor is None else actor.id,
        action=action,
        entity_type=values.pop("entity_type", "milestone"),
        entity_id=1,
        summary=values.pop("summary", f"{action} entry"),
        programme_id=locality.programme_id,
        locality_id=locality.id,
        at=at or datetime(2026, 11, 2, 12, tzinfo=UTC),
        **values,
    )
    db.session.add(event)
    db.session.commit()
    return event


def _new_request() -> None:
    db.session.remove()
    g.pop("_login_user", None)


def test_changes_read_as_labels_not_keys(app, sign_in):
    ada = create_user("programme_manager", name="Ada Lovelace")
    locality = create_locality(go_live=date(2027, 1, 11))
    milestone = create_milestone(locality, title="Board set up", owner=ada)
    milestone_service.update_milestone(
        milestone.id,
        ada,
        today=TODAY,
        expected_version=None,
        status="in_progress",
        owner_email=None,
    )
    localities.update_locality(
        locality,
        ada,
        today=TODAY,
        name=locality.name,
        wave=locality.wave,
        go_live=date(2027, 1, 25),
    )
    _event(
        locality,
        ada,
        "go_live",
        entity_type="locality",
        summary="Recorded the go-live decision",
        before={"state": "planning"},
        after={"state": "live", "decision": 1, "note": "Board, 8 Jan"},
    )

    response = sign_in(create_user("board_member")).get(_url(locality))

    assert response.status_code == 200
    table = _table(response)
    assert "Status: Not started → In progress" in table
    assert "Owner: Ada Lovelace → No owner" in table
    assert "Go-live date: 11 Jan 2027 → 25 Jan 2027" in table
    assert "State: Planning → Go-live approved" in table
    for key in ("not_started", "in_progress", "go_live", "2027-01-25", "Decision:"):
        assert key not in table


def test_criterion_keys_read_as_the_programme_s_labels(app, sign_in):
    locality = create_locality()
    _event(
        locality,
        action="exception_cleared",
        entity_type="gate_criterion",
        before={"key": "adult_specialists_recruited", "threshold": 66.7, "waived": False},
    )

    table = _table(sign_in(create_user("board_member")).get(_url(locality)))

    assert "adult_specialists_recruited" not in table
    assert re.search(r"Criterion: [A-Z][^:]*recruited", table, re.I)
    assert "Threshold: 66%" in table
    assert "Waived: No" in table


def test_the_filters_offer_the_people_and_kinds_in_the_trail_in_words(app, sign_in):
    ada, grace = create_user(name="Ada Lovelace"), create_user(name="Grace Hopper")
    create_user(name="Nobody Here")
    locality = create_locality()
    _event(locality, ada, "go_live")
    _event(locality, grace, "move_due")
    _event(locality, None, "import")

    page = page_of(sign_in(create_user("board_member")).get(_url(locality)))

    who = visible_text(re.search(r'<select[^>]*id="who".*?</select>', page, re.S).group(0))
    kind = visible_text(re.search(r'<select[^>]*id="kind".*?</select>', page, re.S).group(0))
    assert who.split() == ["Anyone", "Ada", "Lovelace", "Grace", "Hopper", "System"]
    assert "Go-live decision recorded" in kind
    assert "Due date moved with the go-live date" in kind
    assert "Spreadsheet imported" in kind
    assert "go_live" not in kind.replace("go-live", "")


def test_filtering_by_who_kind_and_dates(app, sign_in):
    ada, grace = create_user(name="Ada Lovelace"), create_user(name="Grace Hopper")
    locality = create_locality()
    _event(locality, ada, "go_live", summary="Ada early", at=datetime(2026, 10, 1, 9, tzinfo=UTC))
    _event(locality, ada, "update", summary="Ada late", at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    _event(locality, grace, "update", summary="Grace", at=datetime(2026, 11, 10, 9, tzinfo=UTC))
    _event(locality, None, "import", summary="Nobody", at=datetime(2026, 11, 11, 9, tzinfo=UTC))
    client = sign_in(create_user("board_member"))

    def shown(**args):
        response = client.get(_url(locality, **args))
        assert response.status_code == 200
        return [s for s in ("Ada early", "Ada late", "Grace", "Nobody") if s in _table(response)]

    assert shown(who=ada.id) == ["Ada early", "Ada late"]
    assert shown(who="system") == ["Nobody"]
    assert shown(kind="update") == ["Ada late", "Grace"]
    assert shown(who=ada.id, kind="update") == ["Ada late"]
    assert shown(date_from="2026-11-10", date_to="2026-11-11") == ["Grace", "Nobody"]
    assert shown(date_from="2026-11-11") == ["Ada late", "Nobody"]
    assert shown(date_to="2026-10-01") == ["Ada early"]


def test_a_date_range_is_the_programme_s_days_not_utc_s(app, sign_in):
    locality = create_locality()
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    _event(locality, summary="Just after midnight", at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    client = sign_in(create_user("board_member"))

    assert "Just after midnight" in _table(client.get(_url(locality, date_from="2026-07-01")))
    assert "Just after midnight" not in _table(client.get(_url(locality, date_to="2026-06-30")))


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"who": "99999"}, "who", "Choose who made the change from the list."),
        ({"who": "ada"}, "who", "Choose who made the change from the list."),
        ({"kind": "go_live"}, "kind", "Choose a kind of change from the list."),
        ({"date_from": "31/02/2027"}, "date_from", "Enter the from date as a real date"),
        ({"date_to": "2027-02-30"}, "date_to", "Enter the to date as a real date"),
        (
            {"date_from": "2026-11-01", "date_to": "2026-10-01"},
            "date_to",
            "The to date must be the same as or after the from date.",
        ),
    ],
)
def test_a_bad_filter_is_named_at_its_field_and_left_out(app, sign_in, args, field, message):
    locality = create_locality()
    _event(locality, create_user(name="Ada Lovelace"), "update", summary="Still listed")

    response = sign_in(create_user("board_member")).get(_url(locality, **args))

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert re.search(rf'id="{field}-error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert f'href="#{field}"' in page
    assert "Still listed" in _table(response)


def test_paging_keeps_the_filters_and_says_where_you_are(app, sign_in):
    ada = create_user(name="Ada Lovelace")
    locality = create_locality()
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for number in range(120):
        _event(
            locality,
            ada,
            "update",
            summary=f"Change {number:03}",
            at=start + timedelta(minutes=number),
        )
    _event(locality, None, "import", summary="Other kind")
    client = sign_in(create_user("board_member"))

    first = page_of(client.get(_url(locality, kind="update")))
    assert "Page 1 of 3" in first
    assert "Showing 1 to 50 of 120 changes matching the filters" in visible_text(first)
    assert "Change 119" in first and "Change 069" not in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "kind=update" in next_link and "page=2" in next_link
    assert 'rel="prev"' not in first

    last = page_of(client.get(_url(locality, kind="update", page=3)))
    assert "Page 3 of 3" in last
    assert "Change 019" in last and "Change 020" not in last
    assert "Other kind" not in last
    assert 'rel="next"' not in last
    previous = re.search(r'<a href="([^"]+)" rel="prev">', last).group(1).replace("&amp;", "&")
    assert "kind=update" in previous and "page=2" in previous

    assert "Page 3 of 3" in page_of(client.get(_url(locality, kind="update", page=99)))


def test_an_empty_trail_and_an_empty_filter_say_so(app, sign_in):
    locality = create_locality()
    client = sign_in(create_user("board_member"))

    assert "No changes recorded yet." in visible_text(page_of(client.get(_url(locality))))
    _event(locality, None, "import")
    text = visible_text(page_of(client.get(_url(locality, kind="import", date_to="2026-01-01"))))
    assert "No changes matching the filters." in text


def test_a_page_runs_the_same_queries_for_few_and_many_entries(app, sign_in, count_queries):
    locality = create_locality()
    people = [create_user(name=f"Person {n}") for n in range(3)]
    milestone = create_milestone(locality, owner=people[0])
    milestone_id, emails = milestone.id, [person.email for person in people]
    people_ids, locality_id = [person.id for person in people], locality.id
    _event(locality, people[0], "update", before={"owner": people[0].email}, after={"owner": None})
    client = sign_in(create_user("board_member"))
    url = _url(locality)
    client.get(url)

    _new_request()
    with count_queries() as few:
        assert client.get(url).status_code == 200

    locality = db.session.get(Locality, locality_id)
    for number in range(60):
        _event(
            locality,
            people_ids[number % 3],
            ("update", "sign_off", "go_live")[number % 3],
            entity_type=("milestone", "gate_criterion", "post")[number % 3],
            before={"owner": emails[number % 3], "key": "trained_mi", "team_id": 1},
            after={"owner": emails[(number + 1) % 3], "role_id": milestone_id},
        )
    _new_request()
    with count_queries() as many:
        assert client.get(url).status_code == 200

    assert many.count == few.count, "\n".join(many.statements)
