"""Single-use account links: expiry to the microsecond, one use, tampering, voiding, the sessions a
use ends, the reset rate limits counted in the database, and the e-mails the links travel in."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from programme.domain.account_links import (
    DEACTIVATED,
    EXPIRED,
    INVITATION,
    PASSWORD_RESET,
    REPLACED,
    UNKNOWN,
    USED,
    link_token_hash,
)
from programme.extensions import db
from programme.models import AccountLink, AuditEvent, LoginAttempt, OutboxMessage, User
from programme.services import account_links, account_mail, passwords
from programme.services.account_links import (
    RESET_LIMIT_PER_ADDRESS,
    RESET_LIMIT_PER_EMAIL,
    LinkRefused,
    check_link,
    issue_link,
    use_link,
)
from programme.services.errors import ServiceError
from tests.builders import DEFAULT_PASSWORD, create_user
from tests.queries import count_rows

NEW_PASSWORD = "copper kettle harbour lantern"
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _issued(user: User, purpose: str = PASSWORD_RESET, **extra):
    issued = issue_link(user, purpose, **extra)
    db.session.commit()
    return issued


def _problem(token: str, purpose: str = PASSWORD_RESET) -> str | None:
    db.session.expire_all()
    return check_link(token, purpose).problem


# ----------------------------------------------------------------------------- issuing


def test_only_the_token_s_hash_is_stored(app):
    issued = _issued(create_user("viewer"))

    stored = db.session.scalar(select(AccountLink))
    assert stored.token_hash == link_token_hash(issued.token) != issued.token
    assert len(issued.token) == 43
    assert issued.token not in repr(issued)


@pytest.mark.parametrize(
    ("purpose", "lifetime"),
    [(INVITATION, timedelta(days=7)), (PASSWORD_RESET, timedelta(hours=1))],
)
def test_a_link_works_until_the_last_microsecond_of_its_lifetime(app, pin_clock, purpose, lifetime):
    pin_clock(at=MONDAY_9AM)
    issued = _issued(create_user("viewer", password_hash=None), purpose)

    pin_clock(at=MONDAY_9AM + lifetime - MICROSECOND)
    assert _problem(issued.token, purpose) is None

    pin_clock(at=MONDAY_9AM + lifetime)
    assert _problem(issued.token, purpose) == EXPIRED
    with pytest.raises(LinkRefused) as refused:
        use_link(issued.token, purpose, NEW_PASSWORD)
    assert refused.value.problem == EXPIRED


def test_using_an_expired_link_changes_nothing(app, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer")
    issued = _issued(user)
    pin_clock(at=MONDAY_9AM + timedelta(hours=2))

    with pytest.raises(LinkRefused):
        use_link(issued.token, PASSWORD_RESET, NEW_PASSWORD)

    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)
    assert db.session.scalar(select(AccountLink)).used_at is None
    assert count_rows(AuditEvent) == 0


# ----------------------------------------------------------------------------- using


def test_a_link_sets_the_password_once_and_ends_the_user_s_other_sessions(app):
    user = create_user("viewer")
    version = user.session_version
    issued = _issued(user)

    use_link(issued.token, PASSWORD_RESET, NEW_PASSWORD)

    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert user.session_version == version + 1
    assert db.session.scalar(select(AccountLink)).used_at is not None
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.actor_id, event.entity_id) == ("reset_password", user.id, user.id)

    with pytest.raises(LinkRefused) as second:
        use_link(issued.token, PASSWORD_RESET, "another quite different phrase")
    assert second.value.problem == USED
    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)


def test_an_invitation_lets_an_invited_user_join(app):
    user = create_user("viewer", password_hash=None)
    issued = _issued(user, INVITATION)

    use_link(issued.token, INVITATION, NEW_PASSWORD)

    db.session.expire_all()
    assert not user.invited
    assert db.session.scalar(select(AuditEvent.action)) == "accept_invitation"


def test_of_two_requests_racing_with_one_link_only_the_first_sets_a_password(app, monkeypatch):
    """The second request checked the link before the first marked it used: the conditional
    UPDATE (used_at IS NULL) matches nothing, so it changes nothing."""
    user = create_user("viewer")
    issued = _issued(user)
    seen_unused = check_link(issued.token, PASSWORD_RESET)
    assert seen_unused.usable
    use_link(issued.token, PASSWORD_RESET, NEW_PASSWORD)  # the first tab
    monkeypatch.setattr(account_links, "check_link", lambda *_args: seen_unused)

    with pytest.raises(LinkRefused) as refused:
        use_link(issued.token, PASSWORD_RESET, "second tab's different phrase")

    assert refused.value.problem == USED
    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert count_rows(AuditEvent) == 1


def test_two_tabs_racing_on_postgresql_set_the_password_once(app, monkeypatch):
    """Two requests at once, each in its own connection, both past the check before either
    writes: PostgreSQL makes the second UPDATE wait for the first's row lock, then it matches no
    unused link. (SQLite cannot run two writers at once, so this runs on PostgreSQL only.)"""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    user = create_user("viewer")
    issued = _issued(user)
    both_checked = threading.Barrier(2, timeout=10)
    policy = account_links.check_password_policy

    def checked_then_wait(*args):
        policy(*args)
        both_checked.wait()

    monkeypatch.setattr(account_links, "check_password_policy", checked_then_wait)
    outcomes: list[str] = []

    def tab(password: str) -> None:
        with app.app_context():
            try:
                use_link(issued.token, PASSWORD_RESET, password)
                outcomes.append("set")
            except LinkRefused as refused:
                outcomes.append(refused.problem)
            finally:
                db.session.remove()

    tabs = [
        threading.Thread(target=tab, args=(phrase,))
        for phrase in (NEW_PASSWORD, "second tab's different phrase")
    ]
    for each in tabs:
        each.start()
    for each in tabs:
        each.join(timeout=20)

    assert sorted(outcomes) == ["set", USED]
    assert count_rows(AuditEvent) == 1


def test_a_weak_password_is_refused_and_leaves_the_link_usable(app):
    user = create_user("viewer")
    issued = _issued(user)

    with pytest.raises(ServiceError) as refused:
        use_link(issued.token, PASSWORD_RESET, "short")

    assert refused.value.field == "password"
    assert "at least 12 characters" in refused.value.message
    assert _problem(issued.token) is None
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character changed
        lambda token: token[:-1],  # cut short
        lambda token: token + "x",
        lambda token: "",
        lambda token: "../../etc/passwd",
        lambda token: link_token_hash(token),  # the stored hash is not the token
    ],
    ids=["one-character", "cut-short", "extended", "empty", "path", "the-hash"],
)
def test_a_tampered_token_names_no_link(app, tamper):
    issued = _issued(create_user("viewer"))

    assert _problem(tamper(issued.token)) == UNKNOWN
    with pytest.raises(LinkRefused) as refused:
        use_link(tamper(issued.token), PASSWORD_RESET, NEW_PASSWORD)
    assert refused.value.problem == UNKNOWN


def test_a_reset_token_is_no_invitation_and_the_other_way_round(app):
    reset = _issued(create_user("viewer"))
    invitation = _issued(create_user("viewer", password_hash=None), INVITATION)

    assert _problem(reset.token, INVITATION) == UNKNOWN
    assert _problem(invitation.token, PASSWORD_RESET) == UNKNOWN


def test_a_deactivated_user_s_link_cannot_be_used(app):
    user = create_user("viewer")
    issued = _issued(user)
    user.active = False
    db.session.commit()

    assert _problem(issued.token) == DEACTIVATED


# ----------------------------------------------------------------------------- voiding


def test_a_new_link_makes_the_user_s_earlier_unused_links_of_its_kind_void(app, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer", password_hash=None)
    invitation = _issued(user, INVITATION)
    first = _issued(user)
    pin_clock(at=MONDAY_9AM + timedelta(minutes=5))

    second = _issued(user)

    assert _problem(first.token) == REPLACED
    assert _problem(second.token) is None
    assert _problem(invitation.token, INVITATION) is None  # another kind: untouched


def test_another_user_s_links_are_not_voided(app):
    mine = _issued(create_user("viewer"))
    _issued(create_user("viewer"))

    assert _problem(mine.token) is None


def test_using_a_link_voids_the_user_s_other_links(app):
    user = create_user("viewer", password_hash=None)
    invitation = _issued(user, INVITATION)
    reset = _issued(user)

    use_link(reset.token, PASSWORD_RESET, NEW_PASSWORD)

    assert _problem(invitation.token, INVITATION) == REPLACED


def test_a_link_that_expired_on_its_own_reads_as_expired_not_replaced(app, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer")
    old = _issued(user)
    pin_clock(at=MONDAY_9AM + timedelta(hours=3))
    _issued(user)  # voids only links still running

    assert _problem(old.token) == EXPIRED


# ----------------------------------------------------------------------------- changing one's own


def test_changing_one_s_password_needs_the_current_one(app):
    user = create_user("viewer")

    with pytest.raises(passwords.WrongPassword) as refused:
        passwords.change_password(user, "not my password", NEW_PASSWORD, "10.0.0.1", app.config)

    assert refused.value.field == "current_password"
    assert count_rows(LoginAttempt, LoginAttempt.succeeded.is_(False)) == 1
    db.session.expire_all()
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)


def test_guessing_the_current_password_is_throttled_as_signing_in_is(app):
    user = create_user("viewer")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_PAIR"]):
        with pytest.raises(passwords.WrongPassword):
            passwords.change_password(user, "a wrong guess", NEW_PASSWORD, "10.0.0.1", app.config)

    with pytest.raises(passwords.WrongPassword) as refused:
        passwords.change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD, "10.0.0.1", app.config)

    assert "Too many wrong passwords" in refused.value.message


def test_changing_one_s_password_ends_other_sessions_and_voids_links(app):
    user = create_user("viewer")
    version = user.session_version
    reset = _issued(user)

    passwords.change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD, "10.0.0.1", app.config)

    db.session.expire_all()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert user.session_version == version + 1
    assert _problem(reset.token) == REPLACED
    assert db.session.scalar(select(AuditEvent.action)) == "change_password"


def test_the_new_password_must_differ_and_meet_the_policy(app):
    user = create_user("viewer")
    for new, message in [(DEFAULT_PASSWORD, "must be different"), ("short", "at least 12")]:
        with pytest.raises(ServiceError) as refused:
            passwords.change_password(user, DEFAULT_PASSWORD, new, "10.0.0.1", app.config)
        assert (refused.value.field, message in refused.value.message) == ("password", True)


# ----------------------------------------------------------------------------- reset requests


def _reset_links() -> list[AccountLink]:
    return list(
        db.session.scalars(select(AccountLink).where(AccountLink.purpose == "password_reset"))
    )


def test_a_reset_request_for_an_unknown_or_deactivated_address_queues_nothing(app):
    create_user("viewer", email="gone@example.org", active=False)

    for email in ("nobody@example.org", "gone@example.org", "not an address", ""):
        assert account_mail.queue_password_reset(email, "10.0.0.1") is None

    assert count_rows(AccountLink) == count_rows(OutboxMessage) == 0


def test_a_reset_request_matches_the_address_however_it_is_typed(app):
    user = create_user("viewer", email="ann.jones@example.org")

    message_id = account_mail.queue_password_reset("  Ann.Jones@EXAMPLE.org ", "10.0.0.1")

    message = db.session.get(OutboxMessage, message_id)
    assert (message.recipient, message.kind, message.user_id) == (
        "ann.jones@example.org",
        "password_reset",
        user.id,
    )
    assert message.dedupe_key == f"link:{_reset_links()[0].id}"


def test_at_most_three_reset_e_mails_per_address_in_an_hour(app, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer")
    sent = [
        account_mail.queue_password_reset(user.email, f"10.0.0.{n}")
        for n in range(RESET_LIMIT_PER_EMAIL + 1)
    ]

    assert None not in sent[:RESET_LIMIT_PER_EMAIL]
    assert sent[RESET_LIMIT_PER_EMAIL] is None
    assert len(_reset_links()) == count_rows(OutboxMessage) == RESET_LIMIT_PER_EMAIL

    pin_clock(at=MONDAY_9AM + timedelta(hours=1) - MICROSECOND)
    assert account_mail.queue_password_reset(user.email, "10.0.0.9") is None
    pin_clock(at=MONDAY_9AM + timedelta(hours=1))
    assert account_mail.queue_password_reset(user.email, "10.0.0.9") is not None


def test_at_most_twenty_reset_e_mails_per_network_address_in_an_hour(app):
    people = [create_user("viewer") for _ in range(RESET_LIMIT_PER_ADDRESS + 1)]
    sent = [account_mail.queue_password_reset(person.email, "192.0.2.7") for person in people]

    assert None not in sent[:RESET_LIMIT_PER_ADDRESS]
    assert sent[RESET_LIMIT_PER_ADDRESS] is None
    # Another network address is not held back by this one.
    assert account_mail.queue_password_reset(people[-1].email, "192.0.2.8") is not None


def test_the_limits_hold_across_processes_because_they_are_counted_in_the_database(app):
    """What one process (here: an earlier session, since closed) sent counts for the next."""
    email = create_user("viewer").email
    for _ in range(RESET_LIMIT_PER_EMAIL):
        account_mail.queue_password_reset(email, "10.0.0.1")
    db.session.remove()

    assert account_mail.queue_password_reset(email, "10.0.0.2") is None


# ----------------------------------------------------------------------------- the e-mails


def _link_in(text: str, path: str) -> str:
    match = re.search(rf"(http://[^\s\"<]+/{path}/([A-Za-z0-9_-]+))", text)
    assert match, f"no /{path}/ link in the message"
    return match.group(2)


def test_an_invitation_is_e_mailed_with_a_link_that_works(app, smtp_server):
    admin = create_user("admin", name="Ada Admin")
    app.config["APP_BASE_URL"] = "https://tracker.example.org"

    invited = account_mail.invite_new_user("new.person@example.org", "Nia Person", "hr_lead", admin)

    assert (invited.sending.status, invited.user.invited) == ("sent", True)
    (mail,) = smtp_server.to("new.person@example.org")
    assert mail.subject == "You are invited to the Family Safeguarding programme tracker"
    plain, html = mail.part("plain"), mail.part("html")
    assert "Ada Admin has added you" in plain and "HR lead" in plain
    assert "expires on 7 Dec 2026" in plain
    url = re.search(r"https://tracker\.example\.org/invitation/\S+", plain).group(0)
    assert f'href="{url}"' in html
    assert "<script" not in html and "<img" not in html and 'lang="en-GB"' in html
    token = url.rsplit("/", 1)[1]
    use_link(token, INVITATION, NEW_PASSWORD)
    db.session.expire_all()
    assert not invited.user.invited


def test_a_reset_e_mail_carries_a_one_hour_link(app, smtp_server, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer", name="Ann Jones")

    message_id = account_mail.queue_password_reset(user.email, "10.0.0.1")
    sending = account_mail.deliver_now(message_id)

    assert sending.status == "sent"
    (mail,) = smtp_server.to(user.email)
    assert mail.subject == "Reset your password for the Family Safeguarding programme tracker"
    assert "expires in 1 hour, on 30 Nov 2026, 10:00" in mail.part("plain")
    token = _link_in(mail.part("plain"), "password/reset")
    assert _problem(token) is None


def test_resending_an_invitation_replaces_the_link(app, smtp_server):
    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)
    first = _link_in(smtp_server.received[0].part("plain"), "invitation")

    again = account_mail.resend_invitation(invited.user.id, None)

    assert again.sending.status == "sent"
    second = _link_in(smtp_server.received[1].part("plain"), "invitation")
    assert _problem(first, INVITATION) == REPLACED
    assert _problem(second, INVITATION) is None


def test_no_invitation_for_someone_who_has_joined_or_is_deactivated(app):
    joined = create_user("viewer")
    gone = create_user("viewer", password_hash=None, active=False)

    for user, words in ((joined, "already joined"), (gone, "deactivated")):
        with pytest.raises(ServiceError) as refused:
            account_mail.resend_invitation(user.id, None)
        assert words in refused.value.message
    assert count_rows(AccountLink) == count_rows(OutboxMessage) == 0


def test_an_invitation_that_cannot_be_sent_yet_stays_in_the_outbox(app, smtp_down):
    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)

    assert invited.sending.status == "pending"
    assert "tried again automatically" in invited.sending.sentence()
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.kind, message.attempts) == ("pending", "invitation", 1)


def test_an_invitation_the_server_refuses_is_marked_failed(app, smtp_server):
    smtp_server.handler.refuse.add("sam@example.org")

    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)

    assert invited.sending.failed
    assert "550" in invited.sending.sentence()
    assert count_rows(User) == 1  # the user is added all the same: the invitation can be resent


def test_with_the_outbox_transport_the_invitation_is_stored_not_sent(app):
    app.config["MAIL_TRANSPORT"] = "outbox"

    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)

    assert invited.sending.status == "stored"
    assert "stored in the outbox" in invited.sending.sentence()


def test_void_links_touches_only_unused_running_links(app, pin_clock):
    pin_clock(at=MONDAY_9AM)
    user = create_user("viewer")
    used = _issued(user)
    use_link(used.token, PASSWORD_RESET, NEW_PASSWORD)
    db.session.execute(update(AccountLink).values(created_at=MONDAY_9AM))
    db.session.commit()

    assert account_links.void_links(user) == 0


def test_the_outbox_resends_an_invitation_only_while_its_link_still_works(app, smtp_server):
    from programme.services.mail import outbox

    smtp_server.handler.refuse.add("sam@example.org")  # a mailbox full or mistyped, for now
    invited = account_mail.invite_new_user("sam@example.org", "Sam Jones", "viewer", None)
    [first] = db.session.scalars(select(OutboxMessage)).all()
    assert first.status == "failed"

    smtp_server.handler.refuse.clear()
    again = outbox.resend(first.id, None)  # its link is still good: the same e-mail goes again
    assert again.status == "pending"
    db.session.commit()
    outbox.deliver([first.id])
    assert len(smtp_server.to("sam@example.org")) == 1

    account_mail.resend_invitation(invited.user.id, None)  # a new link replaces the first
    with pytest.raises(ServiceError) as refused:
        outbox.resend(first.id, None)  # sent, and its link replaced
    assert "Resend invitation" in refused.value.message


def test_the_outbox_does_not_resend_a_used_reset_link(app, smtp_server):
    from programme.services.mail import outbox

    user = create_user("viewer", name="Ann Jones")
    message_id = account_mail.queue_password_reset(user.email, "10.0.0.1")
    account_mail.deliver_now(message_id)
    token = _link_in(smtp_server.received[0].part("plain"), "password/reset")
    account_links.use_link(token, PASSWORD_RESET, "a brand new long passphrase here")

    with pytest.raises(ServiceError) as refused:
        outbox.resend(message_id, None)
    assert "Forgotten your password?" in refused.value.message
