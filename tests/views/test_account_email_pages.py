"""The account pages that e-mail works through: asking for a reset link (the same answer for any
address), choosing a password from a reset or invitation link (and the clear page for a link
that cannot be used), changing one's own password, and an administrator inviting someone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from programme.domain.account_links import INVITATION, PASSWORD_RESET
from programme.extensions import db
from programme.models import AccountLink, OutboxMessage, User
from programme.services.account_links import issue_link
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.conftest import sign_in_as
from tests.pages import page_of, visible_text
from tests.queries import count_rows

NEW_PASSWORD = "copper kettle harbour lantern"
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _token(user: User, purpose: str = PASSWORD_RESET) -> str:
    issued = issue_link(user, purpose)
    db.session.commit()
    return issued.token


def _choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def _text(response) -> str:
    return visible_text(page_of(response))


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# ----------------------------------------------------------------------------- forgotten password


def test_the_sign_in_page_links_to_forgotten_password(client):
    page = page_of(client.get("/login"))

    assert '<a href="/password/forgotten">Forgotten your password?</a>' in page


def test_the_forgotten_password_page_asks_for_an_e_mail_address(client):
    response = client.get("/password/forgotten")

    page = page_of(response)
    assert response.status_code == 200
    assert '<label class="app-label" for="email">E-mail address</label>' in page
    assert 'autocomplete="email"' in page


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(app, client, smtp_server):
    create_user("viewer", email="ann@example.org")

    known = client.post(
        "/password/forgotten", data={"email": "ann@example.org"}, follow_redirects=True
    )
    unknown = client.post(
        "/password/forgotten", data={"email": "bob@example.org"}, follow_redirects=True
    )

    assert known.status_code == unknown.status_code == 200
    assert _text(known).replace("ann@", "bob@") == _text(unknown)
    assert "If ann@example.org has an account, we have sent a link" in _text(known)
    assert "valid for 1 hour" in _text(known)
    assert [mail.to for mail in smtp_server.received] == ["ann@example.org"]


def test_past_the_limit_the_answer_is_the_same_and_nothing_is_sent(app, client, smtp_server):
    create_user("viewer", email="ann@example.org")
    answers = [
        _text(
            client.post(
                "/password/forgotten", data={"email": "ann@example.org"}, follow_redirects=True
            )
        )
        for _ in range(4)
    ]

    assert len(set(answers)) == 1
    assert len(smtp_server.to("ann@example.org")) == 3


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address."),
        ("not an address", "Enter an e-mail address in the correct format"),
        ("x" * 250 + "@example.org", "254 characters or fewer"),
    ],
)
def test_a_missing_or_malformed_address_is_named_on_the_form(client, email, message):
    response = client.post("/password/forgotten", data={"email": email})

    assert response.status_code == 400
    page = page_of(response)
    assert "There is a problem" in page
    assert re.search(rf'<a href="#email">[^<]*{message}', page)
    assert count_rows(AccountLink) == 0


# ----------------------------------------------------------------------------- choosing a password


def test_a_reset_link_shows_the_choose_a_password_form(app, client):
    user = create_user("viewer", email="ann@example.org")

    response = client.get(f"/password/reset/{_token(user)}")

    page = page_of(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert '<h1 class="app-heading-l">Choose a password</h1>' in page
    assert '<label class="app-label" for="password">New password</label>' in page
    assert '<label class="app-label" for="confirm">Confirm new password</label>' in page
    assert page.count('autocomplete="new-password"') == 2
    assert "Choose a new password for ann@example.org" in page


def test_a_reset_link_sets_the_password_once_then_shows_a_clear_page(app, client):
    user = create_user("viewer")
    path = f"/password/reset/{_token(user)}"

    done = _choose(client, path)

    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "You have changed your password. Sign in" in _text(client.get("/login"))
    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)

    again = client.get(path)
    assert again.status_code == 410
    assert "This link has already been used" in _text(again)
    assert "Nothing has been changed." in _text(again)
    assert '<a href="/password/forgotten">Ask for a new reset link</a>' in page_of(again)
    second = _choose(client, path, "another entirely new phrase")
    assert second.status_code == 410
    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)


def test_using_a_reset_link_signs_the_user_out_elsewhere(app, client):
    user = create_user("viewer")
    elsewhere = app.test_client()
    sign_in_as(elsewhere, user)
    assert _signed_in(elsewhere)

    _choose(client, f"/password/reset/{_token(user)}")

    assert not _signed_in(elsewhere)


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("", "", "Enter a new password."),
        (NEW_PASSWORD, "", "Enter your new password again, to confirm it."),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The passwords do not match"),
        ("short", "short", "Password must be at least 12 characters long."),
        ("password1234", "password1234", "That password is too common."),
    ],
)
def test_a_bad_new_password_is_named_and_the_link_still_works(
    app, client, password, confirm, message
):
    user = create_user("viewer")
    path = f"/password/reset/{_token(user)}"

    response = client.post(path, data={"password": password, "confirm": confirm})

    assert response.status_code == 400
    assert message in page_of(response)
    assert "There is a problem" in page_of(response)
    assert client.get(path).status_code == 200
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)


@pytest.mark.parametrize("prefix", ["/password/reset", "/invitation"])
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(app, client, prefix):
    user = create_user("viewer", password_hash=None)
    purpose = INVITATION if prefix == "/invitation" else PASSWORD_RESET
    token = _token(user, purpose)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    shown = client.get(f"{prefix}/{tampered}")
    posted = _choose(client, f"{prefix}/{tampered}")

    assert shown.status_code == posted.status_code == 400
    assert "This link is not valid" in _text(shown)
    assert "Check you copied the whole address" in _text(shown)
    db.session.expire_all()
    assert user.invited
    assert db.session.scalar(select(AccountLink)).used_at is None


def test_an_expired_reset_link_says_so_and_offers_a_new_one(app, client, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer")
    path = f"/password/reset/{_token(user)}"
    pin_clock(at=MONDAY_9AM + timedelta(hours=1))

    response = _choose(client, path)

    assert response.status_code == 410
    assert "This link has expired" in _text(response)
    assert "A reset link works for 1 hour." in _text(response)
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)


def test_an_expired_invitation_says_to_ask_an_administrator(app, client, pin_clock):
    pin_clock(at=MONDAY_9AM)
    path = f"/invitation/{_token(create_user('viewer', password_hash=None), INVITATION)}"
    pin_clock(at=MONDAY_9AM + timedelta(days=7))

    response = client.get(path)

    assert response.status_code == 410
    assert "This invitation has expired" in _text(response)
    assert "Ask an administrator to send you a new invitation." in _text(response)


def test_a_replaced_link_says_a_newer_one_was_sent(app, client):
    user = create_user("viewer")
    first = _token(user)
    _token(user)

    response = client.get(f"/password/reset/{first}")

    assert response.status_code == 410
    assert "This link has been replaced" in _text(response)


def test_an_invitation_lets_the_invited_user_join_and_sign_in(app, client):
    user = create_user("viewer", password_hash=None, name="Nia Person", email="nia@example.org")
    path = f"/invitation/{_token(user, INVITATION)}"

    page = page_of(client.get(path))
    assert "Welcome, Nia Person. Choose a password to join the tracker." in page
    done = _choose(client, path)

    assert done.status_code == 302
    assert "You have joined. Sign in" in _text(client.get("/login"))
    signed_in = client.post("/login", data={"email": "nia@example.org", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and _signed_in(client)


# ----------------------------------------------------------------------------- CSRF


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _csrf_token_in(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_of(response)).group(1)


def test_asking_for_a_reset_link_needs_the_form_s_csrf_token(csrf_on, client, smtp_server):
    create_user("viewer", email="ann@example.org")

    refused = client.post("/password/forgotten", data={"email": "ann@example.org"})
    assert refused.status_code == 400
    assert count_rows(AccountLink) == 0

    token = _csrf_token_in(client.get("/password/forgotten"))
    accepted = client.post(
        "/password/forgotten", data={"email": "ann@example.org", "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert count_rows(AccountLink) == 1


def test_choosing_a_password_needs_the_form_s_csrf_token(csrf_on, app, client):
    user = create_user("viewer")
    path = f"/password/reset/{_token(user)}"

    refused = _choose(client, path)
    assert refused.status_code == 400
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)

    token = _csrf_token_in(client.get(path))
    done = client.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
    )
    assert done.status_code == 302


def test_resending_an_invitation_needs_the_form_s_csrf_token(csrf_on, app, sign_in):
    invited = create_user("viewer", password_hash=None)
    client = sign_in(create_user("admin"))

    client.post(f"/admin/users/{invited.id}/invitation")

    assert count_rows(AccountLink) == 0


# ----------------------------------------------------------------------------- your own password


def _change(client, current=DEFAULT_PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_the_account_page_links_to_changing_the_password(app, sign_in):
    page = page_of(sign_in(create_user("viewer")).get("/account"))

    assert '<a href="/account/password">Change your password</a>' in page


def test_the_change_password_page_has_three_labelled_fields(app, sign_in):
    response = sign_in(create_user("viewer")).get("/account/password")

    page = page_of(response)
    assert response.status_code == 200
    for field, label in [
        ("current_password", "Current password"),
        ("password", "New password"),
        ("confirm", "Confirm new password"),
    ]:
        assert f'<label class="app-label" for="{field}">{label}</label>' in page
    assert 'autocomplete="current-password"' in page


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, sign_in):
    user = create_user("viewer")
    elsewhere = app.test_client()
    sign_in_as(elsewhere, user)
    here = sign_in(user)

    response = _change(here)

    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "Your password has been changed." in _text(here.get("/account"))
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("", NEW_PASSWORD, None, "current_password", "Enter your current password."),
        ("wrong password here", NEW_PASSWORD, None, "current_password", "is not right"),
        (DEFAULT_PASSWORD, NEW_PASSWORD, "different", "confirm", "do not match"),
        (DEFAULT_PASSWORD, DEFAULT_PASSWORD, None, "password", "must be different"),
        (DEFAULT_PASSWORD, "short", None, "password", "at least 12 characters"),
    ],
)
def test_changing_the_password_names_what_is_wrong(
    app, sign_in, current, new, confirm, field, message
):
    user = create_user("viewer")
    client = sign_in(user)

    response = _change(client, current, new, confirm)

    assert response.status_code == 400
    page = page_of(response)
    assert re.search(rf'<a href="#{field}">[^<]*{message}', page), page
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)
    assert _signed_in(client)


# ----------------------------------------------------------------------------- inviting


def test_adding_a_user_asks_for_no_password_and_sends_an_invitation(app, sign_in, smtp_server):
    client = sign_in(create_user("admin"))
    form = page_of(client.get("/admin/users/new"))
    assert 'type="password"' not in form
    assert "We will e-mail an invitation to this address" in form

    response = client.post(
        "/admin/users/new",
        data={"name": "Nia Person", "email": "Nia@Example.org", "role": "trainer"},
    )

    assert response.status_code == 302
    listing = client.get("/admin/users")
    assert "Added Nia Person as Trainer. The invitation was e-mailed to nia@example.org." in _text(
        listing
    )
    row = re.search(r"<tr>\s*<td>Nia Person</td>.*?</tr>", page_of(listing), re.S).group(0)
    assert '<strong class="app-tag app-tag--blue">Invited</strong>' in row
    assert "Resend invitation" in visible_text(row)
    (mail,) = smtp_server.to("nia@example.org")
    assert "/invitation/" in mail.part("plain")
    assert db.session.scalar(select(User).where(User.email == "nia@example.org")).invited


def test_a_user_who_has_joined_shows_as_active_with_no_resend(app, sign_in):
    create_user("viewer", name="Jo Joined")
    listing = page_of(sign_in(create_user("admin")).get("/admin/users"))

    row = re.search(r"<tr>\s*<td>Jo Joined</td>.*?</tr>", listing, re.S).group(0)
    assert "Active" in row and "Resend invitation" not in row


def test_adding_a_user_with_a_bad_address_or_no_name_is_named(app, sign_in):
    client = sign_in(create_user("admin"))

    response = client.post(
        "/admin/users/new", data={"name": "", "email": "not an address", "role": "viewer"}
    )

    assert response.status_code == 400
    assert '<a href="#name">Enter the person&#39;s name.' in response.get_data(as_text=True)
    assert count_rows(OutboxMessage) == 0


def test_when_mail_cannot_be_sent_the_admin_is_told_it_will_be_retried(app, sign_in, smtp_down):
    client = sign_in(create_user("admin"))

    client.post(
        "/admin/users/new",
        data={"name": "Nia Person", "email": "nia@example.org", "role": "viewer"},
    )

    text = _text(client.get("/admin/users"))
    assert "could not be sent yet" in text and "tried again automatically" in text
    assert db.session.scalar(select(OutboxMessage.status)) == "pending"


def test_resending_an_invitation_sends_a_new_link_and_voids_the_old(app, sign_in, smtp_server):
    client = sign_in(create_user("admin"))
    invited = create_user("viewer", password_hash=None, name="Nia Person", email="nia@example.org")
    old = _token(invited, INVITATION)

    response = client.post(f"/admin/users/{invited.id}/invitation")

    assert response.status_code == 302
    assert "Sent Nia Person a new invitation: the earlier link no longer works." in _text(
        client.get("/admin/users")
    )
    assert len(smtp_server.to("nia@example.org")) == 1
    assert client.get(f"/invitation/{old}").status_code == 410


def test_resending_to_someone_who_has_joined_is_refused(app, sign_in):
    client = sign_in(create_user("admin"))
    joined = create_user("viewer", name="Jo Joined")

    client.post(f"/admin/users/{joined.id}/invitation")

    assert "Jo Joined has already joined" in _text(client.get("/admin/users"))
    assert count_rows(AccountLink) == 0


def test_resending_to_no_such_user_is_404(app, sign_in):
    assert sign_in(create_user("admin")).post("/admin/users/999999/invitation").status_code == 404


def test_a_reset_is_looked_up_and_queued_only_after_the_answer_has_gone(app, client):
    """So the answer takes the same time whether or not the address has an account."""
    create_user("viewer", email="known@example.org")

    answer = client.post("/password/forgotten", data={"email": "known@example.org"}, buffered=False)
    assert answer.status_code == 302
    assert count_rows(OutboxMessage) == count_rows(AccountLink) == 0, "nothing before answering"

    answer.close()  # the answer has gone
    assert count_rows(OutboxMessage) == count_rows(AccountLink) == 1


def test_the_check_your_e_mail_page_is_a_get_so_a_refresh_asks_for_no_second_link(
    app, client, smtp_server
):
    create_user("viewer", email="ann@example.org")

    posted = client.post("/password/forgotten", data={"email": "ann@example.org"})
    assert posted.status_code == 302
    assert posted.headers["Location"] == "/password/forgotten/sent"
    shown, again = client.get("/password/forgotten/sent"), client.get("/password/forgotten/sent")

    assert shown.status_code == again.status_code == 200
    assert "If ann@example.org has an account, we have sent a link" in _text(again)
    assert shown.headers["Cache-Control"] == "no-store"
    assert count_rows(AccountLink) == 1
    assert len(smtp_server.to("ann@example.org")) == 1


def test_the_check_your_e_mail_page_without_asking_first_goes_to_the_form(client):
    response = client.get("/password/forgotten/sent")

    assert response.status_code == 302
    assert response.headers["Location"] == "/password/forgotten"
