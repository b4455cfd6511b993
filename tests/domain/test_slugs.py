"""Slugs and keys made from names."""

from programme.domain.slugs import name_key, slugify, unique_key


def test_a_name_becomes_a_hyphenated_slug_and_an_underscored_key():
    assert slugify("South Somerset") == "south-somerset"
    assert name_key("DA / worker!", "role") == "da_worker"
    assert name_key("!!!", "role") == "role"
    assert name_key("a" * 69 + " b", "role", max_length=70) == "a" * 69


def test_a_free_base_is_kept_and_a_taken_one_is_numbered_from_two():
    assert unique_key("bridgwater", set()) == "bridgwater"
    assert unique_key("bridgwater", {"bridgwater"}) == "bridgwater-2"
    assert unique_key("da_worker", {"da_worker", "da_worker_2"}, separator="_") == "da_worker_3"


def test_a_numbered_key_fits_the_length_by_shortening_the_base():
    base = "x" * 80

    key = unique_key(base, {base}, max_length=80)

    assert key == "x" * 78 + "-2"
    assert unique_key("ab-c", {"ab-c"}, max_length=4) == "ab-2"
