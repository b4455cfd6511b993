"""Two-factor sign-in: setting it up, signing in with a code or a recovery code (once), codes
never accepted twice, wrong codes counted as failed sign-ins, turning it off, new recovery codes,
and the roles that must use it (REQUIRE_2FA_ROLES)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from programme.extensions import db
from programme.models import LoginAttempt, Membership, RecoveryCode, SecurityEvent
from programme.services import api_tokens
from programme.services.sign_in import THROTTLED, WRONG_CODE
from tests.builders import DEFAULT_PASSWORD, create_locality, create_programme, create_user
from tests.pages import page_of
from tests.two_factor import code_for, turn_on_two_factor

ADDRESS = "192.0.2.44"


def log_in(client, user, password: str = DEFAULT_PASSWORD, **kw):
    return client.post(
        "/login",
        data={"email": user.email, "password": password},
        environ_base={"REMOTE_ADDR": ADDRESS},
        **kw,
    )


def enter_code(client, code: str):
    return client.post("/login/code", data={"code": code}, environ_base={"REMOTE_ADDR": ADDRESS})


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def security_kinds() -> list[str]:
    return list(db.session.scalars(select(SecurityEvent.kind).order_by(SecurityEvent.id)))


def failures(user) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == user.email, LoginAttempt.succeeded.is_(False)
        )
    )


# ---------------------------------------------------------------- setting it up


def test_a_user_sets_up_two_factor_sign_in_and_gets_ten_recovery_codes_once(app, sign_in):
    user = create_user("viewer")
    client = sign_in(user)

    set_up = client.get("/account/two-factor/set-up")
    assert set_up.status_code == 200
    assert set_up.headers["Cache-Control"] == "no-store"
    page = page_of(set_up)
    assert "<svg" in page  # the QR code, drawn here
    db.session.refresh(user)
    secret = user.totp_secret
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f'<code id="secret">{spaced}</code>' in page  # and the key, to type in by hand
    assert user.two_factor_on is False

    wrong = client.post("/account/two-factor/set-up", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in page_of(wrong)

    shown = client.post("/account/two-factor/set-up", data={"code": code_for(secret)})

    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", page_of(shown))
    assert len(codes) == len(set(codes)) == 10
    db.session.expire_all()
    assert user.two_factor_on
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert "two_factor_on" in security_kinds()
    assert "Recovery codes left" in page_of(client.get("/account/two-factor"))


# ---------------------------------------------------------------- signing in


def test_with_two_factor_on_the_password_alone_does_not_sign_in(app, client):
    user = create_user("viewer")
    secret = turn_on_two_factor(user)

    response = log_in(client, user, query_string={"next": "/my-milestones"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code"
    assert signed_in_as(client) is None
    assert client.get("/my-milestones").status_code == 302  # not signed in yet

    done = enter_code(client, code_for(secret))
    assert done.status_code == 302
    assert done.headers["Location"] == "/my-milestones"
    assert signed_in_as(client) == user.get_id()
    assert security_kinds()[-1] == "sign_in"


def test_a_code_is_never_accepted_twice(app, client):
    user = create_user("viewer")
    secret = turn_on_two_factor(user)
    code = code_for(secret)
    log_in(client, user)
    assert enter_code(client, code).status_code == 302
    client.post("/logout")

    log_in(client, user)
    reused = enter_code(client, code)

    assert reused.status_code == 400
    assert WRONG_CODE in page_of(reused)
    assert signed_in_as(client) is None
    assert failures(user) == 1
    assert enter_code(client, code_for(secret, steps_ahead=1)).status_code == 302  # the next one


def test_a_recovery_code_signs_in_once(app, client):
    user = create_user("viewer")
    turn_on_two_factor(user, recovery_codes=("abcde-fghjk", "mnpqr-stuvw"))

    log_in(client, user)
    assert enter_code(client, "ABCDE FGHJK").status_code == 302  # typed loosely
    assert "recovery_code_used" in security_kinds()
    client.post("/logout")

    log_in(client, user)
    again = enter_code(client, "abcde-fghjk")
    assert again.status_code == 400
    assert WRONG_CODE in page_of(again)
    assert enter_code(client, "mnpqr-stuvw").status_code == 302


def test_wrong_codes_count_as_failed_sign_ins_and_are_throttled(app, client):
    user = create_user("viewer")
    secret = turn_on_two_factor(user, recovery_codes=("abcde-fghjk",))
    log_in(client, user)
    for _ in range(5):
        assert enter_code(client, "zzzzz-zzzzz").status_code == 400  # a wrong recovery code
    assert failures(user) == 5
    assert security_kinds().count("sign_in_failed") == 5

    refused = enter_code(client, code_for(secret))  # even the right code, now

    assert refused.status_code == 400
    assert THROTTLED in page_of(refused)
    assert signed_in_as(client) is None
    # A new password step does not buy more guesses either: it is not counted as a success.
    log_in(client, user)
    assert THROTTLED in page_of(enter_code(client, "abcde-fghjk"))


def test_the_code_step_without_the_password_step_goes_back_to_sign_in(app, client):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


def test_a_deactivated_user_with_two_factor_on_is_refused_as_a_wrong_password(app, client):
    user = create_user("viewer")
    turn_on_two_factor(user)
    user.active = False
    db.session.commit()
    response = log_in(client, user)
    assert response.status_code == 400
    assert "The e-mail address or password is not right" in page_of(response)


# ---------------------------------------------------------------- turning off, new codes


def test_turning_it_off_needs_the_password_and_a_code(app, sign_in):
    user = create_user("viewer")
    secret = turn_on_two_factor(user, recovery_codes=("abcde-fghjk",))
    client = sign_in(user)

    wrong = client.post(
        "/account/two-factor/turn-off", data={"password": "not mine!", "code": code_for(secret)}
    )
    assert wrong.status_code == 400
    assert "Your password is not right" in page_of(wrong)

    done = client.post(
        "/account/two-factor/turn-off",
        data={"password": DEFAULT_PASSWORD, "code": code_for(secret)},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert not user.two_factor_on and user.totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert "two_factor_off" in security_kinds()


def test_new_recovery_codes_replace_the_old_ones(app, sign_in):
    user = create_user("viewer")
    turn_on_two_factor(user, recovery_codes=("abcde-fghjk",))
    client = sign_in(user)

    shown = client.post("/account/two-factor/recovery-codes", data={"password": DEFAULT_PASSWORD})

    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", page_of(shown))
    assert len(codes) == 10
    assert "recovery_codes_regenerated" in security_kinds()
    client.post("/logout")
    log_in(client, user)
    assert enter_code(client, "abcde-fghjk").status_code == 400  # the old code is void
    assert enter_code(client, codes[0]).status_code == 302


# ---------------------------------------------------------------- required for some roles


@pytest.fixture
def required(app):
    app.config["REQUIRE_2FA_ROLES"] = "admin,board_member"
    return app


@pytest.mark.parametrize(
    "path", ["/", "/my-milestones", "/account", "/account/password", "/admin/users"]
)
def test_a_board_member_cannot_reach_any_page_before_setting_it_up(required, sign_in, path):
    client = sign_in(create_user("board_member"))

    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-factor/set-up"
    assert client.get("/account/two-factor/set-up").status_code == 200
    assert client.get("/account/two-factor").status_code == 200
    assert client.post("/logout").status_code == 302  # signing out is always possible


def test_an_admin_must_set_it_up_too_and_then_reaches_pages(required, sign_in):
    admin = create_user("admin")
    client = sign_in(admin)
    assert client.get("/admin/users").headers["Location"] == "/account/two-factor/set-up"

    turn_on_two_factor(admin)

    assert client.get("/admin/users").status_code == 200


def test_a_programme_role_in_the_list_requires_it_too(required, sign_in):
    """A viewer by base role who is a board member of one programme must set it up."""
    user = create_user("viewer", member_of=[])
    programme = create_programme()
    db.session.add(Membership(user_id=user.id, programme_id=programme.id, role="board_member"))
    db.session.commit()

    response = sign_in(user).get("/my-milestones")

    assert response.headers["Location"] == "/account/two-factor/set-up"


def test_a_personal_api_token_waits_until_its_owner_has_set_it_up(required, client):
    board_member = create_user("board_member")
    locality = create_locality()
    issued = api_tokens.create_token(board_member, "Board script")
    url = f"/api/programmes/{locality.programme.slug}/localities/{locality.slug}/readiness"
    headers = {"Authorization": f"Bearer {issued.secret}"}

    refused = client.get(url, headers=headers)
    assert refused.status_code == 403
    assert "set it up under Your account" in refused.get_json()["error"]

    turn_on_two_factor(board_member)
    assert client.get(url, headers=headers).status_code == 200


def test_other_roles_are_not_asked(required, sign_in):
    assert sign_in(create_user("viewer")).get("/my-milestones").status_code == 200


def test_with_the_setting_empty_nobody_is_asked(app, sign_in):
    assert sign_in(create_user("board_member")).get("/my-milestones").status_code == 200


def test_an_administrator_resets_two_factor_for_someone_who_lost_their_phone(app, runner):
    user = create_user("board_member")
    turn_on_two_factor(user, recovery_codes=("abcde-fghjk",))

    result = runner.invoke(args=["users", "reset-two-factor", user.email])

    assert result.exit_code == 0, result.output
    assert f"Turned two-factor sign-in off for {user.email}." in result.stdout
    db.session.expire_all()
    assert not user.two_factor_on
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    again = runner.invoke(args=["users", "reset-two-factor", user.email])
    assert "nothing changed" in again.stdout
    assert runner.invoke(args=["users", "reset-two-factor", "nobody@example.org"]).exit_code == 1
