"""Scenarios as data: loading, metadata, errors with file/line/field, the linter and the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.content.lint import lint_file, lint_paths
from trainer.content.scenarios import (
    find_persona,
    list_scenarios,
    load_scenario,
    scenario_ids,
)
from trainer.errors import UserError

BRIEF_IDS = [
    "generik-commande-nouveau-client",
    "generik-commande-coiffeuse-domicile",
    "generik-commande-forts-enjeux",
    "generik-filtrage-demarcheur",
    "generik-appel-information-vente-additive",
    "generik-reclamation-colis-ecrases",
    "generik-reclamation-retard-livraison",
    "generik-reclamation-avarie-transport",
    "generik-reclamation-erreur-saisie",
    "generik-reclamation-conseil-utilisation",
    "generik-reclamation-qualite-nuances",
    "generik-avis-cadeau",
    "generik-relance-grossiste-telephone",
    "generik-rappel-satisfaction",
    "servfamilles-reservation-hotel",
]

# A small but complete scenario; tests break one thing at a time.
VALID = """\
version: 1
id: {id}
title: Un appel d'essai
company: generik
kind: commande
direction: incoming
difficulty: 1
summary: Un scénario minimal pour les tests.
persona:
  id: essai-persona
  name: Alice Martin
  civility: Madame
  company: Salon Alice
  temperament: calme et polie
  voice: {{gender: f}}
role_card:
  situation: Vous êtes à l'accueil de GENERIK.
wants:
  summary: Passer une petite commande.
  order:
    lines:
      - {{reference: GNK-SHA-1000, quantity: 2}}
start: accueil
states:
  accueil:
    transitions:
      - {{when: {{always: true}}, say: demande, goto: demande}}
  demande:
    closing: true
    idle: [relance]
lines:
  demande:
    - Bonjour, je voudrais deux shampooings.
    - Bonjour ! Il me faudrait deux shampooings.
  relance:
    - Vous avez noté ?
    - Alors, c'est noté ?
