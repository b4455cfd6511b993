"""A real SMTP server on localhost (aiosmtpd) for tests: it keeps every message it accepts, and
can be told to refuse some recipients for good (550) or to be down (a closed port)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.recipients[0]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        """The text/plain or text/html part, decoded."""
        body = self.message.get_body(preferencelist=(subtype,))
        if body is None or body.get_content_subtype() != subtype:
            raise AssertionError(f"the message has no text/{subtype} part")
        return body.get_content()


@dataclass
class MailHandler:
    received: list[Received] = field(default_factory=list)
    # Addresses answered "550 no such mailbox" at RCPT TO.
    refuse: set[str] = field(default_factory=set)
    # Seconds to take over each message (to make two senders overlap).
    delay: float = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: MailHandler

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address.lower() in mail.recipients]

    def settings(self) -> dict:
        """App config sending through this server."""
        return {"MAIL_TRANSPORT": "smtp", "SMTP_HOST": self.host, "SMTP_PORT": self.port}


def free_port() -> int:
    """A port nothing listens on (for 'the server is down')."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app) -> Iterator[SmtpServer]:
    """A running SMTP server, with `app` configured to send through it."""
    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    server = SmtpServer("127.0.0.1", controller.port, handler)
    saved = {key: app.config.get(key) for key in server.settings()}
    app.config.update(server.settings())
    try:
        yield server
    finally:
        controller.stop()
        app.config.update(saved)


@pytest.fixture
def smtp_down(app) -> Iterator[int]:
    """`app` configured to send through a port where no server listens."""
    port = free_port()
    saved = {key: app.config.get(key) for key in ("MAIL_TRANSPORT", "SMTP_HOST", "SMTP_PORT")}
    app.config.update({"MAIL_TRANSPORT": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port})
    try:
        yield port
    finally:
        app.config.update(saved)
