"""The password policy: long enough, not common or guessable, and no composition rules."""

import pytest

from programme.domain.passwords import MAX_LENGTH, MIN_LENGTH, password_problems


def test_a_password_shorter_than_twelve_characters_is_refused():
    assert MIN_LENGTH == 12
    assert password_problems("kettle drum") == ["Password must be at least 12 characters long."]


def test_a_password_longer_than_the_maximum_is_refused():
    assert "or fewer" in password_problems("word " * (MAX_LENGTH // 5 + 1))[0]


def test_a_password_on_the_common_list_is_refused():
    assert "too common" in password_problems("123qweasdzxc")[0]


@pytest.mark.parametrize("password", ["passwordpassword", "qwertyuiopasdf", "aaaaaaaaaaaa"])
def test_an_easily_guessed_password_is_refused(password):
    assert "too easy to guess" in password_problems(password)[0]


def test_a_password_made_of_the_persons_own_name_is_refused():
    name = ["Zephyrine Okonkwo", "Zephyrine", "Okonkwo"]
    assert password_problems("okonkwozephyrine") == []  # fine for anybody else
    assert "too easy to guess" in password_problems("okonkwozephyrine", name)[0]


@pytest.mark.parametrize(
    "password",
    [
        "marble orchard kettle drum",  # all lower case, no digit, no symbol: no composition rules
        "correct horse battery staple",
        "Marble orchard, kettle drum!",
    ],
)
def test_a_long_passphrase_is_accepted(password):
    assert password_problems(password) == []
