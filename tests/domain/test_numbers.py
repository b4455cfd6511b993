from programme.domain.numbers import whole_number


def test_plain_digits_are_a_number():
    assert whole_number("0") == 0
    assert whole_number("42") == 42
    assert whole_number("007") == 7


def test_anything_else_is_none():
    for text in (None, "", " 4", "4 ", "-3", "+3", "4.0", "five", "²", "٣", "１２"):
        assert whole_number(text) is None, text
