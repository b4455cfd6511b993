"""The posts a recruitment import reads and writes, in batches rather than one post at a time.

Planning loads only the posts the file can match (by its references, and the queues of its
(team, role) pairs), not the whole programme; the commit inserts new posts in one executemany and
updates the matched ones by id and version, so a post edited since it was planned is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from sqlalchemy import bindparam, func, select, update

from programme.clock import utc_now
from programme.domain.hr_trackers import POST_FIELDS
from programme.domain.imports import RowPlan
from programme.domain.recruitment_matching import ExistingPost, PostFinder, reference_key
from programme.extensions import db
from programme.models import Post, Programme
from programme.services import batch_insert
from programme.services.errors import StaleEdit

# Values per IN list or per statement: well under SQLite's bound-parameter limit (999 before
# 3.32), so every chunk is one query on any database.
CHUNK = 500


def post_finder(programme: Programme) -> PostFinder:
    """Finds the programme's posts with the given reference keys or (team, role) pairs."""

    def find(keys: set[str], pairs: set[tuple[int, int]]) -> list[ExistingPost]:
        return [*_with_references(programme, keys), *_of_pairs(programme, pairs)]

    return find


def _with_references(programme: Programme, keys: set[str]) -> Iterator[ExistingPost]:
    if not keys:
        return
    # upper(trim(reference)) can use no index, so each query reads every post of the programme:
    # one query, never a chunk per 500 keys. SQLite's upper() folds ASCII letters only, and a
    # file of more keys than a chunk names most posts anyway: then every numbered post is read
    # and compared in Python.
    if len(keys) <= CHUNK and all(key.isascii() for key in keys):
        found = [_posts(programme, func.upper(func.trim(Post.reference)).in_(sorted(keys)))]
    else:
        found = [_posts(programme, Post.reference.is_not(None))]
    for posts in found:
        # SQL narrowed the posts; the key Python makes has the last word, as in the matching.
        yield from (post for post in posts if reference_key(post.values["reference"]) in keys)


def _of_pairs(programme: Programme, pairs: set[tuple[int, int]]) -> Iterator[ExistingPost]:
    roles = sorted({role for _team, role in pairs})
    for teams in _chunks(sorted({team for team, _role in pairs})):
        posts = _posts(programme, Post.team_id.in_(teams), Post.role_id.in_(roles))
        yield from (post for post in posts if (post.team_id, post.role_id) in pairs)


def _posts(programme: Programme, *where) -> list[ExistingPost]:
    columns = [getattr(Post, name) for name in POST_FIELDS]
    rows = db.session.execute(
        select(Post.id, Post.frozen, Post.version, *columns).where(
            Post.programme_id == programme.id, *where
        )
    )
    return [
        ExistingPost(
            id=row.id,
            team_id=row.team_id,
            role_id=row.role_id,
            frozen=row.frozen,
            values={name: getattr(row, name) for name in POST_FIELDS},
            version=row.version,
        )
        for row in rows
    ]


def _chunks(items: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def insert_posts(rows: Iterable[dict]) -> None:
    """New posts, in batches (`batch_insert`)."""
    batch_insert.insert_rows(Post, rows)


def update_posts(rows: list[RowPlan], versions: dict[int, int], today: date) -> None:
    """Each row's changes written to its post by id, in one executemany per set of changed
    fields, only where the post is still at the version planned (and then one on).

    A post changed since it was planned is refused (StaleEdit, so the caller's transaction
    writes nothing): first by reading the posts' versions, which names the row as before; then
    by the UPDATEs' own version check, for a change that lands between that read and the write.
    """
    _refuse_if_changed(rows, versions)
    batches: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for row in rows:
        params = {f"new_{name}": new for name, (_old, new) in row.changes.items()}
        params.update(post_id=row.post_id, planned_version=versions[row.post_id])
        batches[tuple(sorted(row.changes))].append(params)
    written = 0
    now = utc_now()
    for names, params in batches.items():
        written += db.session.execute(_update_statement(names, today, now), params).rowcount
    if written != len(rows):
        raise StaleEdit(
            "A post was changed while the import ran. Nothing was saved: try the import again."
        )
    _expire_loaded({row.post_id for row in rows})


def _expire_loaded(post_ids: set[int]) -> None:
    """The UPDATEs bypass the session: a Post it already holds would keep its old values for
    the rest of the transaction (seed-demo reads the posts it has just imported), so those are
    expired and read again when next used."""
    for loaded in list(db.session.identity_map.values()):
        if isinstance(loaded, Post) and loaded.id in post_ids:
            db.session.expire(loaded)


def _update_statement(names: tuple[str, ...], today: date, now):
    table = Post.__table__
    values = {name: bindparam(f"new_{name}", type_=table.c[name].type) for name in names}
    if "status" in names:
        values["status_changed_on"] = today
    values.update(version=table.c.version + 1, updated_at=now)
    return (
        update(table)
        .where(
            table.c.id == bindparam("post_id"),
            table.c.version == bindparam("planned_version"),
        )
        .values(values)
    )


def _refuse_if_changed(rows: list[RowPlan], versions: dict[int, int]) -> None:
    """Refuse, naming its row, a post whose version moved on (or that was removed) since the
    rows were planned."""
    now: dict[int, int] = {}
    for chunk in _chunks([row.post_id for row in rows]):
        found = db.session.execute(select(Post.id, Post.version).where(Post.id.in_(chunk)))
        now.update(found.all())
    stale = next((row for row in rows if now.get(row.post_id) != versions[row.post_id]), None)
    if stale is not None:
        raise StaleEdit(
            f"Row {stale.row}'s post was changed while the import ran. Nothing was saved: "
            "try the import again."
        )
