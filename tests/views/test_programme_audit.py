"""The programme's audit trail page: every change in the programme (its own and its localities'),
the locality trail's filters plus locality and channel, bad filters named at the field, paging,
the download, and the link from the overview for those who may read it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from programme.extensions import db
from programme.models import AuditEvent
from tests.builders import create_locality, create_programme, create_user
from tests.pages import page_of, visible_text


def _url(programme, **args) -> str:
    query = "&".join(f"{name}={value}" for name, value in args.items())
    base = f"/programmes/{programme.slug}/audit"
    return f"{base}?{query}" if query else base


def _table(response) -> str:
    found = re.search(
        r'<table class="app-table[^"]*" id="audit">(.*?)</table>', page_of(response), re.S
    )
    return visible_text(found.group(1)) if found else ""


def _event(programme, locality=None, actor=None, action="update", channel="web", **values):
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        channel=channel,
        entity_type=values.pop("entity_type", "programme"),
        entity_id=1,
        summary=values.pop("summary", f"{action} entry"),
        programme_id=programme.id,
        locality_id=locality.id if locality else None,
        at=values.pop("at", datetime(2026, 11, 2, 12, tzinfo=UTC)),
        **values,
    )
    db.session.add(event)
    db.session.commit()
    return event


@pytest.fixture
def world(app):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    other = create_programme("Devon Family Safeguarding", "devon")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    taunton = create_locality(programme, name="Taunton", slug="taunton")
    ada = create_user("programme_manager", name="Ada Lovelace")
    _event(programme, None, ada, "update", entity_type="gate_criterion", summary="Threshold moved")
    _event(programme, mendip, ada, "go_live", channel="cli", summary="Mendip went live")
    _event(programme, taunton, None, "import", channel="scheduler", summary="Taunton expired")
    _event(other, None, ada, "update", summary="Devon changed")
    return programme, ada


def test_the_page_lists_every_programme_event_and_no_other_programme_s(world, sign_in):
    programme, _ada = world
    response = sign_in(create_user("board_member")).get(_url(programme))

    assert response.status_code == 200
    rows = _table(response)
    assert "Threshold moved" in rows and "Mendip went live" in rows and "Taunton expired" in rows
    assert "Devon changed" not in rows
    assert "command line, acting as Ada Lovelace" in rows
    assert "scheduled job" in rows
    assert "Mendip" in rows  # the locality column


@pytest.mark.parametrize(
    ("args", "shown", "hidden"),
    [
        ({"locality": "mendip"}, "Mendip went live", "Threshold moved"),
        ({"channel": "cli"}, "Mendip went live", "Taunton expired"),
        ({"channel": "scheduler"}, "Taunton expired", "Mendip went live"),
        ({"kind": "import"}, "Taunton expired", "Threshold moved"),
        ({"who": "system"}, "Taunton expired", "Mendip went live"),
    ],
)
def test_filters_by_locality_channel_kind_and_who(world, sign_in, args, shown, hidden):
    programme, _ada = world
    response = sign_in(create_user("board_member")).get(_url(programme, **args))

    assert response.status_code == 200
    rows = _table(response)
    assert shown in rows and hidden not in rows
    assert "matching the filters" in visible_text(page_of(response))


def test_the_filters_offer_the_trail_s_localities_and_channels_in_words(world, sign_in):
    programme, _ada = world
    page = page_of(sign_in(create_user("board_member")).get(_url(programme)))

    channel = re.search(r'<select[^>]*id="channel".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", channel) == [
        "Any way",
        "Web pages",
        "Command line",
        "Scheduled job",
    ]
    locality = re.search(r'<select[^>]*id="locality".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", locality) == [
        "Any locality",
        "Mendip",
        "Taunton",
    ]


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"locality": "exeter"}, "locality", "Choose a locality from the list."),
        ({"channel": "json"}, "channel", "Choose how the change was made from the list."),
        ({"channel": "fax"}, "channel", "Choose how the change was made from the list."),
        ({"kind": "nonsense"}, "kind", "Choose a kind of change from the list."),
        ({"date_from": "2026-13-01"}, "date_from", "Enter the from date as a real date"),
    ],
)
def test_a_bad_filter_is_named_at_its_field_and_left_out(world, sign_in, args, field, message):
    programme, _ada = world
    response = sign_in(create_user("board_member")).get(_url(programme, **args))

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert re.search(rf'id="{field}-error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert "Threshold moved" in _table(response)


def test_paging_keeps_the_filters(app, sign_in):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for number in range(60):
        _event(
            programme,
            mendip,
            None,
            channel="cli",
            summary=f"Change {number:03}",
            at=start + timedelta(minutes=number),
        )
    client = sign_in(create_user("board_member"))

    first = page_of(client.get(_url(programme, channel="cli", locality="mendip")))

    assert "Page 1 of 2" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "channel=cli" in next_link and "locality=mendip" in next_link and "page=2" in next_link


def test_the_download_holds_the_locality_and_who_columns(world, sign_in):
    programme, _ada = world
    response = sign_in(create_user("board_member")).get(_url(programme, download="csv"))

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Locality" in text.splitlines()[0] or "Locality" in text
    assert "command line, acting as Ada Lovelace" in text
    assert "Devon changed" not in text


def test_the_overview_links_the_trail_only_for_those_who_may_read_it(world, sign_in, client):
    programme, _ada = world
    overview = f"/programmes/{programme.slug}"

    board = page_of(sign_in(create_user("board_member")).get(overview))
    assert 'id="programme-audit-link"' in board
    viewer = create_user("viewer")
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    viewer_page = page_of(sign_in(viewer).get(overview))
    assert 'id="programme-audit-link"' not in viewer_page
    assert sign_in(viewer).get(_url(programme)).status_code == 403


def test_a_page_runs_the_same_queries_for_few_and_many_entries(app, sign_in, count_queries):
    from flask import g

    programme = create_programme("Somerset Family Safeguarding", "somerset")
    places = [create_locality(programme, name=f"Place {n}", slug=f"place-{n}") for n in range(3)]
    people = [create_user(name=f"Person {n}") for n in range(3)]
    programme_id = programme.id
    _event(programme, places[0], people[0], before={"owner": people[0].email})
    client = sign_in(create_user("board_member"))
    url = _url(programme)
    client.get(url)

    def new_request():
        db.session.remove()
        g.pop("_login_user", None)

    new_request()
    with count_queries() as few:
        assert client.get(url).status_code == 200

    programme = db.session.get(type(programme), programme_id)
    places = [db.session.merge(place) for place in places]
    people = [db.session.merge(person) for person in people]
    for number in range(40):
        _event(
            programme,
            places[number % 3] if number % 4 else None,
            people[number % 3],
            ("update", "go_live", "import")[number % 3],
            channel=("web", "cli", "json", "scheduler")[number % 4],
            before={"owner": people[number % 3].email},
        )
    new_request()
    with count_queries() as many:
        assert client.get(url).status_code == 200

    assert many.count == few.count, "\n".join(many.statements)
