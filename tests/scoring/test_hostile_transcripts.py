"""``trainer score`` on hostile files: exit 1 and one French sentence naming the file, the line and the
field, never a traceback; or, when the file is a transcript after all, a score (CONTRACT §1, §2)."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.cli import main
from trainer.domain.transcript import TranscriptError, line_of, parse_transcript

VALID = {
    "direction": "incoming",
    "rings_before_pickup": 1,
    "turns": [
        {"speaker": "student", "text": "GENERIK, Julie, bonjour !", "t": 1.0},
        {"speaker": "customer", "text": "Bonjour, Madame Bernard. Je voudrais vingt crèmes sans ammoniaque.", "t": 3.0},
        {"speaker": "student", "text": "Je récapitule : 20 crèmes sans ammoniaque. Merci Madame Bernard, au revoir.", "t": 9.0},
        {"speaker": "system", "text": "La cliente raccroche.", "event": "hangup", "by": "customer"},
    ],
}
ENGLISH = re.compile(r"Input should|Expecting|Traceback|Error|unable to|No such file")


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code: int | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code or 0, out.getvalue(), err.getvalue()


def assert_rejected(path, err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in err
    assert not ENGLISH.search(err), err
    for needle in needles:
        assert needle in err, (needle, err)


def _write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _with(**changes):
    data = json.loads(json.dumps(VALID))
    data.update(changes)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _turn(i: int, **changes):
    data = json.loads(json.dumps(VALID))
    data["turns"][i].update(changes)
    return json.dumps(data, ensure_ascii=False, indent=2)


HOSTILE = [
    ("empty", "", ("ligne 1", "vide")),
    ("blank", "  \n\n ", ("ligne 1", "vide")),
    ("not-json", "GENERIK, Julie, bonjour\n", ("ligne 1", "JSON invalide")),
    ("truncated", '{\n  "turns": [\n    {"speaker": "student",\n', ("ligne 4", "JSON invalide")),
    ("array", "[1, 2]", ("objet JSON",)),
    ("no-turns", '{"student": "julie"}', ("champ turns", "manquant")),
    ("turns-text", '{"turns": "bonjour"}', ("champ turns", "liste")),
    ("empty-turns", '{"turns": []}', ("champ turns", "aucun tour")),
    ("unknown-speaker", _turn(2, speaker="robot"), ("ligne 16", "turns[2].speaker", "robot", "student")),
    ("text-number", _turn(1, text=42), ("turns[1].text", "texte")),
    ("t-string", _turn(0, t="deux secondes"), ("ligne 8", "turns[0].t", "nombre")),
    ("rings-negative", _with(rings_before_pickup=-2), ("rings_before_pickup", "supérieure ou égale à 0")),
    ("rings-text", _with(rings_before_pickup="deux"), ("rings_before_pickup", "entier")),
    ("direction", _with(direction="entrant"), ("champ direction", "incoming")),
    ("date", _with(started_at="hier matin"), ("champ started_at", "ISO 8601")),
    ("outcome-list", _with(outcome=[1, 2]), ("champ outcome", "objet")),
    ("deep", '{"turns": [], "outcome": ' + "[" * 50_000 + "]" * 50_000 + "}", ("imbriqués",)),
    ("huge-int", '{"turns": [], "rings_before_pickup": ' + "9" * 5000 + "}", ("nombre démesuré",)),
    ("long-turn", _turn(1, text="bonjour " * 1000), ("turns[1].text", "5000")),
    ("lone-surrogate", '{"turns": [{"speaker": "student", "text": "\\ud800"}]}', ("turns[0].text", "Unicode")),
]


@pytest.mark.parametrize(("name", "content", "needles"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_rejected_in_one_french_sentence(tmp_path, name, content, needles):
    path = _write(tmp_path, f"{name}.json", content)
    code, out, err = cli("score", str(path), "--json")
    assert code == 1 and out == ""
    assert_rejected(path, err, *needles)


def test_ten_megabyte_line_is_refused_before_reading(tmp_path):
    path = _write(tmp_path, "big.json", json.dumps({"turns": [{"speaker": "student", "text": "bonjour " * 1_300_000}]}))
    assert path.stat().st_size > 10_000_000
    code, out, err = cli("score", str(path))
    assert code == 1 and out == ""
    assert_rejected(path, err, "octets", "au plus")


def test_not_utf8_directory_and_missing_file(tmp_path):
    latin = _write(tmp_path, "latin1.json", '{"turns": [{"speaker": "student", "text": "Générik"}]}'.encode("latin-1"))
    code, _, err = cli("score", str(latin))
    assert code == 1
    assert_rejected(latin, err, "UTF-8", "ligne 1")
    code, _, err = cli("score", str(tmp_path))
    assert code == 1
    assert_rejected(tmp_path, err, "dossier")
    code, _, err = cli("score", str(tmp_path / "absent.json"))
    assert code == 1
    assert_rejected(tmp_path / "absent.json", err, "introuvable")


def test_byte_order_mark_is_accepted(tmp_path):
    path = _write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps(VALID).encode("utf-8"))
    code, out, err = cli("score", str(path), "--json")
    assert code == 0 and err == ""
    rule = json.loads(out)["rules"][1]
    assert rule["id"] == "accueil.formule" and rule["verdict"] == "respected"


# --- property tests ----------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = ["speaker", "text", "t", "event", "by", "mood", "intents", "asr_confidence"]
TOP_FIELDS = ["direction", "rings_before_pickup", "started_at", "mode", "scenario", "outcome", "turns"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_is_refused_with_its_source(text):
    try:
        parse_transcript(text, "essai.json")
    except TranscriptError as exc:
        assert str(exc).startswith("essai.json")
        assert not ENGLISH.search(str(exc)), str(exc)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(range(len(VALID["turns"]))), st.sampled_from(FIELDS), JSON_VALUES)
def test_a_wrong_turn_field_is_located_by_line_and_field(index, field, value):
    data = json.loads(json.dumps(VALID))
    data["turns"][index][field] = value
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        parse_transcript(text, "essai.json")
    except TranscriptError as exc:
        msg = str(exc)
        assert f"champ turns[{index}].{field}" in msg, msg
        line = int(re.search(r"ligne (\d+)", msg).group(1))
        field_line = line_of(text, ("turns", index, field))
        assert f'"{field}"' in text.splitlines()[field_line - 1]
        if f"champ turns[{index}].{field} :" in msg:
            assert line == field_line, msg
        else:  # an element inside the field's value (« intents[0] »): at or below the field
            assert field_line <= line < field_line + 40, msg
        assert not ENGLISH.search(msg), msg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TOP_FIELDS), JSON_VALUES)
def test_score_command_scores_or_rejects_never_crashes(tmp_path_factory, field, value):
    data = json.loads(json.dumps(VALID))
    data[field] = value
    path = tmp_path_factory.mktemp("h") / "t.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli("score", str(path), "--json")
    if code == 0:
        report = json.loads(out)
        assert len(report["rules"]) == 14 and 0 <= report["total"] <= 100
    else:
        assert code == 1 and out == ""
        assert_rejected(path, err)


def test_line_of_points_at_nested_fields():
    text = json.dumps(VALID, indent=2)
    for loc, key in ((("turns", 3, "by"), '"by"'), (("rings_before_pickup",), '"rings_before_pickup"'), (("turns", 1, "t"), '"t"')):
        assert key in text.splitlines()[line_of(text, loc) - 1]


SPEECH = st.lists(
    st.sampled_from(list("abcdeéèàçôûï ABCGKNRT'’«»\"()[]*-—…?!.,;:0123456789%€h\n")
                    + ["tu ", "vous ", "merci ", "48 ", "tubes ", "je ne sais pas ", "peut-être ", "Madame Bernard ",
                       "au revoir ", "je récapitule ", "raccroche ", "sonne ", "c'est de la part "]),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["student", "customer", "system"]), SPEECH), min_size=1, max_size=8),
       st.sampled_from(["incoming", "outgoing"]))
def test_any_dialogue_gets_every_verdict_with_evidence(turns, direction):
    from trainer.domain.transcript import Transcript
    from trainer.scoring import score_transcript

    transcript = Transcript.model_validate({"direction": direction, "turns": [{"speaker": s, "text": t} for s, t in turns]})
    report = score_transcript(transcript)
    assert len(report.rules) == 14 and 0 <= report.total <= 100
    for r in report.rules:
        assert r.advice.strip()
        assert all(0 <= t < len(turns) for t in r.turns)
        if r.verdict != "not_applicable":
            assert r.turns, (r.id, r.advice)
