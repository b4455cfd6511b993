"""Digest preferences and the signed unsubscribe link as services.

The link names the user and the address it was sent to, is signed with SECRET_KEY, never
expires, and is refused (changing nothing) once tampered with or once the address changes.
Unsubscribing and saving preferences are each audited, once, in one transaction.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest
from itsdangerous import URLSafeSerializer

from programme.extensions import db
from programme.models import AuditEvent, DigestPreference
from programme.models.mail import DIGEST_PARTS
from programme.services.errors import ServiceError
from programme.services.mail import unsubscribe
from programme.services.mail.unsubscribe import BadUnsubscribeLink
from tests.builders import create_user
from tests.queries import audit_events_for, count_rows, reread

# ----------------------------------------------------------------------------- the link


def test_a_token_names_its_user(app):
    user = create_user("viewer")

    assert unsubscribe.user_for_token(unsubscribe.unsubscribe_token(user)) == user


def test_the_url_is_absolute_on_the_app_base_url_and_needs_no_sign_in(app):
    app.config["APP_BASE_URL"] = "https://tracker.example.gov.uk"
    user = create_user("viewer")

    url = unsubscribe.unsubscribe_url(user)

    token = unsubscribe.unsubscribe_token(user)
    assert url == f"https://tracker.example.gov.uk/unsubscribe/{token}"


def test_the_headers_offer_one_click_unsubscribe_as_rfc_8058_says(app):
    user = create_user("viewer")

    headers = unsubscribe.unsubscribe_headers(user)

    assert headers == {
        "List-Unsubscribe": f"<{unsubscribe.unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert headers["List-Unsubscribe"].startswith("<http")


def test_the_token_does_not_spell_out_the_address(app):
    user = create_user("viewer", email="sam.carter@example.org")

    token = unsubscribe.unsubscribe_token(user)

    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert json.loads(decoded)[0] == user.id
    assert "sam" not in decoded.lower() and "example" not in decoded


def test_a_token_never_expires(app, pin_clock):
    user = create_user("viewer")
    pin_clock(date(2026, 11, 30))
    token = unsubscribe.unsubscribe_token(user)

    pin_clock(at=datetime(2031, 6, 1, 12, 0, tzinfo=UTC))

    assert unsubscribe.user_for_token(token) == user


def _tampered(token: str) -> list[str]:
    payload, signature = token.split(".")
    flip = {"A": "B"}.get(payload[1], "A")
    return [
        payload[0] + flip + payload[2:] + "." + signature,  # the payload changed
        # The first character: the last one's low bits are base64 padding, so changing it may
        # leave the signature's bytes as they were.
        payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:],
        payload,  # the signature cut off
        token[:-5],  # cut short when copied
        "",
        "not-a-token",
    ]


def test_a_tampered_token_is_refused(app):
    user = create_user("viewer")

    for bad in _tampered(unsubscribe.unsubscribe_token(user)):
        with pytest.raises(BadUnsubscribeLink):
            unsubscribe.user_for_token(bad)


def test_a_token_naming_someone_else_cannot_be_made_without_the_secret(app):
    me, other = create_user("viewer"), create_user("viewer")
    mine = unsubscribe.unsubscribe_token(me)
    forged_payload = unsubscribe.unsubscribe_token(other).split(".")[0]

    with pytest.raises(BadUnsubscribeLink):
        unsubscribe.user_for_token(forged_payload + "." + mine.split(".")[1])


@pytest.mark.parametrize(
    ("secret", "salt"),
    [("another-secret-key", "digest-unsubscribe"), (None, "password-reset")],
    ids=["another secret key", "another purpose"],
)
def test_a_token_signed_with_another_key_or_for_another_purpose_is_refused(app, secret, salt):
    user = create_user("viewer")
    good = unsubscribe.unsubscribe_token(user)
    fingerprint = URLSafeSerializer(app.config["SECRET_KEY"], salt="digest-unsubscribe").loads(
        good
    )[1]
    serializer = URLSafeSerializer(secret or app.config["SECRET_KEY"], salt=salt)

    with pytest.raises(BadUnsubscribeLink):
        unsubscribe.user_for_token(serializer.dumps([user.id, fingerprint]))


@pytest.mark.parametrize(
    "payload", [[], ["1", "x"], {"user": 1}, 7, [1, 2, 3]], ids=lambda p: repr(p)
)
def test_a_signed_token_of_the_wrong_shape_is_refused(app, payload):
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt="digest-unsubscribe")

    with pytest.raises(BadUnsubscribeLink):
        unsubscribe.user_for_token(serializer.dumps(payload))


def test_a_link_sent_to_an_old_address_stops_working_when_the_address_changes(app):
    user = create_user("viewer", email="old@example.org")
    token = unsubscribe.unsubscribe_token(user)

    user.email = "new@example.org"
    db.session.commit()

    with pytest.raises(BadUnsubscribeLink):
        unsubscribe.unsubscribe(token)
    assert unsubscribe.preferences_of(user).enabled
    assert unsubscribe.user_for_token(unsubscribe.unsubscribe_token(user)) == user


def test_a_token_for_a_user_who_no_longer_exists_is_refused(app):
    user = create_user("viewer")
    token = unsubscribe.unsubscribe_token(user)
    db.session.delete(user)
    db.session.commit()

    with pytest.raises(BadUnsubscribeLink):
        unsubscribe.unsubscribe(token)


# ----------------------------------------------------------------------------- unsubscribing


def test_unsubscribing_turns_the_digest_off_and_is_audited(app):
    user = create_user("hr_lead")

    assert unsubscribe.unsubscribe(unsubscribe.unsubscribe_token(user)) == user

    saved = db.session.get(DigestPreference, user.id)
    assert saved is not None and not saved.enabled
    assert not any(saved.wants(part) for part in DIGEST_PARTS)
    # Only the whole digest is off: the parts chosen are kept for when it is turned back on.
    assert all(getattr(saved, part) for part in DIGEST_PARTS)
    [event] = audit_events_for("digest_preference", user.id)
    assert (event.action, event.actor_id) == ("unsubscribe", user.id)
    assert (event.before, event.after) == ({"enabled": True}, {"enabled": False})
    assert user.email in event.summary


def test_unsubscribing_twice_changes_nothing_more(app):
    user = create_user("viewer")
    token = unsubscribe.unsubscribe_token(user)

    unsubscribe.unsubscribe(token)
    unsubscribe.unsubscribe(token)

    assert not unsubscribe.preferences_of(user).enabled
    assert len(audit_events_for("digest_preference", user.id)) == 1
    assert count_rows(DigestPreference) == 1


def test_unsubscribing_keeps_the_parts_someone_had_turned_off(app):
    user = create_user("trainer")
    unsubscribe.save_preferences(user, True, ["training"], user)

    unsubscribe.unsubscribe(unsubscribe.unsubscribe_token(user))

    saved = reread(db.session.get(DigestPreference, user.id))
    assert (saved.enabled, saved.training, saved.milestones) == (False, True, False)


def test_a_refused_token_writes_nothing(app):
    user = create_user("viewer")

    with pytest.raises(BadUnsubscribeLink) as refusal:
        unsubscribe.unsubscribe(unsubscribe.unsubscribe_token(user) + "x")

    assert "does not work" in refusal.value.message
    assert count_rows(DigestPreference) == 0
    assert count_rows(AuditEvent) == 0


# ----------------------------------------------------------------------------- preferences


def test_someone_who_never_chose_gets_everything_and_nothing_is_saved(app):
    user = create_user("board_member")

    preference = unsubscribe.preferences_of(user)

    assert preference.enabled
    assert all(preference.wants(part) for part in DIGEST_PARTS)
    assert preference.user_id == user.id
    db.session.commit()
    assert count_rows(DigestPreference) == 0


def test_preferences_for_many_users_come_in_one_query(app, count_queries):
    chose, never = create_user("trainer"), create_user("hr_lead")
    unsubscribe.save_preferences(chose, True, ["milestones"], chose)
    assert chose.email and never.email  # the users themselves are loaded before counting

    with count_queries() as queries:
        preferences = unsubscribe.preferences_by_user([chose, never])

    assert queries.count == 1
    assert preferences[chose.id].wants("milestones")
    assert not preferences[chose.id].wants("training")
    assert all(preferences[never.id].wants(part) for part in DIGEST_PARTS)


def test_saving_preferences_keeps_the_parts_ticked_and_audits_what_changed(app):
    user = create_user("hr_lead")

    saved = unsubscribe.save_preferences(user, True, ["milestones", "recruitment"], user)

    saved = reread(saved)
    assert saved.enabled
    assert [part for part in DIGEST_PARTS if saved.wants(part)] == ["milestones", "recruitment"]
    [event] = audit_events_for("digest_preference", user.id)
    assert (event.action, event.actor_id) == ("change_digest", user.id)
    assert (event.before, event.after) == (
        {"training": True, "readiness": True},
        {"training": False, "readiness": False},
    )
    assert event.summary == f"Turned training, readiness off for {user.email}"


def test_turning_the_whole_digest_off_is_saved_and_audited(app):
    user = create_user("viewer")

    unsubscribe.save_preferences(user, False, DIGEST_PARTS, user)

    preference = unsubscribe.preferences_of(user)
    assert not preference.enabled and not preference.wants("milestones")
    [event] = audit_events_for("digest_preference", user.id)
    assert event.summary == f"Turned the weekly digest off for {user.email}"

    unsubscribe.save_preferences(user, True, DIGEST_PARTS, user)

    assert unsubscribe.preferences_of(user).wants("milestones")
    events = audit_events_for("digest_preference", user.id)
    assert events[-1].summary == f"Turned the weekly digest on for {user.email}"


def test_saving_the_same_choices_again_records_nothing_new(app):
    user = create_user("viewer")
    unsubscribe.save_preferences(user, True, ["milestones"], user)

    unsubscribe.save_preferences(user, True, ["milestones"], user)

    assert len(audit_events_for("digest_preference", user.id)) == 1


def test_an_unknown_part_is_refused_and_nothing_is_saved(app):
    user = create_user("viewer")

    with pytest.raises(ServiceError) as refusal:
        unsubscribe.save_preferences(user, True, ["milestones", "gossip"], user)

    assert refusal.value.field == "parts"
    assert refusal.value.message == (
        "The digest has no part called 'gossip': "
        "choose from milestones, recruitment, training, readiness."
    )
    assert count_rows(DigestPreference) == 0
    assert count_rows(AuditEvent) == 0


def test_only_the_user_or_an_administrator_changes_someone_s_preferences(app):
    user, colleague, admin = create_user("viewer"), create_user("hr_lead"), create_user("admin")

    with pytest.raises(ServiceError, match="only change your own"):
        unsubscribe.save_preferences(user, False, [], colleague)
    assert count_rows(DigestPreference) == 0

    unsubscribe.save_preferences(user, False, [], admin)

    assert not unsubscribe.preferences_of(user).enabled
    [event] = audit_events_for("digest_preference", user.id)
    assert event.actor_id == admin.id
