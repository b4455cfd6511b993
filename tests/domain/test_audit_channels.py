"""Who made a change, in words, for each channel it came through."""

import pytest

from programme.domain.audit_channels import CHANNEL_LABELS, who_did_it
from programme.services.channel import CHANNELS


@pytest.mark.parametrize(
    ("channel", "actor", "words"),
    [
        ("web", "Ada Lovelace", "Ada Lovelace"),
        ("web", None, "System"),
        ("cli", "Ada Lovelace", "command line, acting as Ada Lovelace"),
        ("cli", None, "command line"),
        ("json", "Ada Lovelace", "API, Ada Lovelace"),
        ("scheduler", None, "scheduled job"),
    ],
)
def test_who_did_it(channel, actor, words):
    assert who_did_it(channel, actor) == words


def test_every_channel_has_words_for_the_filter():
    assert set(CHANNEL_LABELS) == set(CHANNELS)
