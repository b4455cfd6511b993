"""The demo's made-up people: their e-mail addresses, and the post statuses that mean a post
has someone in it."""

from __future__ import annotations

import re

from programme.domain.recruitment import PostStatus

HELD_POSTS = (PostStatus.IN_POST.value, PostStatus.APPOINTED.value)
DEMO_DOMAIN = "somerset.example.org"


def demo_email(name: str) -> str:
    """firstname.lastname@somerset.example.org, from a name like "Liam O'Brien"."""
    parts = [re.sub(r"[^a-z]", "", part) for part in name.lower().split()]
    return ".".join(part for part in parts if part) + "@" + DEMO_DOMAIN
