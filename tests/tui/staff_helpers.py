"""Data for the staff screens' tests: finished sessions with their transcripts and score documents.

The score documents follow CONTRACT §5 (rule ids of the charter, item ids of Doc 6) with fixed
verdicts and levels, so that screenshots and totals are deterministic. The grid used by these tests
is ``tests/tui/data/grids/telephone-generik.yaml`` (Doc 6 labels, weights 2 on two items).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from trainer.store import sessions as ss

GRIDS_DIR = Path(__file__).resolve().parent / "data" / "grids"

RULES: list[tuple[str, str]] = [
    ("accueil.decrocher_3_sonneries", "Décrocher avant la 3e sonnerie"),
    ("accueil.formule", "Se présenter : « GENERIK, prénom, bonjour »"),
    ("accueil.vouvoiement", "Vouvoyer l'appelant"),
    ("accueil.identifier_appelant", "Identifier l'appelant"),
    ("echange.formules_a_eviter", "Éviter « C'est de la part ? », « C'est pourquoi ? »…"),
    ("echange.langage_soigne", "Utiliser un langage soigné et poli"),
    ("echange.ecoute_active", "Pratiquer une écoute active"),
    ("echange.reclamation_opportunite", "Voir la réclamation comme une occasion"),
    ("echange.problemes_internes", "Ne pas exposer les problèmes internes"),
    ("echange.reponse_precise", "Ne jamais laisser une réponse approximative"),
    ("conclusion.reformulation", "Reformuler ce qui a été convenu"),
    ("conclusion.autres_questions", "Demander s'il y a d'autres questions"),
    ("conclusion.prise_de_conge", "Personnaliser la prise de congé"),
    ("conclusion.raccrocher_en_dernier", "Raccrocher en dernier"),
]

ITEMS: list[tuple[str, str, str]] = [
    ("image_valorisante", "Véhiculer une image valorisante et fidèle de l'entreprise dans la relation avec la clientèle", "Compétences comportementales"),
    ("adaptation_interlocuteur", "S'adapter aux interlocuteurs de niveaux, fonctions ou personnalités différentes", "Compétences comportementales"),
    ("poser_sa_voix", "Poser sa voix (débit plus lent qu'en face à face), voix claire et audible", "Compétences comportementales"),
    ("registre_langage", "Adapter son registre de langage à l'interlocuteur", "Compétences comportementales"),
    ("clarte_concision", "Etre clair et concis dans la communication avec les clients", "Compétences comportementales"),
    ("courtoisie_empathie", "Faire preuve de courtoisie et d'empathie", "Compétences comportementales"),
    ("evaluer_enjeux", "Évaluer les enjeux des demandes clients (pour le client et pour l'entreprise)", "Compétences comportementales"),
    ("priorites_forts_enjeux", "Identifier les priorités et les commandes à forts enjeux", "Compétences comportementales"),
    ("autonomie_initiative", "Etre autonome et faire preuve d'initiative", "Compétences comportementales"),
    ("assertivite", "Faire preuve d'affirmation de soi (assertivité)", "Compétences comportementales"),
    ("respecter_charte", "Respecter la charte d'accueil", "Compétences professionnelles"),
    ("prise_de_contact", "Respecter la phase prise de contact", "Compétences professionnelles"),
    ("prise_en_charge", "Prendre en charge le client", "Compétences professionnelles"),
    ("anticiper", "Anticiper", "Compétences professionnelles"),
    ("adaptation_demande", "S'adapter à la demande du client", "Compétences professionnelles"),
    ("cgv_processus_vente", "Respecter les conditions générales de ventes et le processus de vente", "Compétences professionnelles"),
    ("gerer_mecontentement", "Gérer le mécontentement, voire le conflit", "Compétences professionnelles"),
    ("traiter_demande", "Traiter la demande", "Compétences professionnelles"),
    ("reformuler_demande", "Reformuler la demande", "Compétences professionnelles"),
    ("prise_de_conge", "Respecter la prise de congé", "Compétences professionnelles"),
]
WEIGHTS = {"respecter_charte": 2.0, "traiter_demande": 2.0}

TURNS: list[dict[str, Any]] = [
    {"speaker": "system", "text": "Le téléphone sonne (2 sonneries).", "t": 0.0},
    {"speaker": "student", "text": "GENERIK, Julie, bonjour !", "t": 6.0},
    {"speaker": "customer", "text": "Bonjour, c'est Mme Laurent du salon Sophie L., je voudrais commander.", "t": 9.5},
    {"speaker": "student", "text": "Ouais, c'est pour quoi faire ?", "t": 14.0},
    {"speaker": "customer", "text": "Des crèmes colorantes sans ammoniaque, douze en 6.4.", "t": 18.0},
    {"speaker": "student", "text": "Très bien, douze crèmes sans ammoniaque en 6.4. Avez-vous d'autres besoins ?", "t": 25.0},
    {"speaker": "customer", "text": "Non, ce sera tout, merci.", "t": 28.0},
    {"speaker": "student", "text": "Merci de votre commande, Madame Laurent, bonne fin de journée.", "t": 31.0},
    {"speaker": "system", "text": "Le client raccroche.", "t": 33.0},
]


def make_score(levels: dict[str, int | None] | None = None, violated: set[str] | None = None) -> dict[str, Any]:
    """A CONTRACT §5 score document: every rule respected unless in ``violated``; item levels given
    (default 2; ``poser_sa_voix`` not judged in text mode); the total is the grid's weighted mean."""
    violated = violated or set()
    levels = levels or {}
    rules = []
    for rid, label in RULES:
        verdict = "violated" if rid in violated else "respected"
        if rid == "echange.reclamation_opportunite" and rid not in violated:
            verdict = "not_applicable"
        turns = [3] if verdict == "violated" else ([1] if verdict == "respected" else [])
        advice = (
            "Vous avez dit « Ouais, c'est pour quoi faire ? » (tour 3) : dites plutôt « Pouvez-vous préciser l'objet de votre appel ? »."
            if verdict == "violated"
            else ("Aucune réclamation dans cet appel." if verdict == "not_applicable" else "Bien : règle respectée.")
        )
        rules.append({"id": rid, "verdict": verdict, "turns": turns, "advice": advice, "label": label})
    items = []
    num = den = 0.0
    for iid, label, section in ITEMS:
        level = levels.get(iid, None if iid == "poser_sa_voix" else 2)
        comment = (
            "Non évaluable en mode texte : la voix n'est pas enregistrée."
            if level is None
            else f"Niveau {level} : d'après les règles de la charte liées à cet item."
        )
        items.append(
            {"id": iid, "level": level, "max_level": 3, "comment": comment, "label": label, "section": section,
             "turns": [1, 3]}
        )
        if level is not None:
            w = WEIGHTS.get(iid, 1.0)
            num += w * level / 3
            den += w
    total = round(100 * num / den, 1) if den else 0.0
    return {"grid": "telephone-generik", "total": total, "rules": rules, "items": items}


