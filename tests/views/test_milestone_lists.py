"""Milestones at speed: the programme-wide list and the locality page, filtered and sorted;
one row's status changed with or without JavaScript; several rows changed at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from programme.extensions import db
from programme.models import Locality, Milestone
from tests.builders import (
    create_locality,
    create_milestone,
    create_programme,
    create_user,
    create_workstream,
)
from tests.conftest import TODAY
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows, reread


@dataclass
class World:
    programme: object
    south: Locality
    mendip: Locality
    manager: object
    helen: object
    governance: object
    workforce: object
    m: dict[str, Milestone]


@pytest.fixture
def world(app) -> World:
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    south = create_locality(programme, name="South Somerset", slug="south-somerset")
    mendip = create_locality(programme, name="Mendip", slug="mendip")
    manager = create_user("programme_manager", name="Priya Shah")
    helen = create_user("hr_lead", name="Helen Rees")
    governance = create_workstream(programme, "Governance and partnership")
    workforce = create_workstream(programme, "Workforce and recruitment")
    m = {
        "board": create_milestone(
            south,
            workstream=governance,
            title="Board set up",
            due=TODAY - timedelta(days=3),
            gate_critical=True,
        ),
        "jobs": create_milestone(
            south,
            workstream=workforce,
            title="Job descriptions agreed",
            due=TODAY + timedelta(days=10),
            owner=helen,
        ),
        "recruit": create_milestone(
            mendip,
            workstream=workforce,
            title="Recruitment under way",
            due=TODAY + timedelta(days=5),
            status="in_progress",
            owner=manager,
        ),
        "partners": create_milestone(
            mendip,
            workstream=governance,
            title="Partners signed",
            due=TODAY - timedelta(days=20),
            status="done",
        ),
    }
    comms = Milestone(
        workstream=governance, locality=None, title="Comms plan", due=date(2027, 3, 5)
    )
    comms.status = "blocked"
    db.session.add(comms)
    db.session.commit()
    m["comms"] = comms
    return World(programme, south, mendip, manager, helen, governance, workforce, m)


def _list_url(world: World) -> str:
    return f"/programmes/{world.programme.slug}/milestones"


def _rows(page: str) -> list[int]:
    return [int(mid) for mid in re.findall(r'<tr id="milestone-(\d+)"', page)]


def _titles(world: World, page: str) -> list[str]:
    by_id = {milestone.id: milestone.title for milestone in world.m.values()}
    return sorted(by_id[mid] for mid in _rows(page))


# ------------------------------------------------------------------ the list and its filters


def test_the_programme_list_shows_every_locality_and_the_programme_wide_milestones(world, sign_in):
    page = page_of(sign_in(create_user("viewer")).get(_list_url(world)))

    assert len(_rows(page)) == 5
    assert "Showing 5 of 5 milestones · 1 overdue" in visible_text(page)
    row = re.search(rf'<tr id="milestone-{world.m["comms"].id}".*?</tr>', page, re.S).group(0)
    assert 'data-label="Locality">Programme-wide' in row
    # A viewer changes nothing: no row forms, no bulk form.
    assert "/status" not in page and "bulk-milestones" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=done", ["Partners signed"]),
        ("owner=me", ["Recruitment under way"]),
        ("owner=none", ["Board set up", "Comms plan", "Partners signed"]),
        ("owner=HELEN", ["Job descriptions agreed"]),
        ("rag=amber", ["Job descriptions agreed"]),
        ("rag=red", ["Board set up", "Comms plan"]),
        ("workstream=WORKFORCE", ["Job descriptions agreed", "Recruitment under way"]),
        ("gate_critical=yes", ["Board set up"]),
        ("overdue=yes", ["Board set up"]),
        ("due_before=2026-12-01", ["Board set up", "Partners signed"]),
        ("locality=mendip", ["Partners signed", "Recruitment under way"]),
        ("locality=programme-wide", ["Comms plan"]),
        ("locality=south-somerset&overdue=yes", ["Board set up"]),
    ],
)
def test_each_filter_narrows_the_list(world, sign_in, query, expected):
    query = query.replace("HELEN", str(world.helen.id)).replace(
        "WORKFORCE", str(world.workforce.id)
    )
    client = sign_in(world.manager)

    response = client.get(f"{_list_url(world)}?{query}")

    assert response.status_code == 200
    page = page_of(response)
    assert _titles(world, page) == expected
    assert f"Showing {len(expected)} of 5 milestones" in visible_text(page)
    assert "Clear filters" in page


def test_the_locality_page_filters_its_own_and_the_programme_wide_milestones(world, sign_in):
    client = sign_in(world.manager)
    url = f"/programmes/{world.programme.slug}/localities/{world.south.slug}"

    everything = page_of(client.get(url))
    red = page_of(client.get(f"{url}?rag=red"))

    assert _titles(world, everything) == [
        "Board set up",
        "Comms plan",
        "Job descriptions agreed",
    ]
    assert _titles(world, red) == ["Board set up", "Comms plan"]
    # The locality page has no locality filter: it is the locality.
    assert 'id="filter-locality"' not in everything


def test_unknown_filter_values_are_ignored_with_a_notice(world, sign_in):
    client = sign_in(world.manager)

    response = client.get(
        f"{_list_url(world)}?status=finished&rag=purple&owner=99999&locality=atlantis"
        "&workstream=abc&due_before=soon&overdue=maybe&sort=sideways"
    )

    assert response.status_code == 200
    page = page_of(response)
    assert len(_rows(page)) == 5
    text = visible_text(page)
    for notice in (
        "There is no status “finished”: the list shows every status.",
        "There is no RAG status “purple”",
        "There is no owner “99999”",
        "There is no locality “atlantis”",
        "There is no workstream “abc”",
        "“soon” is not a date",
        "“maybe” is not a choice for overdue",
        "The list cannot be sorted by “sideways”",
    ):
        assert notice in text


@pytest.mark.parametrize(("sort", "reverse"), [("due", False), ("due-desc", True)])
def test_the_list_sorts_by_due_date(world, sign_in, sort, reverse):
    page = page_of(sign_in(world.manager).get(f"{_list_url(world)}?sort={sort}"))

    dues = [db.session.get(Milestone, mid).due for mid in _rows(page)]
    assert dues == sorted(dues, reverse=reverse)
    assert '<th scope="col">Workstream</th>' in page  # a flat list names each workstream


def test_the_programme_list_runs_the_same_queries_for_1_or_6_localities(
    app, sign_in, count_queries
):
    programme = create_programme("Somerset Family Safeguarding", "somerset")
    manager = create_user("programme_manager")
    workstream = create_workstream(programme, "Governance and partnership")
    first = create_locality(programme)
    for _ in range(3):
        create_milestone(first, workstream=workstream, owner=create_user("hr_lead"))
    client = sign_in(manager)
    url = f"/programmes/{programme.slug}/milestones?sort=due"
    client.get(url)

    db.session.remove()
    with count_queries() as with_one:
        assert client.get(url).status_code == 200

    for _ in range(5):
        locality = create_locality(programme)
        other = create_workstream(programme)
        for _ in range(3):
            create_milestone(locality, workstream=other, owner=create_user("trainer"))
    db.session.remove()
    with count_queries() as with_six:
        response = client.get(url)
    assert len(_rows(page_of(response))) == 18

    assert with_six.count == with_one.count, "\n".join(with_six.statements)


# ------------------------------------------------------------------ one row's status


def _row_form(milestone: Milestone, status: str, next_url: str, version=None) -> dict:
    return {
        "version": str(milestone.version if version is None else version),
        "status": status,
        "next": next_url,
    }


def test_a_row_status_change_redirects_back_to_the_filtered_list_at_the_row(world, sign_in):
    client = sign_in(world.manager)
    board = world.m["board"]
    back = f"{_list_url(world)}?overdue=yes&sort=due"

    response = client.post(f"/milestones/{board.id}/status", data=_row_form(board, "done", back))

    assert response.status_code == 302
    assert response.headers["Location"] == f"{back}#milestone-{board.id}"
    assert reread(board).status == "done"
    [event] = audit_events_for("milestone", board.id)
    assert event.actor_id == world.manager.id


def test_a_row_status_change_answers_json_with_the_row_when_asked(world, sign_in):
    client = sign_in(world.manager)
    board = world.m["board"]

    response = client.post(
        f"/milestones/{board.id}/status",
        data=_row_form(board, "in_progress", _list_url(world)),
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json["message"] == "Saved “Board set up”."
    row = response.json["row_html"]
    assert f'<tr id="milestone-{board.id}" data-status="in_progress"' in row
    assert f'name="version" value="{reread(board).version}"' in row


def test_a_stale_row_change_is_refused_with_the_reason_on_the_row(world, sign_in):
    client = sign_in(world.manager)
    board = world.m["board"]
    seen = board.version
    client.post(f"/milestones/{board.id}/status", data=_row_form(board, "in_progress", ""))

    page_answer = client.post(
        f"/milestones/{board.id}/status",
        data=_row_form(board, "done", _list_url(world), version=seen),
    )
    json_answer = client.post(
        f"/milestones/{board.id}/status",
        data=_row_form(board, "done", _list_url(world), version=seen),
        headers={"Accept": "application/json"},
    )

    assert page_answer.status_code == 409
    row = re.search(rf'<tr id="milestone-{board.id}".*?</tr>', page_of(page_answer), re.S)
    assert "Someone else changed “Board set up” after you opened it" in row.group(0)
    assert json_answer.status_code == 409
    assert "Someone else changed “Board set up”" in json_answer.json["message"]
    assert "Someone else changed" in json_answer.json["row_html"]
    assert reread(board).status == "in_progress"


def test_an_owner_changes_her_own_row_but_not_another(world, sign_in):
    client = sign_in(world.helen)
    jobs, board = world.m["jobs"], world.m["board"]

    mine = client.post(f"/milestones/{jobs.id}/status", data=_row_form(jobs, "done", ""))
    theirs = client.post(f"/milestones/{board.id}/status", data=_row_form(board, "done", ""))

    assert mine.status_code == 302
    assert theirs.status_code == 403
    assert reread(board).status == "not_started"


def test_a_row_change_never_redirects_off_the_site(world, sign_in):
    board = world.m["board"]

    response = sign_in(world.manager).post(
        f"/milestones/{board.id}/status",
        data=_row_form(board, "done", "https://evil.example/programmes/somerset/milestones"),
    )

    assert response.headers["Location"] == f"{_list_url(world)}#milestone-{board.id}"


# ------------------------------------------------------------------ bulk changes


def _bulk(milestones: list[Milestone], action: str, next_url: str, **fields) -> dict:
    data = {"action": action, "next": next_url, "milestone": [str(m.id) for m in milestones]}
    data.update({f"version-{m.id}": str(m.version) for m in milestones})
    data.update(fields)
    return data


def test_bulk_marks_two_overdue_milestones_done_and_returns_to_the_filtered_list(world, sign_in):
    other = create_milestone(
        world.south, workstream=world.governance, title="Agreement signed", due=TODAY - timedelta(1)
    )
    chosen = [world.m["board"], other]
    client = sign_in(world.manager)
    back = f"{_list_url(world)}?overdue=yes"
    before = page_of(client.get(back))
    assert "Showing 2 of 6 milestones · 2 overdue" in visible_text(before)

    response = client.post(
        f"{_list_url(world)}/bulk", data=_bulk(chosen, "status", back, status="done")
    )

    assert response.status_code == 302
    assert response.headers["Location"] == back
    after = client.get(back)
    assert "Marked 2 milestones done." in page_of(after)
    assert "Showing 0 of 6 milestones · 0 overdue" in visible_text(page_of(after))
    for milestone in chosen:
        assert reread(milestone).status == "done"
        [event] = audit_events_for("milestone", milestone.id)
        assert event.actor_id == world.manager.id


def test_bulk_sets_the_owner(world, sign_in):
    chosen = [world.m["board"], world.m["comms"]]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk(chosen, "owner", _list_url(world), owner=world.helen.email),
        follow_redirects=True,
    )

    assert "Gave 2 milestones to Helen Rees." in page_of(response)
    assert {reread(m).owner_id for m in chosen} == {world.helen.id}


@pytest.mark.parametrize(("days", "expected"), [(1, date(2026, 12, 29)), (-1, date(2026, 12, 23))])
def test_bulk_moves_due_dates_by_working_days_across_christmas(world, sign_in, days, expected):
    # Thursday 24 December 2026: Christmas, the weekend and Boxing Day's substitute follow.
    jobs = world.m["jobs"]
    jobs.due = date(2026, 12, 24)
    db.session.commit()

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([jobs], "move", _list_url(world), days=str(days)),
        follow_redirects=True,
    )

    word = "later" if days > 0 else "earlier"
    assert f"Moved the due date of 1 milestone 1 working day {word}." in page_of(response)
    assert reread(jobs).due == expected


def test_one_stale_row_refuses_the_whole_bulk_change(world, sign_in):
    board, comms = world.m["board"], world.m["comms"]
    data = _bulk([board, comms], "status", _list_url(world), status="done")
    client = sign_in(world.manager)
    client.post(f"/milestones/{comms.id}/status", data=_row_form(comms, "in_progress", ""))
    events_before = count_rows(Milestone)

    response = client.post(f"{_list_url(world)}/bulk", data=data)

    assert response.status_code == 409
    assert "Someone else changed “Comms plan”" in page_of(response)
    assert reread(board).status == "not_started"
    assert reread(comms).status == "in_progress"
    assert audit_events_for("milestone", board.id) == []
    assert count_rows(Milestone) == events_before
    # The selection is kept, so she can look again and resubmit.
    assert re.search(rf'id="select-{board.id}"[^>]*checked', page_of(response))


def test_a_milestone_of_another_programme_refuses_the_whole_bulk_change(world, sign_in):
    elsewhere = create_locality(create_programme("Dorset Family Safeguarding", "dorset"))
    foreign = create_milestone(elsewhere, title="Dorset board set up")
    board = world.m["board"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([board, foreign], "status", _list_url(world), status="done"),
    )

    assert response.status_code == 400
    assert "“Dorset board set up” belongs to another programme" in page_of(response)
    assert reread(board).status == "not_started"
    assert reread(foreign).status == "not_started"


def test_bulk_with_nothing_selected_says_so(world, sign_in):
    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk", data={"action": "status", "status": "done"}
    )

    assert response.status_code == 400
    assert "Select at least one milestone to change." in page_of(response)


def test_a_viewer_may_not_bulk_change(world, sign_in):
    board = world.m["board"]
    response = sign_in(create_user("viewer")).post(
        f"{_list_url(world)}/bulk", data=_bulk([board], "status", "", status="done")
    )
    assert response.status_code == 403


# ------------------------------------------------------------------ programme-wide, links


def test_a_programme_wide_milestone_is_added_and_edited_from_the_programme_list(world, sign_in):
    client = sign_in(world.manager)

    response = client.post(
        f"{_list_url(world)}/new",
        data={
            "title": "Evaluation partner chosen",
            "workstream": "Governance and partnership",
            "due": "2027-02-01",
            "owner": "",
            "description": "",
        },
    )

    added = db.session.scalar(
        select(Milestone).where(Milestone.title == "Evaluation partner chosen")
    )
    assert added.locality_id is None
    assert response.headers["Location"] == f"{_list_url(world)}#milestone-{added.id}"
    edited = client.post(
        f"/milestones/{added.id}/edit",
        data={"version": str(added.version), "status": "in_progress", "owner": "", "notes": ""},
    )
    assert edited.headers["Location"] == f"{_list_url(world)}#milestone-{added.id}"


def test_the_overview_counts_and_timeline_cards_link_to_the_milestones(world, sign_in):
    client = sign_in(create_user("viewer"))

    overview = page_of(client.get(f"/programmes/{world.programme.slug}"))
    timeline = page_of(
        client.get(f"/programmes/{world.programme.slug}/localities/{world.south.slug}/timeline")
    )

    assert f'href="{_list_url(world)}?locality=south-somerset&overdue=yes"' in overview
    assert f'href="{_list_url(world)}?locality=mendip"' in overview
    board = world.m["board"]
    assert (
        f'href="/programmes/{world.programme.slug}/localities/{world.south.slug}'
        f'#milestone-{board.id}"' in timeline
    )


def test_bulk_status_changes_inherit_every_refusal_of_a_single_change(world, sign_in, monkeypatch):
    # Bulk goes through services.milestones.update_milestone, so a rule there (such as the
    # launch milestone that only the go-live decision may complete) refuses the whole change.
    from programme.services import milestones as milestone_service

    apply_status = milestone_service._apply_status
    comms = world.m["comms"]

    def refuse_comms(milestone, status, today):
        if milestone.id == comms.id:
            raise milestone_service.ServiceError("Only the board's decision changes it.", "status")
        apply_status(milestone, status, today)

    monkeypatch.setattr(milestone_service, "_apply_status", refuse_comms)
    board = world.m["board"]

    response = sign_in(world.manager).post(
        f"{_list_url(world)}/bulk",
        data=_bulk([board, comms], "status", _list_url(world), status="done"),
    )

    assert response.status_code == 400
    assert "“Comms plan”: Only the board's decision changes it. Nothing was changed." in page_of(
        response
    )
    assert reread(board).status == "not_started"
    assert audit_events_for("milestone", board.id) == []
