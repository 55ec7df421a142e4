"""The debrief of a call as data, and its export to Markdown and HTML (files in the session folder).

``build_debrief`` gathers what the debrief screen and the exports show: the total (and the
teacher's adjusted total when there is one), the charter verdicts with the turns that justify them,
the grid items with their levels and comments, what the student recorded in the ERP beside what
the customer really wanted, and the full transcript. ``export_debrief`` writes ``debrief.md`` and
``debrief.html`` atomically (temporary file + rename) and returns their paths.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.domain.money import format_eur

RULE_LABELS: dict[str, str] = {
    "accueil.decrocher_3_sonneries": "Décrocher avant la 3e sonnerie",
    "accueil.formule": "Se présenter : entreprise, prénom, bonjour",
    "accueil.vouvoiement": "Vouvoyer l'appelant",
    "accueil.identifier_appelant": "Identifier l'appelant",
    "echange.formules_a_eviter": "Éviter « C'est de la part ? », « C'est pourquoi ? », « Il n'est pas là »",
    "echange.langage_soigne": "Utiliser un langage soigné et poli",
    "echange.ecoute_active": "Pratiquer une écoute active",
    "echange.reclamation_opportunite": "Voir la réclamation comme une occasion d'amélioration",
    "echange.problemes_internes": "Ne pas exposer les problèmes internes",
    "echange.reponse_precise": "Ne jamais laisser une réponse approximative",
    "conclusion.reformulation": "Reformuler ce qui a été convenu",
    "conclusion.autres_questions": "Demander s'il y a d'autres questions ou besoins",
    "conclusion.prise_de_conge": "Personnaliser la prise de congé",
    "conclusion.raccrocher_en_dernier": "Raccrocher en dernier (l'initiateur de l'appel y met fin)",
}
"""The charter's wording (Doc 5) for each rule id of CONTRACT §5."""

VERDICT_LABELS: dict[str, str] = {
    "respected": "respectée",
    "violated": "non respectée",
    "not_applicable": "sans objet",
}
VERDICT_MARKS: dict[str, str] = {"respected": "✓", "violated": "✗", "not_applicable": "–"}

KIND_LABELS: dict[str, str] = {
    "order": "Commande",
    "complaint": "Réclamation",
    "message": "Message",
    "reminder": "Relance",
}

FIELD_LABELS: dict[str, str] = {
    "id": "Numéro",
    "client": "Client",
    "client.name": "Client",
    "client.kind": "Type de client",
    "client.number": "N° client",
    "client.company": "Salon / société",
    "client.segment": "Segment",
    "client.payment_terms": "Paiement",
    "client.phone": "Téléphone",
    "client.email": "Courriel",
    "client.city": "Ville",
    "caller.phone": "Téléphone de l'appelant",
    "lines": "Lignes",
    "total_ht": "Total HT",
    "total_tva": "TVA",
    "total_ttc": "Total TTC",
    "payment_terms": "Paiement",
    "category": "Catégorie",
    "responsible_service": "Service responsable",
    "status": "Statut",
    "customer_deadline": "Délai client",
    "solution": "Solution",
    "for": "Pour",
    "caller": "Appelant",
    "caller.name": "Appelant",
    "caller.company": "Société de l'appelant",
    "callback_number": "Rappeler au",
    "subject": "Objet",
    "callback_when": "Quand rappeler",
    "invoice": "Facture",
    "amount_due": "Montant dû",
    "stage": "Étape",
    "outcome": "Résultat",
    "promised_payment_date": "Date promise",
    "client.new": "Nouveau client",
    "segment": "Segment",
    "delivery_promise": "Promesse de livraison",
    "required": "Champs à remplir",
    "deadline_days": "Délai client (jours)",
    "deadline_max_days": "Délai client maximal (jours)",
    "solution_any": "Solution (l'une de)",
    "promise_in_days": "Paiement promis sous (jours)",
    "new_client": "Nouveau client",
}

