"""The go-live gate's JSON routes: a locality's readiness and the board's go-live decision, as
scripts see them (the same URLs and documents they had before the API had its own package)."""

from programme.extensions import db
from programme.models import GoLiveDecision
from tests.builders import create_post, create_user
from tests.conftest import make_app, sign_in_as
from tests.queries import count_rows, reread

# The gate's pages and these routes share their data: a programme with a locality and a team,
# and the facts that meet every criterion.
from tests.views.test_readiness import CRITERIA, _make_ready, _setting


def _api_url(locality, suffix: str = "readiness") -> str:
    return f"/api/programmes/{locality.programme.slug}/localities/{locality.slug}/{suffix}"


def test_the_json_readiness_has_every_criterion_and_the_state(app, sign_in):
    programme, locality, team = _setting()
    create_post(team, "da_victims", status="in_post")
    create_post(team, "adult_mental_health", status="vacant")
    client = sign_in(create_user("viewer"))

    response = client.get(_api_url(locality))

    assert response.status_code == 200
    document = response.get_json()
    assert set(document) == {"locality", "as_of", "ready", "criteria", "state"}
    assert (document["locality"], document["as_of"], document["ready"], document["state"]) == (
        "bridgwater",
        "2026-11-30",
        False,
        "planning",
    )
    assert [c["key"] for c in document["criteria"]] == list(CRITERIA)
    assert document["criteria"][0] == {
        "key": "adult_specialists_recruited",
        "label": "Adult specialist workers recruited",
        "actual": 50,
        "threshold": 70,
        "met": False,
        "numerator": 1,
        "denominator": 2,
    }

    earlier = client.get(_api_url(locality) + "?as_of=2026-01-01").get_json()
    assert earlier["as_of"] == "2026-01-01"
    bad = client.get(_api_url(locality) + "?as_of=yesterday")
    assert bad.status_code == 400
    assert bad.get_json() == {"error": "as_of must be a date in the form YYYY-MM-DD."}
    missing = client.get(f"/api/programmes/{programme.slug}/localities/nowhere/readiness")
    assert missing.status_code == 404 and missing.is_json


def test_json_go_live_is_refused_with_the_unmet_criteria_then_recorded_once_met(app, sign_in):
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)
    vacant = create_post(team, "adult_mental_health", status="vacant")  # 1 of 2: 50%
    client = sign_in(create_user("board_member", name="Bea Board"))

    response = client.post(_api_url(locality, "go-live"), json={"note": "Board of 30 November"})

    assert response.status_code == 409
    refusal = response.get_json()
    assert set(refusal) == {"error", "unmet"}
    assert refusal["error"] == (
        "Bridgwater cannot go live: Adult specialist workers recruited is 50% (1 of 2), below 70%."
    )
    assert refusal["unmet"] == [
        {
            "key": "adult_specialists_recruited",
            "label": "Adult specialist workers recruited",
            "actual": 50,
            "threshold": 70,
            "met": False,
            "numerator": 1,
            "denominator": 2,
        }
    ]
    assert count_rows(GoLiveDecision) == 0
    assert reread(locality).state == "planning"

    vacant.status = "in_post"
    db.session.commit()
    response = client.post(_api_url(locality, "go-live"), json={"note": "Board of 30 November"})

    assert response.status_code == 201
    created = response.get_json()
    assert (created["locality"], created["state"]) == ("bridgwater", "live")
    assert created["decision"]["decided_by"] == "Bea Board"
    assert created["decision"]["note"] == "Board of 30 November"
    assert created["decision"]["evidence"]["ready"] is True
    assert reread(locality).state == "live"
    assert client.get(_api_url(locality)).get_json()["state"] == "live"

    again = client.post(_api_url(locality, "go-live"), json={})
    assert again.status_code == 409
    assert again.get_json() == {"error": "Bridgwater is already live."}


def test_json_go_live_refuses_a_note_that_is_not_text(app, sign_in):
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)
    client = sign_in(create_user("board_member"))

    response = client.post(_api_url(locality, "go-live"), json={"note": 42})

    assert response.status_code == 400
    assert response.get_json() == {"error": "note must be text of at most 5000 characters."}
    assert reread(locality).state == "planning"


def test_json_go_live_answers_a_programme_manager_403_and_a_stranger_401_in_json(app, client):
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)

    anonymous = client.post(_api_url(locality, "go-live"), json={})
    assert anonymous.status_code == 401
    assert anonymous.get_json() == {"error": "Sign in first."}

    sign_in_as(client, create_user("programme_manager"))
    response = client.post(_api_url(locality, "go-live"), json={})

    assert response.status_code == 403
    assert response.get_json() == {"error": "Your role may not do this."}
    assert reread(locality).state == "planning"
    assert count_rows(GoLiveDecision) == 0


def test_json_go_live_answers_in_json_with_csrf_protection_on(app, _migrated):
    programme, locality, team = _setting()
    _make_ready(programme, locality, team)
    served = make_app(_migrated, WTF_CSRF_ENABLED=True)
    client = served.test_client()
    sign_in_as(client, create_user("board_member"))
    try:
        # A form post (what another site could forge) is refused; a JSON body is accepted.
        forged = client.post(_api_url(locality, "go-live"), data={"note": "Board"})
        response = client.post(_api_url(locality, "go-live"), json={"note": "Board"})
    finally:
        with served.app_context():
            db.engine.dispose()

    assert (forged.status_code, forged.is_json) == (415, True)
    assert response.is_json, f"{response.status_code} {response.mimetype}"
    assert response.status_code == 201