def add_finished_session(
    store: Any,
    *,
    student: str,
    started_at: datetime,
    scenario_id: str = "generik-commande-nouveau-client",
    score: dict[str, Any] | None = None,
    display_name: str | None = None,
    turns: list[dict[str, Any]] | None = None,
) -> uuid.UUID:
    """A finished call session of ``student`` with its turns, transcript and score."""
    turns = turns if turns is not None else TURNS
    score = score if score is not None else make_score()
    with store.unit_of_work() as db:
        if display_name:
            ss.get_or_create_user(db, username=student, now=started_at, display_name=display_name)
        sid = ss.start_call_session(
            db, student=student, scenario_id=scenario_id, company_id="generik", now=started_at, seed=7
        )
        for index, turn in enumerate(turns):
            ss.append_turn(
                db, session_id=sid, idx=index, speaker=turn["speaker"], text=turn["text"],
                now=started_at + timedelta(seconds=turn.get("t") or 0), t=turn.get("t"),
            )
        transcript = {
            "schema": "trainer.transcript/1",
            "session_id": str(sid),
            "scenario": scenario_id,
            "student": student,
            "mode": "text",
            "direction": "incoming",
            "rings_before_pickup": 2,
            "started_at": started_at.isoformat(),
            "turns": turns,
            "outcome": {},
        }
        ss.finish_call_session(
            db, session_id=sid, now=started_at + timedelta(minutes=2), ended_by="customer",
            transcript=transcript, score=score,
        )
    return sid


def add_live_session(store: Any, *, student: str, started_at: datetime, turns: int = 3) -> uuid.UUID:
    """A call going on: ``turns`` first turns written, status ``live``."""
    with store.unit_of_work() as db:
        sid = ss.start_call_session(
            db, student=student, scenario_id="generik-commande-nouveau-client", company_id="generik", now=started_at
        )
        for index, turn in enumerate(TURNS[:turns]):
            ss.append_turn(
                db, session_id=sid, idx=index, speaker=turn["speaker"], text=turn["text"],
                now=started_at, t=turn["t"],
            )
    return sid


def append_live_turns(store: Any, session_id: uuid.UUID, start: int, stop: int, now: datetime) -> None:
    """Write turns ``start`` to ``stop - 1`` of TURNS, as the call engine does during a call."""
    with store.unit_of_work() as db:
        for index in range(start, stop):
            turn = TURNS[index]
            ss.append_turn(db, session_id=session_id, idx=index, speaker=turn["speaker"], text=turn["text"], now=now, t=turn["t"])


def finish_live(store: Any, session_id: uuid.UUID, now: datetime, score: dict[str, Any] | None = None) -> None:
    """End a live session with its score, as hang-up does."""
    with store.unit_of_work() as db:
        ss.finish_call_session(
            db, session_id=session_id, now=now, ended_by="customer",
            transcript={"turns": TURNS}, score=score if score is not None else make_score(),
        )


async def until(pilot: Any, condition: Any, rounds: int = 80, step: float = 0.1) -> None:
    """Let the app run (workers, timers) until ``condition()`` holds; fail after ``rounds`` pauses."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(step)
    assert condition(), "the screen did not reach the expected state"
