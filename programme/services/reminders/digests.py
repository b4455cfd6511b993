"""Planning a week's digests: who gets one and what it says, composed and ready to queue.

One digest a person a week, combining every part that applies to them (`domain.digests`),
and none for someone with nothing to act on. Deactivated people and those invited who have
not joined yet are not considered at all; everyone else either has a digest or is listed in
`skipped` with the reason. Nothing is written: `weekly.send_week` queues and sends the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from programme.domain.digest_items import PARTS, Digest, Recipient
from programme.domain.digests import digest_for
from programme.domain.formatting import count
from programme.domain.permissions import permits
from programme.domain.weeks import iso_week, week_commencing
from programme.extensions import db
from programme.models import DigestPreference, Membership, User
from programme.services.mail.compose import Composed, app_url, compose
from programme.services.mail.unsubscribe import unsubscribe_headers, unsubscribe_url
from programme.services.reminders import digest_facts

NOTHING_TO_ACT_ON = "nothing to act on"
TURNED_OFF = "digest turned off"
NO_ADDRESS = "no e-mail address we can send to"

# The parts a role brings (beyond a person's own milestones and sessions), by permission.
ROLE_PARTS = {
    "recruitment": "digest_recruitment",
    "training": "digest_training",
    "readiness": "digest_readiness",
}


@dataclass(frozen=True)
class Skip:
    user: User
    reason: str


@dataclass(frozen=True)
class PlannedDigest:
    user: User
    week: str  # as_of's ISO week, 'YYYY-Www': with the address, what makes a digest unique
    items: list[dict]  # {"part", "text", "link"}
    composed: Composed
    headers: dict


@dataclass
class Planned:
    digests: list[PlannedDigest] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def plan_digests(as_of: date) -> Planned:
    """Each active person's digest for `as_of`'s ISO week, or why they get none. Loads
    everything at once, in a bounded number of queries however many people or localities."""
    users = list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.password_hash.is_not(None))
            .order_by(User.name, User.id)
        )
    )
    # One row a person who changed anything (deactivated people's too: few, and no IN list).
    preferences = {p.user_id: p for p in db.session.scalars(select(DigestPreference))}
    roles = _roles_by_user()
    recipients = {
        user.id: _recipient(user, preferences.get(user.id), roles.get(user.id, {}))
        for user in users
    }
    week = iso_week(as_of)
    readers = [r.id for r in recipients.values() if _has(r, "readiness")]
    facts = digest_facts.load(
        as_of,
        [r.id for r in recipients.values() if r.wants],
        localities=any(_has(r, part) for r in recipients.values() for part in ROLE_PARTS),
        posts=any(_has(r, "recruitment") for r in recipients.values()),
        sessions=any("training" in r.wants for r in recipients.values()),
    )
    baselines = digest_facts.baselines(
        as_of, week, readers, [locality.id for locality in facts.localities]
    )
    if baselines:  # outcome indicators moved away since the earliest reader's last digest
        since = min(baseline.day for baseline in baselines.values())
        facts = replace(facts, indicator_moves=digest_facts.indicator_moves(since))
    planned = Planned()
    for user in users:
        recipient = recipients[user.id]
        if not recipient.wants:
            planned.skipped.append(Skip(user, TURNED_OFF))
            continue
        digest = digest_for(replace(recipient, baseline=baselines.get(user.id)), facts, as_of)
        if digest.empty:
            planned.skipped.append(Skip(user, NOTHING_TO_ACT_ON))
        elif not can_receive(user.email):
            planned.skipped.append(Skip(user, NO_ADDRESS))
        else:
            composed = compose_digest(user, digest)
            headers = unsubscribe_headers(user)
            planned.digests.append(PlannedDigest(user, week, digest.items, composed, headers))
    return planned


def _roles_by_user() -> dict[int, dict[int, str]]:
    """{user id: {programme id: role}}: every membership, in one query."""
    roles: dict[int, dict[int, str]] = {}
    for user_id, programme_id, role in db.session.execute(
        select(Membership.user_id, Membership.programme_id, Membership.role)
    ):
        roles.setdefault(user_id, {})[programme_id] = role
    return roles


def _recipient(user: User, preference: DigestPreference | None, roles: dict[int, str]) -> Recipient:
    """The parts the person wants (none with the digest turned off), the programmes they are a
    member of, and the parts their role in each brings (`roles`: {programme id: role})."""
    wants = frozenset(PARTS if preference is None else (p for p in PARTS if preference.wants(p)))
    if user.is_admin:  # instance staff: every programme, and no role's parts
        roles_there = {part: frozenset() for part in ROLE_PARTS}
        return Recipient(user.id, wants, frozenset(), programmes=None, part_programmes=roles_there)
    part_programmes = {
        part: frozenset(p for p, role in roles.items() if permits(role, action))
        for part, action in ROLE_PARTS.items()
    }
    role_parts = frozenset(part for part, where in part_programmes.items() if where)
    return Recipient(
        user.id,
        wants,
        role_parts,
        programmes=frozenset(roles),
        part_programmes=part_programmes,
    )


def _has(recipient: Recipient, part: str) -> bool:
    return part in recipient.wants and part in recipient.role_parts


def can_receive(address: str | None) -> bool:
    """Whether mail can be addressed to it: a well-formed address (its domain is not looked
    up)."""
    from email_validator import EmailNotValidError, validate_email  # 0.05 s: not at start-up

    if not address:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def compose_digest(user: User, digest: Digest) -> Composed:
    """The digest's subject, plain-text and HTML parts (templates/mail/digest.txt, .html)."""
    things = len(digest.items)
    return compose(
        "digest",
        user=user,
        digest=digest,
        headline=f"{count(things, 'thing')} {'needs' if things == 1 else 'need'} you this week",
        week_commencing=week_commencing(digest.as_of),
        unsubscribe_url=unsubscribe_url(user),
        preferences_url=preferences_url(),
    )


def preferences_url() -> str:
    """Where a person chooses which parts of the digest they get."""
    return app_url("mail.preferences")
