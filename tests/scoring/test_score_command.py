"""``trainer score`` as CONTRACT §1 and §5 say: JSON, French report, exit 1 on bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from trainer.cli import main
from trainer.paths import reference_transcripts_dir
from trainer.scoring.rules import RULE_IDS

GOOD = reference_transcripts_dir() / "c01-commande-nouveau-client-exemplaire.json"


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def run_ok(capsys, *args):
    try:
        main(list(args))
    except SystemExit as exc:  # typer exits 0 at the end of a command
        assert exc.code in (0, None)
    out = capsys.readouterr()
    return out.out, out.err


def test_json_output_matches_contract(capsys):
    out, _err = run_ok(capsys, "score", str(GOOD), "--json")
    data = json.loads(out)
    assert data["grid"] == "telephone-generik"
    assert 0 <= data["total"] <= 100
    assert [r["id"] for r in data["rules"]] == list(RULE_IDS)
    for r in data["rules"]:
        assert r["verdict"] in ("respected", "violated", "not_applicable")
        assert isinstance(r["turns"], list) and isinstance(r["advice"], str)
    items = {i["id"]: i for i in data["items"]}
    assert len(items) == 20 and items["poser_sa_voix"]["level"] is None
    assert all({"id", "level", "max_level", "comment"} <= set(i) for i in data["items"])


def test_other_grid_and_human_report(capsys):
    out, _ = run_ok(capsys, "score", str(GOOD), "--grid", "reclamation-generik", "--json")
    assert json.loads(out)["grid"] == "reclamation-generik"
    text, _ = run_ok(capsys, "score", str(GOOD))
    assert "Note globale" in text and "Charte de l'accueil téléphonique" in text and "Formule d'accueil" in text


def test_a_transcript_with_only_turns_is_accepted(tmp_path, capsys):
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps({"turns": [{"speaker": "student", "text": "GENERIK, Julie, bonjour !"}]}), encoding="utf-8")
    out, _ = run_ok(capsys, "score", str(path), "--json")
    assert json.loads(out)["rules"][1]["verdict"] == "respected"


@pytest.mark.parametrize(("content", "expected"), [
    ('{"turns": [', "ligne 1"),
    ('{"schema": "trainer.transcript/1"}', "turns"),
    ('{"turns": [{"speaker": "robot", "text": "x"}]}', "turns[0].speaker"),
    ('{"turns": [{"speaker": "student"}]}', "turns[0].text"),
    ("[1, 2]", "objet JSON"),
])
def test_malformed_transcripts_exit_1_with_file_and_field(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "score", str(path))
    assert code == 1 and out == ""
    assert str(path) in err and expected in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_file_and_unknown_grid(tmp_path, capsys):
    code, _, err = run(capsys, "score", str(tmp_path / "absent.json"))
    assert code == 1 and "absent.json" in err
    copy = tmp_path / "t.json"
    shutil.copy(GOOD, copy)
    code, _, err = run(capsys, "score", str(copy), "--grid", "nope")
    assert code == 1 and "nope" in err and "telephone-generik" in err