SPEAKERS = {"student": "Élève", "customer": "Client", "system": "—"}


@dataclass
class RuleRow:
    """One charter verdict."""

    id: str
    label: str
    verdict: str
    turns: list[int]
    advice: str

    @property
    def verdict_label(self) -> str:
        """« respectée », « non respectée », « sans objet »."""
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def mark(self) -> str:
        """✓, ✗ or –."""
        return VERDICT_MARKS.get(self.verdict, "?")


@dataclass
class ItemRow:
    """One grid item."""

    id: str
    label: str
    section: str
    level: int | None
    max_level: int
    comment: str

    @property
    def level_text(self) -> str:
        """« 2/3 », or « non évalué »."""
        return "non évalué" if self.level is None else f"{self.level}/{self.max_level}"


@dataclass
class RecordPair:
    """What the student recorded beside what the customer wanted, for one kind of record."""

    kind: str
    recorded: list[tuple[str, str]] | None
    wanted: list[tuple[str, str]] | None

    @property
    def title(self) -> str:
        """« Commande », « Réclamation »…"""
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class DebriefData:
    """Everything the debrief shows and exports."""

    session_id: str
    scenario_id: str
    scenario_title: str
    student: str
    started_at: str | None
    ended_by: str | None
    rings: int | None
    grid_title: str | None
    total: float | None
    adjusted_total: float | None
    rules: list[RuleRow]
    items: list[ItemRow]
    records: list[RecordPair]
    wanted_summary: str | None
    turns: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    folder: Path | None = None

    @property
    def total_text(self) -> str:
        """« 72,5 / 100 » (with the adjusted total when a teacher changed it)."""
        if self.total is None:
            return "non calculé"
        text = f"{_num(self.total)} / 100"
        if self.adjusted_total is not None and self.adjusted_total != self.total:
            text = f"{_num(self.adjusted_total)} / 100 (ajusté par l'enseignant ; automatique : {_num(self.total)})"
        return text


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def grid_labels(grid_id: str | None) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """The grid's title and, per item id, (label, section title); empty when the grid is unknown."""
    if not grid_id:
        return None, {}
    try:
        from trainer.content.grids import load_grid

        grid = load_grid(grid_id)
    except Exception:  # noqa: BLE001 - the debrief still shows the ids
        return None, {}
    labels = {item.id: (item.label, section.title) for section in grid.sections for item in section.items}
    return grid.title, labels


def build_debrief(
    *,
    transcript: dict[str, Any],
    score: dict[str, Any] | None,
    records: list[dict[str, Any]] | None,
    scenario: Any | None,
    session_id: str | None = None,
    folder: Path | None = None,
    adjusted_total: float | None = None,
    problems: Iterable[str] = (),
) -> DebriefData:
    """Gather the debrief from the transcript (CONTRACT §2), the score (§5) and the records (§4)."""
    score = score or {}
    grid_title, labels = grid_labels(score.get("grid"))
    rules = [
        RuleRow(
            id=str(rule.get("id")),
            label=str(rule.get("label") or RULE_LABELS.get(str(rule.get("id")), rule.get("id"))),
            verdict=str(rule.get("verdict")),
            turns=[int(t) for t in rule.get("turns") or []],
            advice=str(rule.get("advice") or ""),
        )
        for rule in score.get("rules") or []
    ]
    items = []
    for item in score.get("items") or []:
        label, section = labels.get(str(item.get("id")), (str(item.get("label") or item.get("id")), ""))
        items.append(
            ItemRow(
                id=str(item.get("id")),
                label=label,
                section=section,
                level=item.get("level"),
                max_level=int(item.get("max_level") or 3),
                comment=str(item.get("comment") or ""),
            )
        )
    if records is None:
        records = list((transcript.get("outcome") or {}).get("records") or [])
    wanted = [_plain_record(r) for r in _expected_records(scenario)]
    return DebriefData(
        session_id=str(session_id or transcript.get("session_id") or ""),
        scenario_id=str(transcript.get("scenario") or getattr(scenario, "id", "") or ""),
        scenario_title=str(getattr(scenario, "title", None) or transcript.get("scenario") or ""),
        student=str(transcript.get("student") or ""),
        started_at=_started(transcript.get("started_at")),
        ended_by=transcript.get("ended_by"),
        rings=transcript.get("rings_before_pickup"),
        grid_title=grid_title,
        total=score.get("total"),
        adjusted_total=adjusted_total,
        rules=rules,
        items=items,
        records=pair_records(records, wanted),
        wanted_summary=getattr(getattr(scenario, "wants", None), "summary", None),
        turns=list(transcript.get("turns") or []),
        # The live result and the transcript's outcome both carry the ERP's refusals: each said once.
        problems=list(dict.fromkeys([*problems, *((transcript.get("outcome") or {}).get("problems") or [])])),
        folder=folder,
    )


