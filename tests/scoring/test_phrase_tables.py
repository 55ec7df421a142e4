"""Phrase tables are data a teacher extends without touching code."""

from __future__ import annotations

import shutil

import pytest

from trainer.content.grids import check_pattern_syntax, load_phrasebook
from trainer.errors import UserError
from trainer.paths import grids_dir
from trainer.scoring.lexicon import compile_pattern, get_lexicon
from trainer.scoring.text import analyse


@pytest.fixture
def grid_copy(tmp_path, monkeypatch):
    target = tmp_path / "grids"
    shutil.copytree(grids_dir(), target)
    monkeypatch.setenv("TRAINER_GRIDS_DIR", str(target))
    return target


def test_charter_table_is_data_with_its_three_lines():
    book = load_phrasebook()
    avoid = {e.avoid for e in book.table("evitez_de_dire")}
    assert {"C'est de la part ?", "C'est pourquoi ?", "Il n'est pas là."} <= avoid
    assert all(e.instead for e in book.table("evitez_de_dire"))
    for name in ("registre_familier", "vague", "rejet_faute", "problemes_internes", "tutoiement"):
        assert book.table(name)


@pytest.mark.parametrize(("pattern", "text", "hit"), [
    ("(il|elle) n'est pas là", "Elle n'est pas là.", True),
    ("je suis [vraiment] désolé", "Je suis désolé.", True),
    ("je suis [vraiment] désolé", "Je suis vraiment désolé.", True),
    ("le préparateur * toujours", "Le préparateur les place toujours au fond.", True),
    ("avant @heure", "Je vous rappelle avant 16 h 30.", True),
    ("# tubes", "Il me faut 48 tubes.", True),
    ("tu", "Un tube de teinture.", False),
    ("c'est de la part", "C’EST DE LA PART ?", True),
])
def test_pattern_language(pattern, text, hit):
    import re

    regex = re.compile(compile_pattern(pattern))
    assert bool(any(regex.search(s.text) for s in analyse(text).sentences)) is hit


def test_bad_pattern_syntax_is_refused():
    with pytest.raises(ValueError):
        check_pattern_syntax("(il|elle n'est pas là")
    with pytest.raises(ValueError):
        check_pattern_syntax("[a (b)]")


def test_a_teacher_adds_a_variant_in_a_new_file(grid_copy, score):
    from trainer.scoring.lexicon import _LAST

    (grid_copy / "phrases" / "zz-mes-ajouts.yaml").write_text(
        'version: 1\n'
        'tables:\n'
        '  evitez_de_dire:\n'
        '    entries:\n'
        '      - id: cest_quoi_votre_nom\n'
        '        avoid: "C\'est quoi votre nom ?"\n'
        '        instead: "Pourriez-vous me rappeler votre nom ?"\n'
        '        variants: ["c\'est quoi votre nom"]\n',
        encoding="utf-8",
    )
    _LAST.clear()
    report = score(("S", "C'est quoi votre nom ?"))
    rule = report.rule("echange.formules_a_eviter")
    assert rule.verdict == "violated" and "Pourriez-vous me rappeler votre nom" in rule.advice


def test_broken_phrase_file_names_file_line_and_field(grid_copy):
    from trainer.scoring.lexicon import _LAST

    (grid_copy / "phrases" / "zz-erreur.yaml").write_text(
        "version: 1\ntables:\n  vague:\n    entries:\n      - variants: [\"(je crois\"]\n", encoding="utf-8")
    _LAST.clear()
    with pytest.raises(UserError) as err:
        get_lexicon()
    message = str(err.value)
    assert "zz-erreur.yaml" in message and "ligne 5" in message and "variants" in message


def test_duplicate_entry_id_across_files(grid_copy):
    (grid_copy / "phrases" / "zz-double.yaml").write_text(
        "version: 1\ntables:\n  vague:\n    entries:\n      - id: je_crois\n        variants: [\"je crois bien\"]\n",
        encoding="utf-8")
    with pytest.raises(UserError, match="déjà définie"):
        load_phrasebook()
