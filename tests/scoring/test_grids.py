"""Grids as data: the Doc 6 grid, the complaint and CROC grids, levels, nulls and the total."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer.content.grids import list_grids, load_grid
from trainer.domain.transcript import load_transcript
from trainer.errors import UserError
from trainer.paths import grids_dir, reference_transcripts_dir
from trainer.scoring import score_transcript
from trainer.scoring.facts import FACT_NAMES
from trainer.scoring.rules import RULE_IDS

DOC6_BEHAVIOURAL = ["image_valorisante", "adaptation_interlocuteur", "poser_sa_voix", "registre_langage",
                    "clarte_concision", "courtoisie_empathie", "evaluer_enjeux", "priorites_forts_enjeux",
                    "autonomie_initiative", "assertivite"]
DOC6_PROFESSIONAL = ["respecter_charte", "prise_de_contact", "prise_en_charge", "anticiper", "adaptation_demande",
                     "cgv_processus_vente", "gerer_mecontentement", "traiter_demande", "reformuler_demande", "prise_de_conge"]


def _grid(grid_id):
    return load_grid(grid_id, rules=set(RULE_IDS), facts=set(FACT_NAMES))


def _ref(name):
    return load_transcript(reference_transcripts_dir() / f"{name}.json")


def test_three_grids_are_shipped():
    assert {"telephone-generik", "reclamation-generik", "appel-sortant-croc"} <= set(list_grids())


def test_doc6_grid_has_both_sections_every_item_and_french_descriptors():
    grid = _grid("telephone-generik")
    assert [s.title for s in grid.sections] == ["Compétences comportementales", "Compétences professionnelles de l'accueil au téléphone"]
    assert [i.id for i in grid.sections[0].items] == DOC6_BEHAVIOURAL
    assert [i.id for i in grid.sections[1].items] == DOC6_PROFESSIONAL
    for _section, item in grid.items():
        assert sorted(item.descriptors) == [0, 1, 2, 3]
        assert all(len(d) > 10 for d in item.descriptors.values())
        assert item.draws_on and item.how


def test_complaint_grid_follows_the_nine_steps_and_the_oral_method():
    grid = _grid("reclamation-generik")
    labels = [i.label for i in grid.sections[0].items]
    assert len(labels) == 9 and [lab.split(".")[0] for lab in labels] == [str(n) for n in range(1, 10)]
    assert len(grid.sections[1].items) == 5


def test_levels_total_and_null_voice_item_in_text_mode():
    report = score_transcript(_ref("c01-commande-nouveau-client-exemplaire"))
    assert report.grid == "telephone-generik"
    voice = report.item("poser_sa_voix")
    assert voice.level is None and "mode texte" in voice.comment
    judged = [i for i in report.items if i.level is not None]
    assert all(0 <= i.level <= i.max_level == 3 for i in judged)
    expected = round(100 * sum(i.level / 3 for i in judged) / len(judged), 1)
    assert report.total == expected
    dumped = report.model_dump(mode="json")
    assert dumped["items"][2]["level"] is None  # null in JSON, as CONTRACT §5 says


def test_voice_mode_judges_the_voice():
    calm = score_transcript(_ref("c17-mode-vocal-transcription-asr"))
    assert calm.item("poser_sa_voix").level == 3
    fast = _ref("c17-mode-vocal-transcription-asr").model_copy(deep=True)
    for turn in fast.turns:
        if turn.speaker == "student":
            turn.words_per_minute = 210.0
    rushed = score_transcript(fast).item("poser_sa_voix")
    assert rushed.level is not None and rushed.level < 3 and "trop rapide" in rushed.comment


def test_good_call_scores_higher_than_poor_call():
    good = score_transcript(_ref("c01-commande-nouveau-client-exemplaire"))
    poor = score_transcript(_ref("c02-commande-mauvaises-habitudes"))
    assert good.total > 85 > 50 > poor.total
    assert good.item("respecter_charte").level == 3 and poor.item("respecter_charte").level <= 1


def test_erp_accuracy_feeds_traiter_la_demande():
    report = score_transcript(_ref("c10-commande-cede-et-familier"))
    bad = [c for c in report.erp if not c.ok]
    assert any("Mousse" in c.message and c.category == "remise" for c in bad)
    assert report.item("traiter_demande").level <= 2
    assert report.item("cgv_processus_vente").level <= 1  # critical criterion failed


def test_items_not_observable_are_null_and_out_of_the_total():
    order = score_transcript(_ref("c01-commande-nouveau-client-exemplaire"))
    assert order.item("gerer_mecontentement").level is None
    complaint = score_transcript(_ref("r01-reclamation-colis-ecrases-methode"), grid_id="reclamation-generik")
    assert complaint.item("nouvelle_chance").level == 3
    assert all(i.level is not None for i in complaint.items if i.id != "fiche_reclamation")
    croc_on_incoming = score_transcript(_ref("c01-commande-nouveau-client-exemplaire"), grid_id="appel-sortant-croc")
    assert croc_on_incoming.item("contact").level is None
    croc = score_transcript(_ref("o01-relance-grossiste-croc"), grid_id="appel-sortant-croc")
    assert croc.item("objectif").level == 3 and croc.item("conclusion").level == 3


@pytest.fixture
def grid_copy(tmp_path, monkeypatch):
    target = tmp_path / "grids"
    shutil.copytree(grids_dir(), target)
    monkeypatch.setenv("TRAINER_GRIDS_DIR", str(target))
    return target


def test_unknown_rule_in_a_grid_is_refused_with_file_line_and_field(grid_copy: Path):
    path = grid_copy / "telephone-generik.yaml"
    text = path.read_text(encoding="utf-8").replace("rule: accueil.formule\n", "rule: accueil.formul\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        _grid("telephone-generik")
    message = str(err.value)
    assert "telephone-generik.yaml" in message and "ligne" in message and "draws_on" in message and "accueil.formul" in message


def test_missing_descriptor_and_unknown_grid(grid_copy: Path):
    path = grid_copy / "appel-sortant-croc.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("          3: ")
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    with pytest.raises(UserError, match="descripteur"):
        _grid("appel-sortant-croc")
    with pytest.raises(UserError, match="grilles disponibles"):
        _grid("grille-inconnue")
