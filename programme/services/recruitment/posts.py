"""A post's life: adding it, changing it, freezing or removing it, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from programme.domain.audit_changes import fields_in_words
from programme.domain.recruitment import MAX_LENGTHS, POST_STATUSES, PostStatus, is_email, valid_fte
from programme.extensions import db
from programme.models import (
    AuditEvent,
    Locality,
    Post,
    PostStatusChange,
    Programme,
    Team,
    User,
    post_values,
)
from programme.services import audit, organisations
from programme.services.errors import Conflict, NotFound, ServiceError
from programme.services.lookup import get_within
from programme.services.recruitment.roles import get_role
from programme.services.stale import flush_or_refuse, refuse_if_stale
from programme.services.transaction import transactional


def get_post(programme: Programme, post_id: int) -> Post:
    return get_within(
        Post, post_id, "programme_id", programme.id, f"{programme.name} has no post {post_id}."
    )


def get_team(locality: Locality, team_id: int) -> Team:
    return get_within(
        Team, team_id, "locality_id", locality.id, f"{locality.name} has no team {team_id}."
    )


@dataclass
class PostInput:
    """What a person may set on a post through a form."""

    role_id: int
    # The employing organisation. None: on a new post, the programme's organisation of the
    # role's usual type (see organisations.organisation_for_type); on a change, the post's own.
    organisation_id: int | None = None
    fte: float = 1.0
    reference: str | None = None
    status: str = PostStatus.VACANT.value
    holder_name: str = ""
    holder_email: str = ""
    start_date: date | None = None
    notes: str = ""


def _employer(programme: Programme, values: PostInput, post: Post | None) -> int:
    if values.organisation_id is None:
        if post is not None:
            return post.organisation_id
        role = get_role(programme, values.role_id)
        return organisations.organisation_for_type(programme, role.agency).id
    try:
        return organisations.get_organisation(programme, values.organisation_id).id
    except NotFound:
        raise ServiceError("Choose the employing organisation.", "organisation_id") from None


def _checked(programme: Programme, values: PostInput, post: Post | None = None) -> dict:
    get_role(programme, values.role_id)
    if values.fte is None or not valid_fte(values.fte):
        raise ServiceError("FTE must be more than 0 and no more than 1, such as 0.5.", "fte")
    if values.status not in {status.value for status in POST_STATUSES}:
        raise ServiceError("Choose the post's status.", "status")
    cleaned = {
        "role_id": values.role_id,
        "organisation_id": _employer(programme, values, post),
        "fte": round(values.fte, 2),
        "status": values.status,
        "reference": (values.reference or "").strip() or None,
        "holder_name": values.holder_name.strip(),
        "holder_email": values.holder_email.strip().lower(),
        "start_date": values.start_date,
        "notes": values.notes.strip(),
    }
    for name, limit in MAX_LENGTHS.items():
        if len(cleaned[name] or "") > limit:
            raise ServiceError(f"This must be {limit} characters or fewer.", name)
    if cleaned["holder_email"] and not is_email(cleaned["holder_email"]):
        raise ServiceError(
            "Enter the post holder's e-mail address, like name@example.org.", "holder_email"
        )
    _check_reference_free(programme, cleaned["reference"], post)
    return cleaned


def _check_reference_free(programme: Programme, reference: str | None, post: Post | None) -> None:
    if not reference:
        return
    holder = db.session.scalar(
        select(Post).where(
            Post.programme_id == programme.id, func.upper(Post.reference) == reference.upper()
        )
    )
    if holder is not None and holder is not post:
        raise Conflict(
            f"The reference {reference} is already used by a {holder.role.name} post in "
            f"{holder.team.name}.",
            "reference",
        )


def record_status(
    post: Post, actor: User | None, today: date, import_id: int | None = None
) -> None:
    """Date the post's current status and add it to the post's history."""
    post.status_changed_on = today
    db.session.add(
        PostStatusChange(
            post=post, status=post.status, changed_on=today, actor=actor, import_id=import_id
        )
    )


def _audit_post(actor, action: str, post: Post, summary: str, before=None, after=None) -> None:
    audit.record(
        actor,
        action,
        "post",
        post.id,
        summary,
        programme_id=post.programme_id,
        locality_id=post.team.locality_id,
        before=before,
        after=after,
    )


@transactional
def create_post(team: Team, values: PostInput, actor: User | None, *, today: date) -> Post:
    programme = team.locality.programme
    with db.session.no_autoflush:
        cleaned = _checked(programme, values)
        post = Post(programme_id=programme.id, team=team, **cleaned)
        record_status(post, actor, today)
        db.session.add(post)
    db.session.flush()
    _audit_post(
        actor,
        "create",
        post,
        f"Added a {post.role.name} post to {team.name}",
        after=post_values(post),
    )
    return post


def _changed_since_opened(post: Post) -> str:
    return (
        f"Someone else changed this {post.role.name} post after you opened it. Your changes "
        "were not saved: review the current values and make your change again."
    )


def _saved_at_same_moment(role_name: str) -> str:
    return (
        f"Someone else saved this {role_name} post at the same moment. Your changes were not "
        "saved: review the current values and make your change again."
    )


@transactional
def update_post(
    post: Post,
    values: PostInput,
    actor: User | None,
    *,
    today: date,
    expected_version: int | None,
) -> list[str]:
    """Change a post; returns the names of the fields that changed (none: nothing written)."""
    refuse_if_stale(post, expected_version, _changed_since_opened(post))
    role_name = post.role.name
    with db.session.no_autoflush:
        cleaned = _checked(post.team.locality.programme, values, post)
        old, new = audit.changed_fields(post_values(post), cleaned)
        if not new:
            return []
        for name, value in new.items():
            setattr(post, name, value)
        if "status" in new:
            record_status(post, actor, today)
        _audit_post(
            actor,
            "update",
            post,
            f"Changed a {role_name} post in {post.team.name}: {fields_in_words('post', new)}",
            before=old,
            after=new,
        )
    flush_or_refuse(_saved_at_same_moment(role_name))
    return list(new)


@transactional
def set_frozen(post: Post, frozen: bool, actor: User | None, expected_version: int | None) -> None:
    """Freeze a post (out of the counted establishment) or bring it back."""
    refuse_if_stale(post, expected_version, _changed_since_opened(post))
    if post.frozen == frozen:
        return
    post.frozen = frozen
    _audit_post(
        actor,
        "freeze" if frozen else "unfreeze",
        post,
        f"{'Froze' if frozen else 'Unfroze'} a {post.role.name} post in {post.team.name}",
        before={"frozen": not frozen},
        after={"frozen": frozen},
    )
    flush_or_refuse(_saved_at_same_moment(post.role.name))


@transactional
def remove_post(post: Post, actor: User | None, expected_version: int | None) -> None:
    refuse_if_stale(post, expected_version, _changed_since_opened(post))
    _audit_post(
        actor,
        "delete",
        post,
        f"Removed a {post.role.name} post from {post.team.name}",
        before=post_values(post),
    )
    db.session.delete(post)
    flush_or_refuse(_saved_at_same_moment(post.role.name))


def post_trail(post: Post, limit: int = 200) -> list:
    """The audit events about one post, newest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "post", AuditEvent.entity_id == post.id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
