"""The student script language of ``trainer play`` (CONTRACT §3): what a teacher types, what is refused."""

from __future__ import annotations

import pytest

from trainer.call.script import ACTIONS, Action, ScriptError, Speech, load_script, parse_script, script_help


def test_speech_comments_and_blank_lines() -> None:
    script = parse_script("# un commentaire\n\nGENERIK, Julie, bonjour !\n   \nMerci, au revoir.\n", "s.txt")
    assert [(s.line, s.text) for s in script.speeches] == [(3, "GENERIK, Julie, bonjour !"), (5, "Merci, au revoir.")]
    assert script.rings is None


def test_decrocher_and_raccrocher() -> None:
    script = parse_script("/decrocher 2\nBonjour\n/raccrocher\nencore\n", "s.txt")
    assert script.rings == 2
    assert [type(i).__name__ for i in script.items] == ["Action", "Speech", "Action", "Speech"]
    assert script.items[2].name == "raccrocher"


def test_erp_actions_positional_and_keywords() -> None:
    script = parse_script(
        "/client CLI-00042\n"
        "/ligne GNK-CCS-100 6.4 24\n"
        "/ligne GNK-SHA-1000 1\n"
        "/ligne ref=GNK-CCS-100 teinte=5.6 qté=24\n"
        '/nouveau-client nom="Sophie Martin" salon="Salon Sophie" segment=salon_independant '
        'région="Nouvelle-Aquitaine" tel="05 56 12 34 56"\n'
        '/reclamation categorie=livraison_avarie solution="nouvel envoi"\n'
        "/message pour=« M. Mocher » nom=\"Paul Girard\" societe=Coiff'Expo tel=\"06 12 34 56 78\" objet=salon rappel=\"demain 10 h\"\n"
        "/relance resultat=promesse_de_paiement date=2026-11-30\n",
        "s.txt",
    )
    actions = script.erp_actions
    assert actions[0].args == {"numero": "CLI-00042"}
    assert actions[1].args == {"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": 24}
    assert actions[2].args == {"reference": "GNK-SHA-1000", "quantite": 1}
    assert actions[3].args == {"reference": "GNK-CCS-100", "teinte": "5.6", "quantite": 24}
    assert actions[4].args["region"] == "Nouvelle-Aquitaine" and actions[4].args["tel"] == "05 56 12 34 56"
    assert actions[5].args == {"categorie": "livraison_avarie", "solution": "nouvel envoi"}
    assert actions[6].args["pour"] == "M. Mocher" and actions[6].args["societe"] == "Coiff'Expo"
    assert actions[7].args == {"resultat": "promesse_de_paiement", "date": "2026-11-30"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour\n/danser\n", "ligne 2 : action « /danser » inconnue"),
        ("/ligne GNK-CCS-100 6.4 beaucoup\n", "ligne 1, /ligne, argument quantite : « beaucoup » n'est pas un nombre entier"),
        ("/ligne GNK-CCS-100\n", "argument quantite manquant"),
        ("/client\n", "argument numero manquant"),
        ("/client CLI-1 CLI-2\n", "valeur « CLI-2 » en trop"),
        ("/ligne GNK-CCS-100 6.4 24 couleur=rouge\n", "argument « couleur » inconnu"),
        ('/message pour="M. Mocher nom=x\n', "guillemet ouvert sans guillemet fermant"),
        ("Bonjour\n/decrocher 2\n", "ligne 2 : /decrocher doit précéder la première réplique"),
        ("/decrocher 0\n", "de 1 à 20 sonneries"),
        ("/decrocher 1\n/decrocher 2\n", "déjà donné ligne 1"),
        ("/reclamation categorie=\"\"\n", "argument categorie : valeur vide"),
        ("/\n", "action « /(vide) » inconnue"),
    ],
)
def test_mistakes_name_the_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ScriptError) as err:
        parse_script(text, "eleve.txt")
    assert str(err.value).startswith("eleve.txt, ligne ")
    assert expected in str(err.value)


def test_load_script_rejects_non_utf8(tmp_path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Bonjour\nDésolée\n".encode("latin-1"))
    with pytest.raises(ScriptError, match=r"latin1.txt, ligne 2 : le fichier n'est pas en UTF-8"):
        load_script(path)
    with pytest.raises(ScriptError, match="absent.txt : fichier introuvable"):
        load_script(tmp_path / "absent.txt")


def test_help_lists_every_action_with_an_example() -> None:
    text = script_help()
    for name, spec in ACTIONS.items():
        assert f"/{name}" in text and spec.example in text


def test_items_keep_line_numbers() -> None:
    script = parse_script("\n\n/decrocher\nAllô\n", "x")
    assert script.items == [Action(3, "decrocher", {}, "/decrocher"), Speech(4, "Allô")]
    assert script.rings == 1
