"""French numbers in digits or in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.dialogue.normalize import normalize
from trainer.dialogue.numbers import digitize, find_numbers, parse_number


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("48", 48),
        ("quarante-huit", 48),
        ("quarante huit", 48),
        ("soixante-douze", 72),
        ("soixante et onze", 71),
        ("quatre-vingt-dix-neuf", 99),
        ("vingt et un", 21),
        ("cent vingt", 120),
        ("une cinquantaine", 50),
        ("une vingtaine", 20),
        ("une centaine", 100),
        ("deux douzaines", 24),
        ("une douzaine", 12),
        ("une demi-douzaine", 6),
        ("un", 1),
        ("6,5", Decimal("6.5")),
        ("Soixante-Douze", 72),
    ],
)
def test_parse_number(said: str, value: object) -> None:
    assert parse_number(said) == value


@pytest.mark.parametrize("said", ["", "tubes", "48 tubes", "bonjour madame", "un peu"])
def test_parse_number_refuses_what_is_not_one_number(said: str) -> None:
    assert parse_number(said) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("je voudrais quarante-huit crèmes", "je voudrais 48 cremes"),
        ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "0 6 12 34 56 78"),
        ("une cinquantaine de tubes", "~50 de tubes"),
        ("deux douzaines de shampooings", "24 de shampooings"),
        ("trente pour cent", "30 pourcent"),
        ("seize heures trente", "16 heures 30"),
        ("le premier décembre", "le 1er decembre"),
        ("douze euros cinquante", "12 euros 50"),
    ],
)
def test_digitize(line: str, expected: str) -> None:
    assert digitize(normalize(line)) == expected


@pytest.mark.parametrize(
    "line",
    ["c'est un peu cher", "une question", "un produit neuf", "il est tout neuf", "remis à neuf"],
)
def test_articles_and_the_adjective_neuf_stay_words(line: str) -> None:
    digits = digitize(normalize(line))
    assert not find_numbers(digits), digits


def test_the_number_nine_is_read() -> None:
    assert [n.value for n in find_numbers(digitize(normalize("j'en veux neuf")))] == [9]


def test_find_numbers_marks_approximations_and_decimals() -> None:
    numbers = find_numbers(digitize(normalize("une vingtaine de tubes en 6,4")))
    assert [(n.value, n.approx) for n in numbers] == [(Decimal("20"), True), (Decimal("6.4"), False)]
    assert numbers[0].is_integer and not numbers[1].is_integer


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=999_999))
def test_every_number_written_by_the_student_in_words_is_read(value: int) -> None:
    from text_to_num import alpha2digit  # noqa: F401 - the dependency we rely on

    words = _in_words(value)
    assert parse_number(words) == value, words


_UNITS = "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split()
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"}


def _below_100(n: int) -> str:
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        word = _TENS[tens * 10]
        return word if unit == 0 else word + (" et un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante" + (" et onze" if n == 71 else "-" + _below_100(n - 60))
    rest = n - 80
    return "quatre-vingts" if rest == 0 else "quatre-vingt-" + _below_100(rest)


def _below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_100(rest)
    head = "cent" if hundreds == 1 else _UNITS[hundreds] + (" cents" if rest == 0 else " cent")
    return head if rest == 0 else f"{head} {_below_100(rest)}"


def _in_words(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    if thousands == 0:
        return _below_1000(rest)
    head = "mille" if thousands == 1 else f"{_below_1000(thousands)} mille"
    return head if rest == 0 else f"{head} {_below_1000(rest)}"
