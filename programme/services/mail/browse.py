"""Reading the outbox for the admin page: messages newest first, filtered and a page at a time,
and how many there are in each status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from programme.domain.account_links import LINK_KINDS, without_link_tokens
from programme.domain.paging import PageSpan, page_bounds
from programme.extensions import db
from programme.models import OutboxMessage
from programme.models.mail import OUTBOX_STATUSES
from programme.services.errors import NotFound

PER_PAGE = 50


@dataclass(frozen=True)
class OutboxFilters:
    status: str | None = None
    kind: str | None = None
    recipient: str | None = None  # part of the address, any case
    week: str | None = None  # a digest's ISO week, '2026-W49'

    @property
    def active(self) -> bool:
        return any((self.status, self.kind, self.recipient, self.week))

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string has them (to keep them across pages)."""
        values = {"status": self.status, "kind": self.kind}
        values |= {"recipient": self.recipient, "week": self.week}
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    span: PageSpan


def _conditions(filters: OutboxFilters) -> list:
    conditions = []
    if filters.status:
        conditions.append(OutboxMessage.status == filters.status)
    if filters.kind:
        conditions.append(OutboxMessage.kind == filters.kind)
    if filters.recipient:
        conditions.append(OutboxMessage.recipient.icontains(filters.recipient, autoescape=True))
    if filters.week:
        conditions.append(OutboxMessage.kind == "digest")
        conditions.append(OutboxMessage.dedupe_key == filters.week)
    return conditions


def browse(filters: OutboxFilters, page: int = 1, per_page: int = PER_PAGE) -> OutboxPage:
    """The messages matching `filters`, newest first, `per_page` to a page. A page past the last
    shows the last."""
    conditions = _conditions(filters)
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(*conditions)) or 0
    page, pages = page_bounds(page, total, per_page)
    messages = list(
        db.session.scalars(_newest_first(conditions).offset((page - 1) * per_page).limit(per_page))
    )
    return OutboxPage(messages, PageSpan(len(messages), total, page, pages, per_page))


def matching(filters: OutboxFilters) -> list[OutboxMessage]:
    """Every message matching `filters`, newest first: all the pages `browse` shows, for the
    outbox's download."""
    return list(db.session.scalars(_newest_first(_conditions(filters))))


def _newest_first(conditions: list):
    return (
        select(OutboxMessage)
        .where(*conditions)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )


def status_counts() -> dict[str, int]:
    """How many messages are in each status, every status listed (0 when none)."""
    counted = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
                OutboxMessage.status
            )
        ).all()
    )
    return {status: counted.get(status, 0) for status in OUTBOX_STATUSES}


@dataclass(frozen=True)
class Bodies:
    text: str
    html: str | None
    links_hidden: bool


def bodies_to_show(message: OutboxMessage) -> Bodies:
    """What the admin page shows of a message's bodies. An invitation or reset link on its way
    (pending, failed) is hidden, or an administrator could use it to take over the account. A
    stored one (MAIL_TRANSPORT=outbox: nothing is sent, on a development machine) is shown,
    since reading it there is the only way to follow it; a sent one no longer holds its link."""
    if message.kind not in LINK_KINDS or message.status == "stored":
        return Bodies(message.text_body, message.html_body, links_hidden=False)
    html = without_link_tokens(message.html_body) if message.html_body else None
    return Bodies(without_link_tokens(message.text_body), html, links_hidden=True)


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("There is no message with that id in the outbox.")
    return message
