"""Personal API tokens as a service: made with a name and audited, revoked only by their own
user and audited, recognised only while neither revoked nor belonging to a deactivated user."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from programme.services import api_tokens, users
from programme.services.errors import Conflict, NotFound, ServiceError
from tests.builders import create_user
from tests.queries import audit_events_for, reread


def test_a_new_token_is_named_audited_and_shown_only_as_its_prefix(app):
    user = create_user("viewer")

    issued = api_tokens.create_token(user, "  Nightly report  ")

    assert issued.record.name == "Nightly report"
    assert issued.secret.startswith("fst_") and issued.secret.startswith(issued.record.prefix)
    [event] = audit_events_for("api_token", issued.record.id)
    assert (event.action, event.actor_id) == ("create", user.id)
    assert event.after == {"name": "Nightly report", "prefix": issued.record.prefix}
    assert issued.secret not in event.summary + str(event.after)


def test_every_token_is_different(app):
    user = create_user("viewer")

    secrets = {api_tokens.create_token(user, f"Script {n}").secret for n in range(5)}

    assert len(secrets) == 5


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Enter a name for the token, such as the script or service that will use it."),
        ("x" * 101, "The name must be at most 100 characters."),
    ],
)
def test_a_token_needs_a_short_name(app, name, message):
    with pytest.raises(ServiceError) as refusal:
        api_tokens.create_token(create_user("viewer"), name)

    assert (refusal.value.field, refusal.value.message) == ("name", message)


def test_a_user_revokes_their_own_token_and_it_is_audited(app):
    user = create_user("viewer")
    issued = api_tokens.create_token(user, "Old script")

    api_tokens.revoke_token(user, issued.record.id)

    assert reread(issued.record).revoked
    assert api_tokens.authenticate(issued.secret) is None
    events = audit_events_for("api_token", issued.record.id)
    assert [e.action for e in events] == ["create", "revoke"]
    assert (events[1].before, events[1].after) == ({"revoked": False}, {"revoked": True})


def test_a_token_is_revoked_once(app):
    user = create_user("viewer")
    issued = api_tokens.create_token(user, "Old script")
    api_tokens.revoke_token(user, issued.record.id)

    with pytest.raises(Conflict):
        api_tokens.revoke_token(user, issued.record.id)


def test_a_user_cannot_revoke_or_see_another_user_s_token(app):
    owner, other = create_user("viewer"), create_user("admin")
    issued = api_tokens.create_token(owner, "Mine")

    with pytest.raises(NotFound):
        api_tokens.revoke_token(other, issued.record.id)
    with pytest.raises(NotFound):
        api_tokens.get_token(other, issued.record.id)

    assert not reread(issued.record).revoked
    assert api_tokens.tokens_of(other) == []


def test_a_token_names_its_user_while_the_user_is_active(app):
    user = create_user("viewer")
    issued = api_tokens.create_token(user, "Script")

    assert api_tokens.authenticate(issued.secret) == user
    assert api_tokens.authenticate(issued.secret + "x") is None
    assert api_tokens.authenticate("") is None

    users.set_active(user.id, False, create_user("admin"))
    assert api_tokens.authenticate(issued.secret) is None


def test_last_used_is_recorded_at_most_once_a_minute(app):
    issued = api_tokens.create_token(create_user("viewer"), "Script")
    app.config["NOW"] = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    api_tokens.authenticate(issued.secret)
    first = reread(issued.record).last_used_at

    app.config["NOW"] = datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)
    api_tokens.authenticate(issued.secret)
    assert reread(issued.record).last_used_at == first

    app.config["NOW"] = datetime(2026, 11, 30, 9, 2, tzinfo=UTC)
    api_tokens.authenticate(issued.secret)
    assert reread(issued.record).last_used_at.replace(tzinfo=UTC) == app.config["NOW"]


def test_a_user_s_tokens_list_those_working_first_newest_first(app):
    user = create_user("viewer")
    first = api_tokens.create_token(user, "First").record
    second = api_tokens.create_token(user, "Second").record
    third = api_tokens.create_token(user, "Third").record
    api_tokens.revoke_token(user, third.id)

    assert [token.name for token in api_tokens.tokens_of(user)] == ["Second", "First", "Third"]
    assert {first.id, second.id, third.id} == {t.id for t in api_tokens.tokens_of(user)}
