"""How many failed sign-ins are tolerated, and how much they slow the next attempt down.

Refusing is kept to one (account, address) pair: after PAIR_MAX failures within the window that
pair is refused until the failures age out. Counted per account alone or per address alone,
failures only slow sign-in down with growing delays, so nobody can lock a person out by guessing
their password from elsewhere, nor a whole council behind one address.

The counts given include the attempt being judged (it is recorded before it is checked, so
parallel guesses each see the others).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    pair_max: int = 5  # failures of one account from one address before refusing
    account_free: int = 3  # failures of an account (any address) before slowing down
    address_free: int = 10  # failures from an address (any account) before slowing down
    first_delay: float = 1.0  # seconds, doubled for each failure beyond the free ones
    max_delay: float = 10.0


@dataclass(frozen=True)
class Verdict:
    refuse: bool
    delay: float  # seconds to wait before checking the password


def _delay(failures: int, free: int, limits: Limits) -> float:
    beyond = failures - free
    if beyond <= 0:
        return 0.0
    return min(limits.max_delay, limits.first_delay * 2 ** min(beyond - 1, 30))


def judge(pair: int, account: int, address: int, limits: Limits = Limits()) -> Verdict:
    """`pair`, `account` and `address`: recent unsuccessful attempts, this one included."""
    if pair > limits.pair_max:
        return Verdict(refuse=True, delay=0.0)
    # The attempt being judged is not yet a failure: only the earlier ones slow it down.
    delay = max(
        _delay(account - 1, limits.account_free, limits),
        _delay(address - 1, limits.address_free, limits),
    )
    return Verdict(refuse=False, delay=delay)
