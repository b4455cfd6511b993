"""What each person's weekly digest says: from plain facts and the day it is built (`as_of`),
the items of each part that applies to them.

A digest has up to four parts: their own milestones (anyone who owns one), recruitment (HR
leads), training (their own sessions and, for trainers, what each locality still needs) and
readiness (board members; `digest_readiness.py`, with the outcome indicators that moved away
from their target, `digest_outcomes.py`). Each item is one thing to act on with the page
to act on it, `{"part", "text", "link"}`; links are worked out by the caller (this module knows
no URLs), so every fact that becomes an item carries its page. The windows of days (overdue,
next 14 days, within 3 months, 4 weeks) are defined, edges and all, in `digest_items.py`.

Plain Python: no Flask, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from programme.domain.digest_items import (
    Digest,
    DigestFacts,
    Item,
    LocalityState,
    OwnedMilestone,
    Part,
    PostPage,
    Recipient,
    Row,
    Section,
    SessionFacts,
    due_soon_until,
    going_live_soon_until,
    part_of,
    stale_since,
)
from programme.domain.digest_readiness import readiness_part
from programme.domain.formatting import count, long_date, number, percent, relative_days, share_text
from programme.domain.gate_criteria import CriterionKind
from programme.domain.recruitment import PIPELINE, PostFacts, PostStatus, counted_posts
from programme.domain.timeline import MilestoneStatus
from programme.domain.training import Completion, completions, is_relevant

# --- Milestones --------------------------------------------------------------------------------


def milestones_part(
    owner_id: int, milestones: Iterable[OwnedMilestone], as_of: date
) -> Part | None:
    """The owner's milestones not done: overdue, then due in the next 14 days, soonest first."""
    mine = sorted(
        (
            m
            for m in milestones
            if m.owner_id == owner_id and m.status != MilestoneStatus.DONE and m.due is not None
        ),
        key=lambda m: (m.due, m.title),
    )
    overdue = [m for m in mine if m.due < as_of]
    soon = [m for m in mine if as_of <= m.due <= due_soon_until(as_of)]
    return part_of(
        "milestones",
        Section("Overdue", tuple(_milestone_item(m, as_of) for m in overdue)),
        Section("Due in the next 14 days", tuple(_milestone_item(m, as_of) for m in soon)),
    )


def _milestone_item(milestone: OwnedMilestone, as_of: date) -> Item:
    status = MilestoneStatus(milestone.status).label
    when = relative_days((milestone.due - as_of).days)
    return Item(
        "milestones",
        f"{milestone.title} ({milestone.where}): due {long_date(milestone.due)} ({when}), "
        f"{status.lower()}",
        milestone.link,
    )


# --- Recruitment -------------------------------------------------------------------------------


def recruitment_part(
    localities: Iterable[LocalityState], posts: Mapping[int, PostPage], as_of: date
) -> Part | None:
    """For an HR lead: adult specialist posts not recruited in localities going live within 3
    months; posts still on their way through the pipeline whose status has not changed for 4
    weeks; and localities below the gate's recruitment threshold. A post of a team serving
    several localities is listed once, under the locality going live first."""
    localities = sorted(localities, key=lambda loc: (loc.go_live, loc.name))
    soon = going_live_soon_until(as_of)
    unrecruited, seen = [], set()
    for locality in localities:
        if locality.go_live > soon:
            continue
        recruited = set(locality.facts.recruited)
        for post in counted_posts(locality.facts.posts):
            if post.id in seen or post.recruited_on(recruited, as_of):
                continue
            seen.add(post.id)
            unrecruited.append(_unrecruited_item(post, locality, posts, as_of))
    return part_of(
        "recruitment",
        Section(
            "Adult specialist posts not recruited in localities going live within 3 months",
            tuple(unrecruited),
        ),
        Section("Posts whose status has not changed for 4 weeks", _stale(localities, posts, as_of)),
        Section(
            "Localities below the recruitment threshold",
            tuple(item for loc in localities if (item := _below_threshold(loc)) is not None),
        ),
    )


def _post_link(post: PostFacts, posts: Mapping[int, PostPage]) -> str:
    return posts[post.id].link if post.id in posts else ""


def _unrecruited_item(
    post: PostFacts, locality: LocalityState, posts: Mapping[int, PostPage], as_of: date
) -> Item:
    status = PostStatus(post.status_on(as_of)).label
    if post.start_date and post.start_date > as_of:
        status += f", starts {long_date(post.start_date)}"
    return Item(
        "recruitment",
        f"{post.label}: {status}; {locality.name} {locality.when(as_of)}",
        _post_link(post, posts),
    )


def last_changed(post: PostFacts, page: PostPage | None) -> date | None:
    """The day the post's status was last set: its history's last step, else the status date
    kept on the post."""
    if post.history:
        return post.history[-1][0]
    return page.status_date if page else None


