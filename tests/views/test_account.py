"""The account page: a user names and creates a personal API token, sees it once (and never
again on any page), and revokes it after confirming; nobody reaches another user's tokens; the
forms carry CSRF tokens."""

from __future__ import annotations

import re

import pytest

from programme.models import ApiToken
from programme.services import api_tokens
from tests.builders import create_user
from tests.conftest import sign_in_as
from tests.pages import page_of, visible_text
from tests.queries import count_rows, reread


def _created_token(response) -> str:
    match = re.search(r'id="token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the new token is not on the page"
    return match.group(1)


def test_the_header_links_to_the_account_page(app, sign_in):
    client = sign_in(create_user("viewer", name="Val Viewer"))

    page = page_of(client.get("/my-milestones"))

    assert 'Signed in as Val Viewer (Viewer) · <a href="/account">Your account</a>' in page


def test_the_account_page_invites_a_first_token(app, sign_in):
    client = sign_in(create_user("trainer", email="tess@example.org"))

    response = client.get("/account")

    page = page_of(response)
    assert response.status_code == 200
    assert "tess@example.org" in page
    assert "You have no API tokens." in page
    assert '<label class="app-label" for="name">Token name</label>' in page


def test_a_new_token_is_shown_once_and_never_again(app, sign_in):
    user = create_user("viewer")
    client = sign_in(user)

    created = client.post("/account/tokens", data={"name": "Nightly report"})

    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    text = visible_text(page_of(created))
    assert "Copy the token now. You will not see it again" in text
    token = _created_token(created)
    [record] = api_tokens.tokens_of(user)
    assert token.startswith(record.prefix) and len(token) > 40

    later = [
        client.get("/account"),
        client.get(f"/account/tokens/{record.id}/revoke"),
        client.get("/my-milestones"),
    ]
    for response in later:
        assert response.status_code == 200
        assert token not in response.get_data(as_text=True)
    account = page_of(later[0])
    assert "Nightly report" in account and f"{record.prefix}…" in account
    assert "Active" in account and "Never" in account
    with client.session_transaction() as session:
        assert token not in str(dict(session))  # not in a flash message, nor anywhere else


def test_resubmitting_the_new_token_form_makes_no_second_token(app, sign_in):
    """The page that shows a new token answers a POST (its secret must not pass through a
    redirect), so a refresh resubmits the form: the same name is refused while it is active."""
    user = create_user("viewer")
    client = sign_in(user)
    client.post("/account/tokens", data={"name": "Nightly report"})

    again = client.post("/account/tokens", data={"name": "nightly REPORT"})

    assert again.status_code == 409
    assert "You already have an active token called “nightly REPORT”" in page_of(again)
    assert count_rows(ApiToken) == 1
    [record] = api_tokens.tokens_of(user)
    api_tokens.revoke_token(user, record.id)
    assert client.post("/account/tokens", data={"name": "Nightly report"}).status_code == 200


def test_a_token_needs_a_name(app, sign_in):
    client = sign_in(create_user("viewer"))

    response = client.post("/account/tokens", data={"name": "  "})

    assert response.status_code == 400
    page = page_of(response)
    assert "<title>Error: Your account" in page
    assert "Enter a name for the token" in page
    assert count_rows(ApiToken) == 0


def test_revoking_asks_first_then_revokes(app, sign_in):
    user = create_user("viewer")
    record = api_tokens.create_token(user, "Old script").record
    client = sign_in(user)
    url = f"/account/tokens/{record.id}/revoke"

    confirm = page_of(client.get("/account"))
    assert f'href="{url}"' in confirm
    question = client.get(url)
    assert question.status_code == 200
    assert "Revoke the token “Old script”?" in page_of(question)
    assert "You cannot undo this" in page_of(question)
    assert not reread(record).revoked  # asking revokes nothing

    done = client.post(url)

    assert done.status_code == 302 and done.headers["Location"] == "/account"
    assert reread(record).revoked
    account = page_of(client.get("/account"))
    assert "Revoked the token “Old script”." in account
    assert f'href="{url}"' not in account
    assert "Revoked" in visible_text(account)


def test_a_revoked_token_cannot_be_revoked_again(app, sign_in):
    user = create_user("viewer")
    record = api_tokens.create_token(user, "Old script").record
    api_tokens.revoke_token(user, record.id)
    client = sign_in(user)

    response = client.get(f"/account/tokens/{record.id}/revoke")

    assert response.status_code == 302
    assert "already revoked" in page_of(client.get("/account"))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_nobody_reaches_another_user_s_token(app, sign_in, method):
    owner = create_user("viewer")
    record = api_tokens.create_token(owner, "Mine").record
    client = sign_in(create_user("admin"))

    response = client.open(f"/account/tokens/{record.id}/revoke", method=method)

    assert response.status_code == 404
    assert not reread(record).revoked
    assert "Mine" not in page_of(client.get("/account"))


# ---------------------------------------------------------------- CSRF


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _csrf_token_in(response) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_creating_a_token_needs_the_form_s_csrf_token(csrf_on, client):
    sign_in_as(client, create_user("viewer"))

    refused = client.post("/account/tokens", data={"name": "Forged"})
    assert refused.status_code == 400
    assert count_rows(ApiToken) == 0

    token = _csrf_token_in(client.get("/account"))
    created = client.post("/account/tokens", data={"name": "Mine", "csrf_token": token})
    assert created.status_code == 200
    assert count_rows(ApiToken) == 1


def test_revoking_a_token_needs_the_form_s_csrf_token(csrf_on, client):
    user = create_user("viewer")
    record = api_tokens.create_token(user, "Script").record
    sign_in_as(client, user)
    url = f"/account/tokens/{record.id}/revoke"

    assert client.post(url).status_code == 400
    assert not reread(record).revoked

    token = _csrf_token_in(client.get(url))
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert reread(record).revoked
