"""The e-mail reminders page and the one-click unsubscribe address.

A signed-in user ticks the weekly digest and its parts on or off and it is saved. The
unsubscribe address needs no sign-in: a GET only shows the button (mail scanners follow links),
a POST turns the digest off, with no session and no CSRF token, as mail providers send it
(RFC 8058); doing it twice is harmless; a tampered or stale link is a clear 400 and changes
nothing.
"""

from __future__ import annotations

import pytest

from programme.extensions import db
from programme.models import AuditEvent, DigestPreference
from programme.models.mail import DIGEST_PARTS
from programme.services.mail import unsubscribe
from tests.builders import create_user
from tests.pages import page_of, visible_text
from tests.queries import audit_events_for, count_rows

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _checked(page: str, field: str) -> bool:
    start = page.index(f'id="{field}"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    return " checked" in tag


def _url(user) -> str:
    return f"/unsubscribe/{unsubscribe.unsubscribe_token(user)}"


# ----------------------------------------------------------------------------- the preferences page


def test_the_account_page_links_to_the_e_mail_reminders(app, sign_in):
    client = sign_in(create_user("viewer"))

    page = page_of(client.get("/account"))

    assert '<a href="/account/email">change your e-mail reminders</a>' in page


def test_someone_who_never_chose_sees_everything_ticked_with_who_gets_each_part(app, sign_in):
    user = create_user("trainer", email="tess@example.org")
    client = sign_in(user)

    response = client.get("/account/email")

    page = page_of(response)
    assert response.status_code == 200
    assert all(_checked(page, field) for field in ("enabled", *DIGEST_PARTS))
    text = visible_text(page)
    assert "E-mail reminders" in text and "sent to tess@example.org" in text
    for label, hint in [
        ("Send me the weekly digest", "One e-mail a week"),
        ("Milestones I own", "For anyone who owns milestones"),
        ("Recruitment", "For HR leads"),
        ("Training", "For trainers"),
        ("Readiness for the board", "For operational board members"),
    ]:
        assert f">{label}</label>" in page
        assert hint in text
    assert 'aria-describedby="training-hint"' in page
    assert "<legend" in page and "Parts of the digest" in text


def test_choices_are_saved_with_a_message_and_shown_again(app, sign_in):
    user = create_user("hr_lead")
    client = sign_in(user)

    saved = client.post("/account/email", data={"enabled": "y", "recruitment": "y"})

    assert saved.status_code == 302 and saved.headers["Location"] == "/account/email"
    page = page_of(client.get("/account/email"))
    assert "Your e-mail reminders are saved: you will get the weekly digest." in page
    assert _checked(page, "enabled") and _checked(page, "recruitment")
    assert not any(_checked(page, part) for part in ("milestones", "training", "readiness"))
    preference = unsubscribe.preferences_of(user)
    assert [part for part in DIGEST_PARTS if preference.wants(part)] == ["recruitment"]
    [event] = audit_events_for("digest_preference", user.id)
    assert (event.action, event.actor_id) == ("change_digest", user.id)


def test_unticking_the_digest_turns_it_off(app, sign_in):
    user = create_user("board_member")
    client = sign_in(user)

    response = client.post("/account/email", data={"readiness": "y"}, follow_redirects=True)

    assert "you will not get the weekly digest." in page_of(response)
    preference = unsubscribe.preferences_of(user)
    assert not preference.enabled and not preference.wants("readiness") and preference.readiness


def test_the_form_without_its_csrf_token_is_refused_and_nothing_is_saved(csrf_on, sign_in):
    user = create_user("viewer")
    client = sign_in(user)

    refused = client.post("/account/email", data={"milestones": "y"})

    assert refused.status_code == 400
    assert "Your form expired" in page_of(refused)
    assert count_rows(DigestPreference) == 0


def test_each_user_changes_only_their_own_choices(app, sign_in):
    me, colleague = create_user("viewer"), create_user("trainer")
    client = sign_in(me)

    client.post("/account/email", data={})

    assert not unsubscribe.preferences_of(me).enabled
    assert unsubscribe.preferences_of(colleague).enabled


# ----------------------------------------------------------------------------- unsubscribing


def test_the_link_shows_whose_digest_and_changes_nothing(app, client):
    user = create_user("hr_lead", name="Harriet Lead", email="harriet@example.org")

    response = client.get(_url(user))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    text = visible_text(page_of(response))
    assert "Unsubscribe from the weekly digest" in text
    assert "Harriet Lead at harriet@example.org" in text
    assert '<button type="submit" class="app-button">Unsubscribe</button>' in page_of(response)
    assert count_rows(DigestPreference) == 0
    assert count_rows(AuditEvent) == 0


def test_the_one_click_post_needs_neither_session_nor_csrf_token(csrf_on, client):
    user = create_user("trainer", name="Tess Trainer")

    response = client.post(_url(user), data=ONE_CLICK)

    assert response.status_code == 200
    text = visible_text(page_of(response))
    assert "You will not get the weekly digest any more" in text
    assert "Tess Trainer" in text
    assert 'href="/account/email">Turn the weekly digest on again</a>' in page_of(response)
    assert not unsubscribe.preferences_of(user).enabled
    [event] = audit_events_for("digest_preference", user.id)
    assert (event.action, event.actor_id) == ("unsubscribe", user.id)


def test_a_one_click_post_sent_as_multipart_form_data_works_too(csrf_on, client):
    user = create_user("viewer")

    response = client.post(_url(user), data=ONE_CLICK, content_type="multipart/form-data")

    assert response.status_code == 200
    assert not unsubscribe.preferences_of(user).enabled


def test_the_button_on_the_page_unsubscribes(app, client):
    user = create_user("viewer")

    response = client.post(_url(user), data={})

    assert response.status_code == 200
    assert not unsubscribe.preferences_of(user).enabled


def test_posting_twice_is_harmless(app, client):
    user = create_user("viewer")

    first, second = client.post(_url(user), data=ONE_CLICK), client.post(_url(user), data=ONE_CLICK)

    assert (first.status_code, second.status_code) == (200, 200)
    assert "You will not get the weekly digest any more" in page_of(second)
    assert len(audit_events_for("digest_preference", user.id)) == 1


def test_once_unsubscribed_the_link_says_so_and_offers_to_turn_it_on_again(app, client):
    user = create_user("viewer")
    client.post(_url(user), data=ONE_CLICK)

    page = page_of(client.get(_url(user)))

    assert "is already turned off" in page
    assert "<form" not in page.split("<main", 1)[1]
    assert "Turn the weekly digest on again" in page


def test_someone_else_signed_in_unsubscribes_only_the_link_s_owner(app, sign_in):
    owner, visitor = create_user("viewer"), create_user("admin")
    client = sign_in(visitor)

    client.post(_url(owner), data=ONE_CLICK)

    assert not unsubscribe.preferences_of(owner).enabled
    assert unsubscribe.preferences_of(visitor).enabled


def _bad_links(user) -> list[str]:
    token = unsubscribe.unsubscribe_token(user)
    payload, signature = token.split(".")
    return [
        f"/unsubscribe/{token[:-3]}",
        f"/unsubscribe/{payload}.{signature[::-1]}",
        f"/unsubscribe/{payload}",
        "/unsubscribe/nonsense",
    ]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_tampered_link_is_a_clear_400_and_changes_nothing(csrf_on, client, method):
    user = create_user("viewer")

    for url in _bad_links(user):
        response = client.open(url, method=method, data=ONE_CLICK if method == "POST" else None)

        assert response.status_code == 400, url
        text = visible_text(page_of(response))
        assert "This unsubscribe link does not work" in text
        assert "Nothing was changed." in text
    assert count_rows(DigestPreference) == 0
    assert count_rows(AuditEvent) == 0


def test_a_link_sent_to_an_address_since_changed_is_refused(app, client):
    user = create_user("viewer", email="old@example.org")
    url = _url(user)
    user.email = "new@example.org"
    db.session.commit()

    response = client.post(url, data=ONE_CLICK)

    assert response.status_code == 400
    assert "no longer uses" in page_of(response)
    assert unsubscribe.preferences_of(user).enabled


def test_unsubscribing_refuses_other_methods(app, client):
    user = create_user("viewer")

    assert client.put(_url(user), data=ONE_CLICK).status_code == 405
    assert unsubscribe.preferences_of(user).enabled
