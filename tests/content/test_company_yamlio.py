"""The YAML loader shared by every content file: located French errors, no silent surprises."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ConfigDict, Field

from trainer.content.yamlio import load_yaml, load_yaml_text
from trainer.errors import UserError


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    quantity: int = Field(ge=1)


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    day: date | None = None
    items: list[Item]


GOOD = """version: 1
day: 2026-11-20
items:
  - name: tube
    quantity: 48
  - name: flacon
    quantity: 2
"""


def test_good_file_loads(tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text(GOOD, encoding="utf-8")
    doc = load_yaml(path, Doc)
    assert doc.day == date(2026, 11, 20) and [i.quantity for i in doc.items] == [48, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("quantity: 2", "quantity: deux"), "f.yaml, ligne 7, champ items[1].quantity : nombre entier attendu."),
        (GOOD.replace("quantity: 2", "quantity: 0"), "f.yaml, ligne 7, champ items[1].quantity : valeur trop petite (minimum 1)."),
        (GOOD.replace("  - name: flacon\n", "  - nom: flacon\n"), "f.yaml, ligne 6, champ items[1].nom : champ inconnu"),
        (GOOD.replace("version: 1\n", ""), "f.yaml, ligne 1, champ version : champ obligatoire manquant."),
        (GOOD.replace("day: 2026-11-20", "day: 2026-13-45"), "f.yaml, ligne 2, champ day : "),
        (GOOD + "items: []\n", "f.yaml, ligne 8, champ items : clé en double (déjà donnée ligne 3)."),
        (GOOD.replace("    quantity: 48", "    quantity: [48"), "f.yaml, ligne 6 : YAML invalide"),
        ("", "f.yaml : le fichier est vide."),
        ("- a\n- b\n", "f.yaml, ligne 1 : un ensemble de champs « clé : valeur » est attendu."),
    ],
)
def test_errors_name_file_line_and_field(text, expected):
    with pytest.raises(UserError) as err:
        load_yaml_text(text, Doc, "f.yaml")
    assert str(err.value).startswith(expected), str(err.value)
    assert "\n" not in str(err.value)


def test_several_errors_are_counted():
    text = GOOD.replace("quantity: 2", "quantity: deux").replace("quantity: 48", "quantity: x")
    with pytest.raises(UserError, match=r"\(1 autre\(s\) erreur\(s\) dans ce fichier\)"):
        load_yaml_text(text, Doc, "f.yaml")


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(UserError, match="fichier introuvable"):
        load_yaml(tmp_path / "absent.yaml", Doc)
    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nitems:\n  - name: crème\n    quantity: 1\n".encode("latin-1"))
    with pytest.raises(UserError, match="ligne 3 : le fichier n'est pas en UTF-8"):
        load_yaml(path, Doc)


def test_unquoted_shade_in_an_order_line():
    from trainer.domain.orders import LineRequest

    assert LineRequest(reference="GNK-CCS-100", shade=6.4, quantity=1).shade == "6.4"
    assert LineRequest(reference="GNK-CCS-100", shade=6, quantity=1).shade == "6"