def _started(value: Any) -> str | None:
    if value is None:
        return None
    from datetime import datetime

    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return str(value)


def _expected_records(scenario: Any | None) -> list[Any]:
    expected = getattr(scenario, "expected", None)
    return list(getattr(expected, "records", None) or [])


def _plain_record(record: Any) -> dict[str, Any]:
    if hasattr(record, "model_dump"):
        return record.model_dump(mode="json", by_alias=True)
    return dict(record)


def pair_records(recorded: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[RecordPair]:
    """Pair recorded and wanted records kind by kind, in order (a missing side is ``None``)."""
    kinds: list[str] = []
    for record in [*recorded, *wanted]:
        kind = str(record.get("kind"))
        if kind not in kinds:
            kinds.append(kind)
    pairs: list[RecordPair] = []
    for kind in kinds:
        mine = [r for r in recorded if r.get("kind") == kind]
        theirs = [r for r in wanted if r.get("kind") == kind]
        for index in range(max(len(mine), len(theirs))):
            pairs.append(
                RecordPair(
                    kind=kind,
                    recorded=flatten_record(mine[index]) if index < len(mine) else None,
                    wanted=flatten_record(theirs[index]) if index < len(theirs) else None,
                )
            )
    return pairs


def flatten_record(record: dict[str, Any]) -> list[tuple[str, str]]:
    """A record as (French field label, value) rows; order lines one row each."""
    rows: list[tuple[str, str]] = []
    for key, value in record.items():
        if key == "kind" or value in (None, "", [], {}):
            continue
        if key == "lines" and isinstance(value, list):
            for number, line in enumerate(value, start=1):
                rows.append((f"Ligne {number}", line_text(line)))
            continue
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                if sub_value in (None, "", [], {}):
                    continue
                label = FIELD_LABELS.get(f"{key}.{sub}", f"{FIELD_LABELS.get(key, key)} ({sub})")
                rows.append((label, _value_text(f"{key}.{sub}", sub_value)))
            continue
        rows.append((FIELD_LABELS.get(key, key), _value_text(key, value)))
    return rows


def line_text(line: Any) -> str:
    """« 48 × Crème colorante sans ammoniaque 100 ml, nuance 6.4 — remise 20 % — 145,92 € HT »."""
    if not isinstance(line, dict):
        return str(line)
    quantity = line.get("quantity")
    product = line.get("product") or line.get("reference") or "?"
    text = f"{quantity if quantity is not None else '?'} × {product}"
    if line.get("shade"):
        text += f", nuance {line['shade']}"
    rate = line.get("discount_rate")
    if rate not in (None, "0", "0.00", 0):
        text += f" — remise {_rate(rate)}"
    if line.get("total_ht") is not None:
        text += f" — {_money(line['total_ht'])} HT"
    return text


def _rate(value: Any) -> str:
    from decimal import Decimal, InvalidOperation

    if isinstance(value, list):
        return " ou ".join(_rate(v) for v in value)
    try:
        return f"{(Decimal(str(value)) * 100).normalize():f} %"
    except (InvalidOperation, ValueError):
        return str(value)


def _money(value: Any) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return format_eur(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _value_text(key: str, value: Any) -> str:
    if key == "required" and isinstance(value, list):
        return ", ".join(FIELD_LABELS.get(str(v), str(v)) for v in value)
    if isinstance(value, list):
        return " ou ".join(_value_text(key, v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if key in {"segment", "client.segment"}:
        from trainer.domain.clients import SEGMENT_LABELS, Segment

        return SEGMENT_LABELS.get(Segment(value), str(value)) if value in set(Segment) else str(value)
    if key == "status":
        from trainer.domain.complaints import ComplaintStatus
        from trainer.domain.orders import OrderStatus

        for status in (OrderStatus, ComplaintStatus):
            if value in set(status):
                return status(value).label
        return str(value)
    if key == "stage":
        from trainer.domain.invoices import STAGE_LABELS

        return STAGE_LABELS.get(str(value), str(value))
    if key in {"total_ht", "total_tva", "total_ttc", "amount_due"}:
        return _money(value)
    if key == "category":
        from trainer.domain.complaints import CATEGORY_LABELS

        return CATEGORY_LABELS.get(str(value), str(value))
    if key == "responsible_service":
        from trainer.domain.complaints import SERVICE_LABELS

        return SERVICE_LABELS.get(str(value), str(value))
    if key == "outcome":
        from trainer.domain.invoices import OUTCOME_LABELS

        return OUTCOME_LABELS.get(str(value), str(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def format_t(t: Any) -> str:
    """``mm:ss`` for a turn's time."""
    if t is None:
        return "--:--"
    seconds = max(0, int(round(float(t))))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


# -- Markdown --------------------------------------------------------------------------------------


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(data: DebriefData) -> str:
    """The debrief as a Markdown document (French)."""
    out: list[str] = [f"# Bilan de l'appel — {data.scenario_title}", ""]
    meta = [
        ("Élève", data.student),
        ("Scénario", data.scenario_id),
        ("Date", data.started_at),
        ("Séance", data.session_id),
        ("Sonneries avant de décrocher", data.rings),
        ("Fin de l'appel", {"student": "l'élève a raccroché", "customer": "le client a raccroché"}.get(data.ended_by or "", data.ended_by)),
        ("Grille", data.grid_title),
    ]
    out += [f"- **{label}** : {value}" for label, value in meta if value not in (None, "")]
    out += ["", f"## Note : {data.total_text}", ""]
    if data.wanted_summary:
        out += [f"*Ce que voulait le client :* {data.wanted_summary}", ""]
    if data.problems:
        out += ["**Points signalés :**", *[f"- {p}" for p in data.problems], ""]
    out += ["## Charte de l'accueil téléphonique", "", "| | Règle | Verdict | Tours | Conseil |", "|---|---|---|---|---|"]
    for rule in data.rules:
        turns = ", ".join(f"#{t}" for t in rule.turns)
        out.append(
            f"| {rule.mark} | {_md_cell(rule.label)} | {rule.verdict_label} | {turns} | {_md_cell(rule.advice)} |"
        )
    out += ["", "## Grille d'observation", "", "| Critère | Niveau | Commentaire |", "|---|---|---|"]
    section = None
    for item in data.items:
        if item.section and item.section != section:
            section = item.section
            out.append(f"| **{_md_cell(section)}** | | |")
        out.append(f"| {_md_cell(item.label)} | {item.level_text} | {_md_cell(item.comment)} |")
    out += ["", "## PGI : enregistré / attendu", ""]
    if not data.records:
        out += ["Aucun enregistrement attendu ni saisi.", ""]
    for pair in data.records:
        out += [f"### {pair.title}", "", "| Champ | Enregistré | Attendu |", "|---|---|---|"]
        for label, mine, theirs in _side_by_side(pair):
            out.append(f"| {_md_cell(label)} | {_md_cell(mine)} | {_md_cell(theirs)} |")
        out.append("")
    out += ["## Transcription", ""]
    for index, turn in enumerate(data.turns):
        who = SPEAKERS.get(turn.get("speaker", ""), turn.get("speaker", ""))
        text = turn.get("text", "")
        if turn.get("speaker") == "system":
            out.append(f"- `{format_t(turn.get('t'))}` #{index} *{text}*")
        else:
            out.append(f"- `{format_t(turn.get('t'))}` #{index} **{who}** : {text}")
    out.append("")
    return "\n".join(out)


def _side_by_side(pair: RecordPair) -> list[tuple[str, str, str]]:
    mine = dict(pair.recorded or [])
    theirs = dict(pair.wanted or [])
    labels: list[str] = []
    for label, _ in [*(pair.recorded or []), *(pair.wanted or [])]:
        if label not in labels:
            labels.append(label)
    missing_mine = "(rien)" if pair.recorded is None else ""
    missing_theirs = "(rien d'attendu)" if pair.wanted is None else ""
    return [(label, mine.get(label, missing_mine), theirs.get(label, missing_theirs)) for label in labels]


# -- HTML ------------------------------------------------------------------------------------------

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #1F1029; margin: 2em 3em; }
h1 { color: #3C1A56; border-bottom: 3px solid #FF9933; padding-bottom: .2em; }
h2 { color: #3C1A56; margin-top: 1.6em; }
h3 { color: #6B3F8F; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th { background: #3C1A56; color: #fff; text-align: left; }
th, td { border: 1px solid #d8cce3; padding: .3em .5em; vertical-align: top; }
tr:nth-child(even) td { background: #f6f1fa; }
.total { font-size: 1.4em; color: #3C1A56; }
.respected { color: #2E7D32; font-weight: bold; }
.violated { color: #C62828; font-weight: bold; }
.not_applicable { color: #777; }
.turn { margin: .15em 0; }
.turn .t { color: #777; font-family: monospace; }
.turn.system { color: #777; font-style: italic; }
.turn.customer { background: #f6f1fa; }
a { color: #6B3F8F; }
"""


def to_html(data: DebriefData) -> str:
    """The debrief as a self-contained HTML page (GENERIK colours; verdicts link to their turns)."""
    e = html.escape
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>Bilan de l'appel — {e(data.scenario_title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Bilan de l'appel — {e(data.scenario_title)}</h1>",
        "<ul>",
    ]
    meta = [
        ("Élève", data.student),
        ("Scénario", data.scenario_id),
        ("Date", data.started_at),
        ("Séance", data.session_id),
        ("Sonneries avant de décrocher", data.rings),
        ("Grille", data.grid_title),
    ]
    parts += [f"<li><b>{e(label)}</b> : {e(str(value))}</li>" for label, value in meta if value not in (None, "")]
    parts += ["</ul>", f'<p class="total">Note : <b>{e(data.total_text)}</b></p>']
    if data.wanted_summary:
        parts.append(f"<p><i>Ce que voulait le client :</i> {e(data.wanted_summary)}</p>")
    if data.problems:
        parts += ["<p><b>Points signalés :</b></p><ul>", *[f"<li>{e(p)}</li>" for p in data.problems], "</ul>"]
    parts += [
        "<h2>Charte de l'accueil téléphonique</h2>",
        "<table><tr><th></th><th>Règle</th><th>Verdict</th><th>Tours</th><th>Conseil</th></tr>",
    ]
    for rule in data.rules:
        turns = ", ".join(f'<a href="#tour-{t}">#{t}</a>' for t in rule.turns)
        parts.append(
            f'<tr><td class="{e(rule.verdict)}">{rule.mark}</td><td>{e(rule.label)}</td>'
            f'<td class="{e(rule.verdict)}">{e(rule.verdict_label)}</td><td>{turns}</td><td>{e(rule.advice)}</td></tr>'
        )
    parts += ["</table>", "<h2>Grille d'observation</h2>", "<table><tr><th>Critère</th><th>Niveau</th><th>Commentaire</th></tr>"]
    section = None
    for item in data.items:
        if item.section and item.section != section:
            section = item.section
            parts.append(f'<tr><td colspan="3"><b>{e(section)}</b></td></tr>')
        parts.append(f"<tr><td>{e(item.label)}</td><td>{e(item.level_text)}</td><td>{e(item.comment)}</td></tr>")
    parts += ["</table>", "<h2>PGI : enregistré / attendu</h2>"]
    if not data.records:
        parts.append("<p>Aucun enregistrement attendu ni saisi.</p>")
    for pair in data.records:
        parts += [f"<h3>{e(pair.title)}</h3>", "<table><tr><th>Champ</th><th>Enregistré</th><th>Attendu</th></tr>"]
        for label, mine, theirs in _side_by_side(pair):
            parts.append(f"<tr><td>{e(label)}</td><td>{e(mine)}</td><td>{e(theirs)}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Transcription</h2>")
    for index, turn in enumerate(data.turns):
        speaker = str(turn.get("speaker", ""))
        who = SPEAKERS.get(speaker, speaker)
        stamp = f'<span class="t">{format_t(turn.get("t"))} #{index}</span>'
        body = e(str(turn.get("text", ""))) if speaker == "system" else f"<b>{e(who)}</b> : {e(str(turn.get('text', '')))}"
        parts.append(f'<p class="turn {e(speaker)}" id="tour-{index}">{stamp} {body}</p>')
    parts += ["</body></html>", ""]
    return "\n".join(parts)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def export_debrief(data: DebriefData, folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``debrief.md`` and ``debrief.html`` in the session folder; returns both paths."""
    target = folder or data.folder
    if target is None:
        from trainer.paths import sessions_dir

        target = sessions_dir() / (data.session_id or "sans-identifiant")
    target.mkdir(parents=True, exist_ok=True)
    markdown = target / "debrief.md"
    page = target / "debrief.html"
    _write_atomically(markdown, to_markdown(data))
    _write_atomically(page, to_html(data))
    return markdown, page


def load_session_debrief(store: Any, session_id: str) -> DebriefData:
    """The debrief of a recorded session, read from the shared database (thread workers only).

    The teacher's adjusted total is shown when a review exists.
    """
    import uuid

    from trainer.errors import UserError
    from trainer.store import sessions as sessions_repo

    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        raise UserError(f"Séance « {session_id} » : identifiant invalide.") from None
    with store.read() as db:
        info = sessions_repo.get_call_session(db, session_id=key)
        if info is None:
            raise UserError(f"Séance « {session_id} » introuvable dans la base.")
        transcript, score = sessions_repo.session_documents(db, session_id=key)
    if transcript is None:
        raise UserError(f"Séance « {session_id} » : l'appel est encore en cours, pas de bilan.")
    scenario = None
    try:
        from trainer.content.scenarios import load_scenario

        scenario = load_scenario(info.scenario_id)
    except UserError:
        pass  # a scenario removed since: the debrief shows the call without the wanted record
    data = build_debrief(
        transcript=transcript,
        score=score,
        records=None,
        scenario=scenario,
        session_id=str(key),
        folder=Path(info.transcript_path).parent if info.transcript_path else None,
        adjusted_total=adjusted_total_of(store, key),
    )
    data.student = info.student_name or data.student
    return data


def adjusted_total_of(store: Any, session_id: Any) -> float | None:
    """The total adjusted by a teacher's review (None without a review or an adjustment)."""
    from trainer.store import reviews

    with store.read() as db:
        review = reviews.teacher_review(db, session_id=session_id)
    return review.adjusted_total if review is not None else None
