from programme.domain.numbers import signed_whole_number, whole_number


def test_plain_digits_are_a_number():
    assert whole_number("0") == 0
    assert whole_number("42") == 42
    assert whole_number("007") == 7


def test_anything_else_is_none():
    for text in (None, "", " 4", "4 ", "-3", "+3", "4.0", "five", "²", "٣", "１２"):
        assert whole_number(text) is None, text


def test_a_signed_number_may_have_a_sign_and_spaces_around_it():
    assert signed_whole_number(" -3 ") == -3
    assert signed_whole_number("+5") == 5
    assert signed_whole_number("12") == 12
    for text in (None, "", "-", "--3", "- 3", "five", "3.5", "-²"):
        assert signed_whole_number(text) is None, text