"""


def write(tmp_path: Path, text: str, scenario_id: str = "essai-appel", company: str = "generik") -> Path:
    folder = tmp_path / company
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scenario_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- The scenarios shipped -------------------------------------------------------------------------


def test_brief_candidates_and_enough_scenarios_per_company() -> None:
    ids = scenario_ids()
    for scenario_id in BRIEF_IDS:
        assert scenario_id in ids
    scenarios = list_scenarios()
    generik = [s for s in scenarios if s.company == "generik"]
    servfamilles = [s for s in scenarios if s.company == "servfamilles"]
    assert len(generik) >= 14 and len(servfamilles) >= 2
    assert [s.id for s in scenarios] == sorted(s.id for s in scenarios)


def test_one_complaint_per_category_of_doc_8() -> None:
    categories = {s.wants.complaint.category for s in list_scenarios() if s.wants.complaint and s.kind in ("reclamation", "avis")}
    assert categories >= {
        "technique_qualite",
        "technique_utilisation",
        "livraison_retard",
        "livraison_avarie",
        "livraison_erreur_preparation",
        "procedure_erreur_saisie",
        "e_reputation",
    }


def test_metadata_scoring_reads() -> None:
    scenario = load_scenario("generik-reclamation-colis-ecrases")
    assert (scenario.company, scenario.kind, scenario.direction) == ("generik", "reclamation", "incoming")
    assert scenario.persona.name == "Dominique Delmotte" and scenario.persona.civility == "Madame"
    assert scenario.persona.civ_name == "Madame Delmotte"
    complaint = scenario.expected.records[0].model_dump()
    assert complaint["kind"] == "complaint" and "livraison_erreur_preparation" in complaint["category"]
    reminder = load_scenario("generik-relance-grossiste-telephone")
    assert reminder.direction == "outgoing" and reminder.kind == "relance"
    assert reminder.expected.records[0].model_dump()["invoice"] == "FAC-004502"


def test_every_scenario_says_what_a_good_call_ends_with() -> None:
    for scenario in list_scenarios():
        assert scenario.expected.records or scenario.expected.facts, scenario.id
        assert scenario.goals, scenario.id
        assert scenario.persona.voice.gender in ("f", "m")


def test_shipped_scenarios_lint_clean() -> None:
    problems = lint_paths()
    assert problems == [], "\n".join(map(str, problems))


def test_find_persona_and_shared_personas_agree() -> None:
    delmotte = find_persona("dominique-delmotte")
    assert delmotte.client_number == "CLI-00042" and delmotte.voice.gender == "f"
    by_id: dict[str, tuple] = {}
    for scenario in list_scenarios():
        p = scenario.persona
        key = (p.name, p.civility, p.client_number, p.voice.gender, p.voice.pitch, p.voice.rate)
        assert by_id.setdefault(p.id, key) == key, f"persona {p.id} differs in {scenario.id}"
    with pytest.raises(UserError, match="Personnage « personne » inconnu"):
        find_persona("personne")


def test_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(UserError) as err:
        load_scenario("generik-nexiste-pas")
    assert "generik-nexiste-pas" in str(err.value) and "generik-avis-cadeau" in str(err.value)


# --- Errors name file, line and field --------------------------------------------------------------


def test_a_valid_file_loads_from_another_folder(tmp_path: Path) -> None:
    write(tmp_path, VALID.format(id="essai-appel"))
    scenario = load_scenario("essai-appel", directory=tmp_path)
    assert scenario.wants.order.lines[0].quantity == 2
    assert lint_file(tmp_path / "generik" / "essai-appel.yaml") == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("direction: incoming", "direction: entrant", "ligne 6, champ direction"),
        ("quantity: 2}", "quantity: deux}", "champ wants.order.lines[0].quantity"),
        ("say: demande, goto: demande}", "say: demande, goto: ailleurs}", "goto vers l'état inconnu « ailleurs »"),
        ("  civility: Madame\n", "", "champ persona.civility : champ obligatoire manquant"),
        ("difficulty: 1", "difficulty: 1\ncouleur: rouge", "ligne 8, champ couleur : champ inconnu"),
    ],
)
def test_bad_files_are_refused_with_line_and_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = VALID.format(id="essai-appel")
    assert old in text
    write(tmp_path, text.replace(old, new))
    with pytest.raises(UserError) as err:
        load_scenario("essai-appel", directory=tmp_path)
    message = str(err.value)
    assert "generik/essai-appel.yaml" in message and expected in message


def test_yaml_on_key_and_numbers_in_phrases_are_handled(tmp_path: Path) -> None:
    # « on: » is a YAML boolean: transitions have their own key; numbers in text lists are words.
    text = VALID.format(id="essai-appel").replace(
        "    idle: [relance]", "    idle: [relance]\n    transitions:\n      - {when: {text: [48, 20 %]}, say: relance}"
    )
    write(tmp_path, text)
    scenario = load_scenario("essai-appel", directory=tmp_path)
    assert scenario.states["demande"].transitions[0].when.text == ["48", "20 %"]


def test_file_name_and_folder_must_match_id_and_company(tmp_path: Path) -> None:
    write(tmp_path, VALID.format(id="autre-id"), scenario_id="essai-appel")
    with pytest.raises(UserError, match="ne correspond pas au nom du fichier"):
        load_scenario("essai-appel", directory=tmp_path)
    write(tmp_path, VALID.format(id="essai-appel"), scenario_id="essai-appel", company="servfamilles")
    with pytest.raises(UserError, match="dans le dossier « servfamilles »"):
        load_scenario_file_from(tmp_path / "servfamilles" / "essai-appel.yaml")


def load_scenario_file_from(path: Path):
    from trainer.content.scenarios import load_scenario_file

    return load_scenario_file(path)


# --- The linter ------------------------------------------------------------------------------------


def lint_codes(tmp_path: Path, text: str) -> list[tuple[str, int | None]]:
    path = write(tmp_path, text)
    return [(p.code, p.line) for p in lint_file(path)]


def test_lint_unreachable_state_and_dead_end(tmp_path: Path) -> None:
    text = VALID.format(id="essai-appel").replace(
        "  demande:\n    closing: true\n",
        "  demande:\n    transitions:\n      - {when: {intent: thank}, say: relance}\n  oubli:\n    say: [relance]\n    transitions:\n      - {when: {intent: thank}, goto: demande}\n",
    )
    problems = lint_file(write(tmp_path, text))
    codes = {p.code for p in problems}
    assert {"etat-inaccessible", "impasse"} <= codes
    unreachable = next(p for p in problems if p.code == "etat-inaccessible")
    assert "oubli" in unreachable.message and unreachable.line == text.splitlines().index("  oubli:") + 1


def test_lint_unknown_slot_and_line_without_variant(tmp_path: Path) -> None:
    text = VALID.format(id="essai-appel").replace(
        "    - Alors, c'est noté ?\n", "    - Alors, c'est noté, {prenom_inconnu} ?\n"
    ) + "  seule:\n    - Une seule formulation.\n"
    text = text.replace("    idle: [relance]", "    idle: [relance, seule]")
    problems = lint_file(write(tmp_path, text))
    slot = next(p for p in problems if p.code == "variable-inconnue")
    assert "{prenom_inconnu}" in slot.message and slot.line == text.splitlines().index("    - Alors, c'est noté, {prenom_inconnu} ?") + 1
    single = next(p for p in problems if p.code == "sans-variante")
    assert "seule" in single.message


def test_lint_unknown_intent_flag_and_line(tmp_path: Path) -> None:
    text = VALID.format(id="essai-appel").replace(
        "    idle: [relance]",
        "    idle: [relance]\n    transitions:\n      - {when: {intent: danser, flags: [jamais_pose]}, say: inexistante}",
    )
    codes = {code for code, _ in lint_codes(tmp_path, text)}
    assert {"intention-inconnue", "drapeau-jamais-pose", "replique-inconnue"} <= codes


def test_lint_company_data(tmp_path: Path) -> None:
    text = VALID.format(id="essai-appel").replace("  company: Salon Alice\n", "  company: Salon Alice\n  client_number: CLI-00042\n")
    text = text.replace("GNK-SHA-1000, quantity: 2", "GNK-XXX-999, quantity: 2")
    problems = lint_file(write(tmp_path, text))
    messages = [p.message for p in problems if p.code == "donnees-entreprise"]
    assert any("Dominique Delmotte" in m for m in messages)
    assert any("GNK-XXX-999" in m for m in messages)


# --- Commands --------------------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``trainer`` in-process as the console script does; return (exit code, stdout, stderr)."""
    from trainer.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (0 if code is None else int(code)), out, err


