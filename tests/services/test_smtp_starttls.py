"""With SMTP_STARTTLS on, the connection verifies the server's certificate and host name: smtplib's
default context verifies neither, and whoever answered would read SMTP_PASSWORD and every
message, reset and invitation links included."""

from __future__ import annotations

import smtplib
import ssl

from programme.services.mail import transports


class RecordingSmtp:
    calls: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def ehlo_or_helo_if_needed(self):
        pass

    def ehlo(self):
        pass

    def starttls(self, *args, **kwargs):
        RecordingSmtp.calls.append((args, kwargs))

    def login(self, user, password):
        pass

    def close(self):
        pass

    def quit(self):
        pass


def _effective_context(args, kwargs) -> ssl.SSLContext:
    context = kwargs.get("context") or (args[2] if len(args) > 2 else None)
    # What smtplib.SMTP.starttls does when it is given none:
    return context or ssl._create_stdlib_context()


def test_starttls_verifies_the_server_certificate(app, monkeypatch):
    monkeypatch.setattr(transports.smtplib, "SMTP", RecordingSmtp)
    RecordingSmtp.calls.clear()
    config = dict(app.config)
    config.update(
        SMTP_HOST="mail.example.org",
        SMTP_PORT=587,
        SMTP_STARTTLS=True,
        SMTP_USERNAME="robot",
        SMTP_PASSWORD="secret",
    )
    transport = transports.SmtpTransport(config)

    transport._connect()

    [(args, kwargs)] = RecordingSmtp.calls
    context = _effective_context(args, kwargs)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert smtplib  # (the real module is what the app uses outside this probe)