def _stale(
    localities: Iterable[LocalityState], posts: Mapping[int, PostPage], as_of: date
) -> tuple[Item, ...]:
    """Posts (any role, not frozen) still on their way to recruited whose status was last set
    on or before `stale_since(as_of)`, longest waiting first."""
    found: dict[int, tuple[date, Item]] = {}
    for locality in localities:
        recruited = set(locality.facts.recruited)
        for post in locality.facts.posts:
            if post.id in found or post.frozen:
                continue
            status = PostStatus(post.status)
            if status not in PIPELINE or status.value in recruited:
                continue
            changed = last_changed(post, posts.get(post.id))
            if changed is None or changed > stale_since(as_of):
                continue
            waited = count((as_of - changed).days // 7, "week")
            text = (
                f"{post.label} ({locality.name}): {status.label} since {long_date(changed)}, "
                f"{waited} without a change"
            )
            found[post.id] = (changed, Item("recruitment", text, _post_link(post, posts)))
    return tuple(item for _changed, item in sorted(found.values(), key=lambda pair: pair[0]))


def _below_threshold(locality: LocalityState) -> Item | None:
    result = next(
        (r for r in locality.readiness.results if r.criterion.kind is CriterionKind.RECRUITED),
        None,
    )
    if result is None or result.met:
        return None
    threshold = percent(result.threshold)
    if result.share.denominator:
        shortfall = (
            f"{share_text(result.share)} of adult specialist posts recruited, "
            f"{count(result.gap, 'more post')} needed to reach {threshold}"
        )
    else:
        shortfall = f"no adult specialist posts to count toward the threshold of {threshold}"
    return Item("recruitment", f"{locality.name}: {shortfall}", locality.links.recruitment)


# --- Training ----------------------------------------------------------------------------------

SESSION_COLUMNS = ("Session", "Date", "Places taken")
NEEDS_COLUMNS = ("Locality", "Course", "Staff still to train", "Of them booked on a session")


def training_part(
    trainer_id: int,
    sessions: Iterable[SessionFacts],
    localities: Iterable[LocalityState],
    as_of: date,
    *,
    needs: bool,
) -> Part | None:
    """The person's sessions in the next 14 days with places taken, their past sessions with no
    register taken, and (`needs`: for trainers) per locality going live within 3 months, how
    many relevant staff still need each course the gate counts."""
    mine = sorted((s for s in sessions if s.trainer_id == trainer_id), key=lambda s: (s.on, s.id))
    upcoming = [s for s in mine if as_of <= s.on <= due_soon_until(as_of)]
    unregistered = [s for s in mine if s.on < as_of and not s.register_taken]
    return part_of(
        "training",
        Section(
            "Your sessions in the next 14 days",
            tuple(_session_item(s) for s in upcoming),
            SESSION_COLUMNS,
        ),
        Section(
            "Your past sessions with no register taken",
            tuple(
                Item(
                    "training",
                    f"{s.name} on {long_date(s.on)}: no register taken",
                    s.link,
                )
                for s in unregistered
            ),
        ),
        Section(
            "Staff still to train in localities going live within 3 months",
            _training_needs(localities, as_of) if needs else (),
            NEEDS_COLUMNS,
        ),
    )


def _session_item(session: SessionFacts) -> Item:
    places = f"{number(session.enrolled)} of {number(session.capacity)}"
    full = " (over capacity)" if session.enrolled > session.capacity else ""
    return Item(
        "training",
        f"{session.name} on {long_date(session.on)}: {places} places taken{full}",
        session.link,
        (Row((session.name, long_date(session.on), places + full)),),
    )


def _training_needs(localities: Iterable[LocalityState], as_of: date) -> tuple[Item, ...]:
    """Per locality going live within 3 months and per course its gate counts, the relevant
    staff (in post, in a role the course is for) who have not completed it, and how many of
    them hold a place on a session still to come."""
    items = []
    soon = going_live_soon_until(as_of)
    for locality in sorted(localities, key=lambda loc: (loc.go_live, loc.name)):
        if locality.go_live > soon:
            continue
        for course in locality.facts.courses.values():
            done = completions(course.attended, course.rule, as_of)
            waiting = {
                person.id
                for person in locality.facts.staff
                if is_relevant(person, course.roles, as_of)
                and done.get(person.id) != Completion.COMPLETE
            }
            if not waiting:
                continue
            booked = len(waiting & {place.staff_id for place in course.booked})
            text = (
                f"{locality.name} ({locality.when(as_of)}): "
                f"{count(len(waiting), 'relevant member', 'relevant members')} of staff still "
                f"to complete {course.name}, {number(booked) if booked else 'none'} of them "
                "booked on a session"
            )
            row = Row((locality.name, course.name, number(len(waiting)), number(booked)))
            items.append(Item("training", text, locality.links.training, (row,)))
    return tuple(items)


# --- Putting a digest together -----------------------------------------------------------------


def digest_for(recipient: Recipient, facts: DigestFacts, as_of: date) -> Digest:
    """Every part that applies to the recipient and that they want, each with its items; no
    parts at all when there is nothing to act on."""
    wants, roles = recipient.wants, recipient.role_parts
    seen = recipient.sees

    def localities(part: str) -> tuple:
        return tuple(each for each in facts.localities if seen(each, part))

    parts: list[Part | None] = []
    if "milestones" in wants:
        mine = (m for m in facts.milestones if seen(m))
        parts.append(milestones_part(recipient.id, mine, as_of))
    if "recruitment" in wants and "recruitment" in roles:
        parts.append(recruitment_part(localities("recruitment"), facts.posts, as_of))
    if "training" in wants:
        needs = "training" in roles
        sessions = tuple(s for s in facts.sessions if seen(s))
        places = localities("training") if needs else ()
        parts.append(training_part(recipient.id, sessions, places, as_of, needs=needs))
    if "readiness" in wants and "readiness" in roles:
        moves = tuple(move for move in facts.indicator_moves if seen(move, "readiness"))
        parts.append(readiness_part(localities("readiness"), recipient.baseline, as_of, moves))
    return Digest(as_of, tuple(part for part in parts if part is not None))