def test_trainer_scenarios_json_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "scenarios", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {row["id"] for row in data} >= set(BRIEF_IDS)
    row = next(r for r in data if r["id"] == "generik-relance-grossiste-telephone")
    assert row == {
        "id": "generik-relance-grossiste-telephone",
        "title": row["title"],
        "company": "generik",
        "kind": "relance",
        "direction": "outgoing",
        "difficulty": 2,
        "persona": {"name": "Philippe Germain", "civility": "Monsieur"},
    }
    code, out, _ = run_cli(capsys, "scenarios", "generik-relance-grossiste-telephone")
    assert code == 0 and "FICHE DE RÔLE" in out
    assert "FAC-004502" in out and "{amount_due}" not in out and "euros" in out


def test_trainer_scenarios_unknown_id_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "scenarios", "inconnu")
    assert code == 1
    assert err.count("\n") == 1 and "inconnu" in err and "Traceback" not in err


def test_trainer_lint_reports_file_and_line_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = VALID.format(id="essai-appel") + "  seule:\n    - Une seule formulation.\n"
    path = write(tmp_path, text)
    code, out, _ = run_cli(capsys, "lint", str(path))
    assert code == 1
    assert "essai-appel.yaml, ligne" in out and "[sans-variante]" in out
    code, out, _ = run_cli(capsys, "lint")
    assert code == 0 and "Aucun problème" in out
