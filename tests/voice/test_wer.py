"""French normalisation and word error rate."""

from __future__ import annotations

import pytest

from trainer.voice.frnumbers import int_to_words, spell_numbers
from trainer.voice.wer import align, corpus_wer, normalize_words, word_error_rate


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (48, "quarante-huit"),
        (71, "soixante et onze"),
        (72, "soixante-douze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (2080, "deux mille quatre-vingts"),
        (80000, "quatre-vingt mille"),
        (60_000_000, "soixante millions"),
        (200_000_000, "deux cents millions"),
    ],
)
def test_numbers_are_spelt_the_french_way(number: int, words: str) -> None:
    assert int_to_words(number) == words


def test_spelling_numbers_in_a_sentence() -> None:
    assert spell_numbers("48 tubes en 6.4 pour le 1er mars") == "quarante-huit tubes en six point quatre pour le premier mars"
    assert spell_numbers("rappelez au 06 12 34 56 78") == "rappelez au zéro six douze trente-quatre cinquante-six soixante-dix-huit"
    assert spell_numbers("avant 16 h, total 1 000 euros") == "avant seize heures, total mille euros"


def test_normalisation_case_punctuation_elision_accents() -> None:
    assert normalize_words("IL éTAIT à SOIXANTE MILLIONS DE KILOMèTRES DANS L’ESPACE") == normalize_words(
        " Il était à 60 millions de kilomètres dans l'espace."
    )
    assert normalize_words("Est-ce que Mme Delmotte est là ?") == ["est", "ce", "que", "madame", "delmotte", "est", "là"]
    # Accents are kept: "a" (avoir) and "à" are different words.
    assert normalize_words("il a") != normalize_words("il à")


def test_error_counts() -> None:
    result = align(["le", "chat", "dort"], ["le", "chien", "dort", "bien"])
    assert (result.substitutions, result.deletions, result.insertions) == (1, 0, 1)
    assert word_error_rate("le chat dort", "le chat dort") == 0.0
    assert word_error_rate("a b c d", "a c d") == pytest.approx(0.25)
    assert word_error_rate("quarante-huit tubes", "48 tubes") == 0.0
    assert corpus_wer([("a b", "a b"), ("c d e f", "c x e f")]) == pytest.approx(1 / 6)
