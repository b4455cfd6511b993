"""E-mail: composing messages from templates, the outbox every message passes through, and
delivery through the configured transport (MAIL_TRANSPORT)."""
