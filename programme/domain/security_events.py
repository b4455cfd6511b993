"""The security log's kinds of event, in the words its page shows (services/security_log.py
records them; services/security_events.py reads them back)."""

from __future__ import annotations

KIND_LABELS: dict[str, str] = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "sign_in_slowed": "Sign-in slowed down after failures",
    "sign_in_refused": "Sign-in refused",
    "two_factor_on": "Two-factor sign-in turned on",
    "two_factor_off": "Two-factor sign-in turned off",
    "two_factor_failed": "Two-factor code refused",
    "recovery_code_used": "Recovery code used",
    "recovery_codes_regenerated": "New recovery codes made",
    "session_expired": "Session expired",
    "signed_out": "Signed out",
    "password_changed": "Password changed",
    "password_reset": "Password reset",
    "refused": "Request refused",
}

# The kinds a warning tag marks on the page: what an administrator looks into first.
WARNING_KINDS = frozenset(
    {"sign_in_failed", "sign_in_slowed", "sign_in_refused", "two_factor_failed", "refused"}
)


def kind_label(kind: str) -> str:
    """ "sign_in_failed" → "Sign-in failed"; a kind not known yet, humanised."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()
