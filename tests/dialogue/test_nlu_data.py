"""Teachers extend the NLU through its data files, never the code; mistakes are reported clearly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.dialogue.nlu import reload_data, understand
from trainer.dialogue.nlu_data import PACKAGE_DATA_DIR, data_path
from trainer.errors import UserError


@pytest.fixture
def school_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A school's own data folder (TRAINER_NLU_DATA_DIR), caches reloaded around the test."""
    monkeypatch.setenv("TRAINER_NLU_DATA_DIR", str(tmp_path))
    reload_data()
    yield tmp_path
    monkeypatch.delenv("TRAINER_NLU_DATA_DIR")
    reload_data()


def _copy_with(school: Path, name: str, old: str, new: str) -> None:
    text = (PACKAGE_DATA_DIR / name).read_text(encoding="utf-8")
    assert old in text
    (school / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_example_phrase_added_by_a_teacher_is_understood(school_dir: Path) -> None:
    line = "Je vous souhaite la bienvenue sur notre ligne."
    assert not understand(line).has("greet")
    _copy_with(school_dir, "intents.yaml", "      - bien le bonjour\n", "      - bien le bonjour\n      - la bienvenue sur notre ligne\n")
    reload_data()
    assert data_path("intents.yaml") == school_dir / "intents.yaml"
    assert understand(line).has("greet")
    # Files the school did not copy still come from the package.
    assert data_path("sms.yaml") == PACKAGE_DATA_DIR / "sms.yaml"


def test_a_product_alias_and_an_sms_word_added_by_a_teacher(school_dir: Path) -> None:
    _copy_with(school_dir, "products.yaml", "    - spray brillance\n", "    - spray brillance\n    - brillantine\n")
    _copy_with(school_dir, "sms.yaml", "  bjr: bonjour\n", "  bjr: bonjour\n  bjrrr: bonjour\n  cmdr: commander\n")
    reload_data()
    u = understand("je voudrais cmdr deux brillantines")
    assert u.normalized == "je voudrais commander deux brillantines"
    assert [(q.value, q.product) for q in u.slots.quantities] == [(2, "GNK-SPB-300")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      - bien le bonjour\n", "", None),  # no error: a valid edit
        ("    description: Salutation d'ouverture", "    descrption: Salutation d'ouverture", "descrption"),
        ("      - '\\b(?:bonjour|bonsoir|bjr|allo)\\b'", "      - '\\b(?:bonjour|bonsoir'", "expression régulière"),
        ("    overrides: [ask_details]\n    examples_in: question", "    overrides: [ask_detail]\n    examples_in: question", "ask_detail"),
    ],
)
def test_a_broken_intents_file_names_file_line_and_what_is_wrong(school_dir: Path, old: str, new: str, expected: str | None) -> None:
    _copy_with(school_dir, "intents.yaml", old, new)
    reload_data()
    if expected is None:
        understand("Bonjour")
        return
    with pytest.raises(UserError) as caught:
        understand("Bonjour")
    message = str(caught.value)
    assert "intents.yaml" in message and expected in message
    assert "\n" not in message.strip()


def test_a_file_that_is_not_yaml(school_dir: Path) -> None:
    (school_dir / "fillers.yaml").write_text("version: 1\nfillers: [euh, ben\n", encoding="utf-8")
    reload_data()
    with pytest.raises(UserError, match="fillers.yaml"):
        understand("euh bonjour")


def test_the_packaged_files_are_all_valid() -> None:
    for name in ("intents.yaml", "products.yaml", "sms.yaml", "fillers.yaml", "first_names.yaml"):
        assert (PACKAGE_DATA_DIR / name).is_file()
    reload_data()
    assert understand("GENERIK, Julie, bonjour").has("greet")
