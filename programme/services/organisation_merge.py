"""Merging two partner organisations that are one (a duplicate an import or a person made): the
posts and people of one move to the other, which keeps its names as alternative names."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from programme.domain.formatting import count, listed
from programme.domain.organisations import merged_names
from programme.extensions import db
from programme.models import Organisation, Post, StaffMember, User
from programme.services import audit
from programme.services.errors import ServiceError
from programme.services.transaction import transactional


@dataclass(frozen=True)
class MergeOutline:
    """What merging `source` into `into` would move, for the confirmation page."""

    source: Organisation
    into: Organisation
    posts: int
    people: int
    names: list[str]  # the names `into` gains as alternative names

    @property
    def moves(self) -> str:
        """ "12 posts and 3 people"."""
        return f"{count(self.posts, 'post')} and {count(self.people, 'person', 'people')}"

    @property
    def kept(self) -> str:
        """ "“Y” is kept as one of its alternative names" (empty when it gains none)."""
        if not self.names:
            return ""
        quoted = listed(f"“{name}”" for name in self.names)
        if len(self.names) == 1:
            return f"{quoted} is kept as one of its alternative names"
        return f"{quoted} are kept as its alternative names"


def _refuse_unless_mergeable(source: Organisation, into: Organisation) -> None:
    if source.programme_id != into.programme_id:
        raise ServiceError(
            f"{source.name} and {into.name} belong to different programmes, so they cannot be "
            "merged.",
            "into",
        )
    if source.id == into.id:
        raise ServiceError(
            f"Choose another organisation to merge {source.name} into: it cannot be merged into "
            "itself.",
            "into",
        )


def merge_outline(source: Organisation, into: Organisation) -> MergeOutline:
    _refuse_unless_mergeable(source, into)
    posts = db.session.scalar(select(func.count(Post.id)).where(Post.organisation_id == source.id))
    people = db.session.scalar(
        select(func.count(StaffMember.id)).where(StaffMember.organisation_id == source.id)
    )
    gained = [
        name
        for name in merged_names(into.name, into.names, [source.name, *source.names])
        if name not in into.names
    ]
    return MergeOutline(source, into, posts, people, gained)


@transactional
def merge_organisations(
    source: Organisation, into: Organisation, actor: User | None
) -> MergeOutline:
    """Move `source`'s posts and people to `into`, keep `source`'s name and alternative names as
    alternative names of `into`, and delete `source`. Each moved post and person counts as
    changed, so an edit opened before the merge is refused rather than undoing it."""
    outline = merge_outline(source, into)
    before = {"names": list(into.names)}
    db.session.execute(
        update(Post)
        .where(Post.organisation_id == source.id)
        .values(organisation_id=into.id, version=Post.version + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(StaffMember)
        .where(StaffMember.organisation_id == source.id)
        .values(organisation_id=into.id, version=StaffMember.version + 1),
        execution_options={"synchronize_session": False},
    )
    into.names = merged_names(into.name, into.names, [source.name, *source.names])
    audit.record(
        actor,
        "merge",
        "organisation",
        into.id,
        f"Merged {source.name} into {into.name}: {outline.moves} moved",
        programme_id=into.programme_id,
        before=before,
        after={
            "merged": source.name,
            "merged_id": source.id,
            "posts": outline.posts,
            "people": outline.people,
            "names": list(into.names),
        },
    )
    db.session.delete(source)
    db.session.flush()
    # Posts and people held in the session still name the deleted organisation: read again.
    db.session.expire_all()
    return outline
