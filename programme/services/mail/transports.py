"""How a message leaves the outbox: through an SMTP server, or nowhere (kept in the outbox).

`MAIL_TRANSPORT=smtp` talks to SMTP_HOST:SMTP_PORT with the standard library's `smtplib`,
not Flask-Mail: delivery needs the server's own reply for each message (the code and text a
refused recipient got, 550 against 451), to tell a permanent refusal from a temporary one, and
Flask-Mail hides those behind its own send(). `MAIL_TRANSPORT=outbox` (the development
default) sends nothing: each message is simply marked `stored`, to be read on the admin page.

A transport is used for one batch (`with transport: transport.send(message)` for each); the SMTP
one opens a single connection for the batch, reuses it message after message, and opens a new
one after a failure that broke it. Once the server cannot be reached at all, the rest of the
batch is answered with that same temporary failure rather than waiting SMTP_TIMEOUT for each.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

from programme.clock import now
from programme.models import OutboxMessage

ACCEPTED, STORED, PERMANENT, TEMPORARY = "accepted", "stored", "permanent", "temporary"


@dataclass(frozen=True)
class Outcome:
    """What became of one message: `accepted` by the server, `stored` without sending, or
    refused, `permanent`ly (a 5xx reply) or for now (`temporary`: a 4xx reply, no connection,
    a timeout); `error` is the server's reply or the failure, in words."""

    result: str
    error: str | None = None


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc) -> None: ...

    def send(self, message: OutboxMessage) -> Outcome: ...


class OutboxTransport:
    """Sends nothing: the message stays in the outbox, marked `stored`."""

    def __enter__(self) -> OutboxTransport:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, message: OutboxMessage) -> Outcome:
        return Outcome(STORED)


# 998 is the longest line RFC 5322 allows; shorter headers stay on one line.
UNFOLDED = policy.SMTP.clone(max_line_length=998)


def sender_domain(sender: str) -> str:
    return sender.rpartition("@")[2].strip(" >") or "localhost"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes on the wire: From, To, Subject, Date, Message-ID, the message's
    own extra headers (List-Unsubscribe…), a plain-text part and, when there is one, the HTML
    alternative, then the message's attachments (an invitation's .ics as text/calendar with
    its METHOD parameter, which calendar clients read).

    Headers are not folded: a folded List-Unsubscribe (a long URL with no space to fold at) would
    go out as RFC 2047 encoded words, which mail providers do not read as the `<https://…>` that
    RFC 8058 one-click unsubscribe needs.
    """
    email = EmailMessage(policy=UNFOLDED)
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now())
    extra = dict(message.headers or {})
    email["Message-ID"] = extra.pop("Message-ID", None) or make_msgid(domain=sender_domain(sender))
    for name, value in extra.items():
        email[name] = value
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments or []:
        _attach(email, attachment)
    return email


def _attach(email: EmailMessage, attachment: dict) -> None:
    """One stored attachment ({filename, content_type, content}); its content type's parameters
    (`method=REQUEST`) are kept, with charset utf-8."""
    maintype, _, rest = attachment["content_type"].partition("/")
    subtype, *parameters = (part.strip() for part in rest.split(";"))
    params = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset" and value:
            params[name.strip().lower()] = value.strip().strip('"')
    content = attachment["content"]
    if maintype == "text":
        email.add_attachment(
            content, subtype=subtype, filename=attachment["filename"], params=params
        )
    else:
        email.add_attachment(
            content.encode("utf-8"),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
            params=params,
        )


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _by_code(code: int, text: str) -> Outcome:
    return Outcome(PERMANENT if 500 <= code < 600 else TEMPORARY, text)


class SmtpTransport:
    """Sends through an SMTP server: SMTP_TIMEOUT on every connection, STARTTLS when
    SMTP_STARTTLS is on, login when SMTP_USERNAME is set."""

    def __init__(self, config) -> None:
        self.host = config["SMTP_HOST"]
        self.port = int(config["SMTP_PORT"])
        self.timeout = config["SMTP_TIMEOUT"]
        self.starttls = bool(config["SMTP_STARTTLS"])
        self.username = config.get("SMTP_USERNAME")
        self.password = config.get("SMTP_PASSWORD") or ""
        self.sender = config["MAIL_FROM"]
        self._connection: smtplib.SMTP | None = None
        # Set when the server could not be reached: the rest of the batch is not tried.
        self._unreachable: str | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc) -> None:
        self._close(polite=True)

    def send(self, message: OutboxMessage) -> Outcome:
        if self._unreachable:
            return Outcome(TEMPORARY, self._unreachable)
        email = build_email(message, self.sender)
        envelope_from = self._addr_spec(self.sender)
        reused = self._connection is not None
        try:
            connection = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            self._unreachable = f"Could not reach {self.host}:{self.port}: {_describe(error)}"
            return Outcome(TEMPORARY, self._unreachable)
        try:
            connection.send_message(email, envelope_from, [message.recipient])
        except smtplib.SMTPServerDisconnected as error:
            self._close()
            if reused:  # a connection the server had dropped while idle: one fresh try
                return self.send(message)
            return Outcome(TEMPORARY, f"The server closed the connection: {_describe(error)}")
        except smtplib.SMTPNotSupportedError as error:  # an address only SMTPUTF8 can carry
            return Outcome(PERMANENT, f"The server cannot take this address: {_describe(error)}")
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(message.recipient) or next(
                iter(error.recipients.values()), (450, b"refused")
            )
            return _by_code(code, _reply(code, text))
        except smtplib.SMTPResponseException as error:  # sender refused, data refused…
            if error.smtp_code in (421,):  # the server is closing this connection
                self._close()
            return _by_code(error.smtp_code, _reply(error.smtp_code, error.smtp_error))
        except (smtplib.SMTPException, OSError) as error:
            self._close()
            return Outcome(TEMPORARY, _describe(error))
        return Outcome(ACCEPTED)

    @staticmethod
    def _addr_spec(sender: str) -> str:
        if "<" in sender:
            return sender.rpartition("<")[2].rstrip("> ")
        return sender.strip()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            connection.ehlo_or_helo_if_needed()
            if self.starttls:
                # Verify the server's certificate and name: smtplib's own default verifies
                # neither, and the password and reset links would go to whoever answered.
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _close(self, polite: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if polite:
                connection.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            connection.close()


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, TimeoutError):
        return f"timed out ({error})" if str(error) else "timed out"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def transport_for(config) -> Transport:
    """The transport MAIL_TRANSPORT names (`smtp` or `outbox`)."""
    name = (config.get("MAIL_TRANSPORT") or "outbox").strip().lower()
    if name == "smtp":
        return SmtpTransport(config)
    if name == "outbox":
        return OutboxTransport()
    raise ValueError(f"MAIL_TRANSPORT must be 'smtp' or 'outbox', not {name!r}.")
