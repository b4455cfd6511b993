"""The sign-in limits: one account from one address is refused after five failures; an account
or an address alone is only ever slowed down, by growing delays with a ceiling."""

import pytest

from programme.domain.sign_in_limits import Limits, judge

LIMITS = Limits(pair_max=5, account_free=3, address_free=10, first_delay=1.0, max_delay=10.0)


def test_a_first_attempt_is_neither_refused_nor_slowed():
    verdict = judge(pair=1, account=1, address=1, limits=LIMITS)
    assert not verdict.refuse
    assert verdict.delay == 0


@pytest.mark.parametrize("pair, refused", [(5, False), (6, True), (40, True)])
def test_the_pair_is_refused_after_five_failures(pair, refused):
    # The counts include the attempt being judged: the sixth after five failures is refused.
    assert judge(pair=pair, account=pair, address=pair, limits=LIMITS).refuse is refused


@pytest.mark.parametrize("account", [6, 50, 10_000])
def test_an_account_alone_is_never_refused_however_many_failures(account):
    verdict = judge(pair=1, account=account, address=1, limits=LIMITS)
    assert not verdict.refuse
    assert 0 < verdict.delay <= LIMITS.max_delay


def test_delays_grow_with_the_failures_beyond_the_free_ones_up_to_the_ceiling():
    delays = [judge(1, account, 1, LIMITS).delay for account in range(1, 12)]
    assert delays[:4] == [0, 0, 0, 0]  # three earlier failures are free
    assert delays[4:8] == [1, 2, 4, 8]
    assert set(delays[8:]) == {10}
    assert delays == sorted(delays)


def test_an_address_alone_is_only_slowed_down():
    assert judge(1, 1, 11, LIMITS).delay == 0
    assert judge(1, 1, 12, LIMITS).delay == 1
    verdict = judge(1, 1, 500, LIMITS)
    assert not verdict.refuse and verdict.delay == 10


def test_the_longer_of_the_two_delays_applies():
    assert judge(1, 6, 14, LIMITS).delay == 4  # account: 2 s, address: 4 s
