"""``CallSession``: one phone call, from the first ring to the records in the ERP.

The TUI and ``trainer play`` drive this same object (one code path for a call)::

    session = CallSession.start("generik-commande-nouveau-client", db_url=url, student="alice", seed=7)
    session.ring(); session.pick_up()            # incoming: the student's phone rings
    reply = session.student_says("GENERIK, Julie, bonjour !")
    session.erp_action("ligne", {"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": 48})
    result = session.hang_up(by="student")       # one transaction, transcript file, score

What happens on each turn, in this order (ARCHITECTURE "One call, end to end"): the student's turn
is appended to the journal on disk (flushed and fsynced) *before* anything else; then it is
understood (NLU), the simulated customer answers, and that answer is journaled too. Each turn is
also written to the shared database so that an observer on another terminal follows the call.
ERP entries are turns of the transcript as well (``system`` turns with ``event: "action"``), so
what the student typed is auditable. At the end, the records, the session row (``finished``), the
transcript and the score are committed in ONE transaction; the transcript file is then written
atomically (temporary file + rename).

Listeners (``session.listen(callback)``) are told of every new turn: the TUI shows them as they come.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from trainer.call import live
from trainer.call.clock import (
    ACTION_SECONDS,
    REACTION_SECONDS,
    RING_SECONDS,
    STUDENT_WORDS_PER_MINUTE,
    CallClock,
    SimulatedClock,
    speaking_seconds,
)
from trainer.call.erp import ErpDesk, PreparedOutcome
from trainer.content.company import load_company
from trainer.content.scenarios import Scenario, load_scenario
from trainer.domain.common import PARIS
from trainer.domain.transcript import SCHEMA, Transcript, Turn
from trainer.errors import UserError
from trainer.paths import sessions_dir
from trainer.store.journal import JOURNAL_NAME, Journal, write_atomically

log = logging.getLogger(__name__)

Mode = Literal["text", "voice"]
Phase = Literal["ringing", "talking", "ended", "closed"]

TRANSCRIPT_NAME = "transcript.json"
MAX_STUDENT_NAME = live.MAX_USERNAME
# Characters a terminal or a database cannot keep: C0/C1 controls (NUL is refused by PostgreSQL)
# and lone surrogates (not encodable in UTF-8). Tabs and newlines become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CallError(UserError):
    """An action that does not fit the state of the call (speaking before picking up...)."""


def clean_text(text: str) -> str:
    """A turn's text as it is kept: controls and lone surrogates replaced, spaces trimmed."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    return _CONTROL.sub(" ", text).strip()


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _valid_student(name: str) -> str:
    cleaned = " ".join(clean_text(unicodedata.normalize("NFC", name or "")).split())
    if not cleaned:
        raise UserError("Nom d'élève vide : indiquez un nom (option --student).")
    if len(cleaned) > MAX_STUDENT_NAME:
        raise UserError(f"Nom d'élève trop long ({len(cleaned)} caractères, {MAX_STUDENT_NAME} au plus).")
    return cleaned


@dataclass
class CustomerTurn:
    """What the customer said after a student turn (or on picking up)."""

    text: str | None
    mood: float | None
    ended: bool
    end_reason: str | None = None
    index: int | None = None
    audio: str | None = None


@dataclass
class CallResult:
    """What a finished call produced."""

    session_id: str
    scenario: str
    ended_by: str | None
    transcript: Transcript
    transcript_path: Path
    records: list[dict[str, Any]]
    score: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)

    @property
    def turns(self) -> int:
        """Number of turns of the transcript (every speaker, stage directions included)."""
        return len(self.transcript.turns)

    def contract_json(self) -> dict[str, Any]:
        """The object ``trainer play --json`` prints (CONTRACT §4)."""
        return {
            "scenario": self.scenario,
            "session_id": self.session_id,
            "ended_by": self.ended_by,
            "turns": self.turns,
            "transcript": str(self.transcript_path),
            "records": self.records,
            "score": self.score,
        }


TurnListener = Callable[[int, dict[str, Any]], None]


class CallSession:
    """One call. Build it with ``CallSession.start``; see the module docstring."""

    def __init__(
        self,
        *,
        scenario: Scenario,
        store: Any,
        clock: CallClock,
        session_id: uuid.UUID,
        student: str,
        seed: int,
        mode: Mode,
        folder: Path,
        live_updates: bool = True,
        voice: Any = None,
    ) -> None:
        from trainer.call.dialogue import Conversation

        self.scenario = scenario
        self.store = store
        self.clock = clock
        self.id = session_id
        self.student = student
        self.seed = seed
        self.mode: Mode = mode
        self.direction = scenario.direction
        self.folder = folder
        self.company = company_for(store, scenario.company)
        self.conversation = Conversation(scenario, seed=seed, company=self.company, now=clock.now)
        self.erp = ErpDesk(company=self.company, scenario=scenario, store=store)
        self.voice = voice
        if voice is not None and hasattr(voice, "bind"):
            voice.bind(folder)
        self.phase: Phase = "ringing"
        self.rings = 0
        self.picked_up = False
        self.ended_by: Literal["student", "customer"] | None = None
        self.end_reason: str | None = None
        self.turns: list[dict[str, Any]] = []
        self.notices: list[str] = []
        self.started_at = clock.now()
        self._listeners: list[TurnListener] = []
        self._live = live_updates
        self._live_failed = False
        self._result: CallResult | None = None
        # Outgoing call: the customer answers after a few rings, seeded like the rest of the call.
        self.answer_after = self.conversation.answer_after_rings() if self.direction == "outgoing" else None
        self.journal = Journal.create(
            folder / JOURNAL_NAME,
            {
                "session_id": str(session_id),
                "scenario": scenario.id,
                "company": scenario.company,
                "student": student,
                "mode": mode,
                "direction": self.direction,
                "seed": seed,
                "started_at": self.started_at.isoformat(),
                "db": _safe_url(store.url) if store is not None else None,
            },
        )

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        scenario_id: str,
        *,
        db_url: str | None = None,
        student: str = "eleve",
        seed: int | None = None,
        mode: Mode = "text",
        clock: CallClock | None = None,
        session_id: uuid.UUID | str | None = None,
        store: Any = None,
        sessions_root: Path | None = None,
        live_updates: bool = True,
        voice: Any = None,
    ) -> CallSession:
        """Open a call on a scenario: load it, open the database, create the journal and the live row.

        ``db_url`` (or an already open ``store``) is the shared database; ``seed`` defaults to the
        scenario's; ``clock`` defaults to a simulated clock starting now (the TUI passes a
        ``WallClock``); ``session_id`` is a new UUID unless given (tests and golden files fix it).
        """
        scenario = load_scenario(scenario_id)
        student = _valid_student(student)
        if mode not in ("text", "voice"):
            raise UserError(f"Mode « {mode} » inconnu : « text » ou « voice ».")
        if store is None:
            store = open_ready_store(db_url)
        sid = _session_uuid(session_id)
        clock = clock or SimulatedClock()
        folder = (sessions_root or sessions_dir()) / str(sid)
        if (folder / JOURNAL_NAME).exists():
            raise UserError(f"La session {sid} existe déjà ({folder}).")
        session = cls(
            scenario=scenario,
            store=store,
            clock=clock,
            session_id=sid,
            student=student,
            seed=scenario.seed if seed is None else seed,
            mode=mode,
            folder=folder,
            live_updates=live_updates,
            voice=voice,
        )
        session._open_live_row()
        return session

    def _open_live_row(self) -> None:
        if not self._live:
            return

        def work(db: Any) -> None:
            live.create_live_session(
                db,
                session_id=self.id,
                student=self.student,
                scenario_id=self.scenario.id,
                company_id=self.scenario.company,
                mode=self.mode,
                direction=self.direction,
                seed=self.seed,
                started_at=self.started_at,
            )

        try:
            self.store.run(work)
        except BaseException:
            # Nothing may be left behind when the call cannot even start.
            self.journal.close()
            raise

    # -- listeners and turns --------------------------------------------------------------------

    def listen(self, callback: TurnListener) -> None:
        """Call ``callback(index, turn)`` for every new turn (the TUI's conversation log)."""
        self._listeners.append(callback)

    @property
    def session_id(self) -> str:
        """The session id as a string (transcripts, file names)."""
        return str(self.id)

    @property
    def mood(self) -> float | None:
        """The customer's current mood, -1 (furious) to 1 (delighted)."""
        return self.conversation.mood

    @property
    def mood_label(self) -> str:
        """The customer's current mood in French (« mécontent », « satisfait »...)."""
        return self.conversation.mood_label

    def _add_turn(self, turn: Turn, *, wait: bool = True) -> int:
        index = len(self.turns)
        data = turn.model_dump(mode="json", exclude_none=True)
        # The journal first: once this returns, the turn survives a killed process; the student's
        # turns and ERP entries are on the disk too (fsync). The customer's lines, which the seed
        # and the student's lines give again, reach the disk with the next line (one fsync a turn).
        # ``wait=False``: the disk is waited for in the background (``journal.wait_durable``).
        self.journal.append_turn(index, data, durable=turn.speaker != "customer", wait=wait)
        self.turns.append(data)
        self._write_live(index, data)
        for callback in self._listeners:
            try:
                callback(index, data)
            except Exception:  # a broken display must not break the call
                log.exception("turn listener failed")
        return index

    def _write_live(self, index: int, data: dict[str, Any]) -> None:
        if not self._live or self._live_failed:
            return
        now = self.clock.now()
        try:
            self.store.run(lambda db: live.append_live_turn(db, session_id=self.id, index=index, turn=data, now=now))
        except Exception as exc:  # the journal has the turn; the database catches up at the end
            self._live_failed = True
            self.notices.append(f"Suivi en direct interrompu (la base ne répond plus) : {exc}")
            log.warning("live turn write failed: %s", exc)

    def _system(self, text: str, event: str, **extra: Any) -> int:
        return self._add_turn(Turn(speaker="system", text=text, t=self.clock.t(), event=event, **extra))

    # -- the phone ------------------------------------------------------------------------------

    def _require(self, *phases: Phase, doing: str) -> None:
        if self.phase not in phases:
            states = {
                "ringing": "le téléphone sonne encore",
                "talking": "la conversation est en cours",
                "ended": "l'appel est terminé",
                "closed": "l'appel est enregistré",
            }
            raise CallError(f"Impossible de {doing} : {states[self.phase]}.")

    def ring(self) -> CustomerTurn | None:
        """One more ring. Outgoing call: the customer answers on their ring (returns their first line)."""
        self._require("ringing", doing="faire sonner")
        self.rings += 1
        if self.direction == "incoming":
            self._system(f"Le téléphone sonne ({_ordinal(self.rings)} sonnerie).", "ring")
        else:
            self._system(f"Ça sonne chez le correspondant ({_ordinal(self.rings)} sonnerie).", "ring")
        self.clock.advance(RING_SECONDS)
        if self.direction == "outgoing" and self.answer_after is not None and self.rings >= self.answer_after:
            return self._customer_answers()
        return None

    def pick_up(self) -> CustomerTurn | None:
        """The student picks up (incoming call); returns the caller's first line, if they speak first."""
        self._require("ringing", doing="décrocher")
        if self.direction == "outgoing":
            raise CallError("Impossible de décrocher : c'est vous qui appelez (appel sortant).")
        if self.rings == 0:
            self.ring()
        self.phase = "talking"
        self.picked_up = True
        self.journal.append_meta(rings_before_pickup=self.rings)
        self._system("L'élève décroche.", "pickup", by="student")
        return self._customer_line(self.conversation.opening(self.rings))

    def dial(self, rings: int | None = None) -> CustomerTurn | None:
        """Outgoing call, headless: ring until the customer answers (after ``rings`` rings when given,
        else as seeded); returns their first line."""
        if self.direction != "outgoing":
            raise CallError("Impossible de composer un numéro : c'est le client qui appelle (appel entrant).")
        if rings is not None:
            self.answer_after = max(1, rings)
        reply = None
        while self.phase == "ringing":
            reply = self.ring()
        return reply

    def _customer_answers(self) -> CustomerTurn | None:
        # The customer's rings are not the student's pick-up: no rings_before_pickup on an outgoing call.
        self.phase = "talking"
        self._system("Le correspondant décroche.", "pickup", by="customer")
        return self._customer_line(self.conversation.opening(self.rings))

    def _customer_line(self, text: str | None, *, ended: bool = False, end_reason: str | None = None) -> CustomerTurn:
        mood = self.conversation.mood
        if not text:
            return CustomerTurn(text=None, mood=mood, ended=ended, end_reason=end_reason)
        audio = self._speak(text)
        turn = Turn(speaker="customer", text=text, t=self.clock.t(), mood=mood, audio=audio)
        index = self._add_turn(turn)
        self.clock.advance(REACTION_SECONDS + speaking_seconds(text, self.conversation.words_per_minute))
        return CustomerTurn(text=text, mood=mood, ended=ended, end_reason=end_reason, index=index, audio=audio)

    def _speak(self, text: str) -> str | None:
        """Voice mode: the customer's line as a WAV in the session folder (path relative to it)."""
        if self.mode != "voice" or self.voice is None:
            return None
        try:
            spoken = self.voice.speak(text, self.scenario.persona)
        except Exception as exc:  # the call goes on in text (one notice)
            self.notices.append(f"Voix indisponible, l'appel continue en texte : {exc}")
            self.voice = None
            return None
        try:
            return str(Path(spoken).relative_to(self.folder))
        except ValueError:
            return str(spoken)

    # -- the student speaks -----------------------------------------------------------------------

    def student_says(self, text: str, *, voice_measures: dict[str, Any] | None = None) -> CustomerTurn | None:
        """The student's turn; returns the customer's reply (``None`` for a blank line).

        Any text is accepted (emoji, other languages, 10 000 characters): the customer answers
        « Pardon ? » to what they cannot understand. ``voice_measures`` (voice mode) adds
        ``audio``, ``asr_confidence``, ``words_per_minute``, ``loudness_dbfs`` to the turn.
        """
        if self.phase == "ringing" and self.direction == "incoming":
            raise CallError("Décrochez d'abord : le téléphone sonne encore.")
        if self.phase == "ringing":
            raise CallError("Le correspondant n'a pas encore décroché.")
        self._require("talking", doing="parler")
        cleaned = clean_text(str(text))
        if not cleaned:
            return None
        measures = {k: v for k, v in (voice_measures or {}).items() if k in _VOICE_FIELDS and v is not None}
        analysis = self.conversation.understand(cleaned)
        turn = Turn(speaker="student", text=cleaned, t=self.clock.t(), intents=analysis.intent_names, **measures)
        # Journaled (fsync) before the customer answers: a crash loses at most the turn being typed.
        # The customer thinks while the disk writes; their answer waits for the student's line.
        self._add_turn(turn, wait=False)
        self.clock.advance(REACTION_SECONDS + speaking_seconds(cleaned, STUDENT_WORDS_PER_MINUTE))
        reply = self.conversation.respond(analysis, cleaned)
        self.journal.wait_durable()
        result = self._customer_line(reply.text, ended=reply.ended, end_reason=reply.end_reason)
        if reply.ended:
            self.end_reason = reply.end_reason
            self._hangup_turn("customer")
        return result

    def student_speaks(self, wav: Path) -> CustomerTurn | None:
        """Voice mode: a recorded student turn, recognised and measured, then played as ``student_says``."""
        if self.voice is None:
            raise CallError("La reconnaissance vocale n'est pas active pour cet appel.")
        heard = self.voice.hear(Path(wav))
        measures = dict(heard.measures)
        try:
            measures["audio"] = str(Path(wav).resolve().relative_to(self.folder.resolve()))
        except ValueError:
            measures["audio"] = str(wav)
        return self.student_says(heard.text, voice_measures=measures)

    # -- ERP ------------------------------------------------------------------------------------

    def erp_action(self, name: str, args: dict[str, Any]) -> str:
        """An entry in the ERP panel (``ligne``, ``client``, ``reclamation``...); returns its French summary.

        A refused entry raises ``ErpError`` (one French sentence) and leaves no trace. Entries are
        accepted while the phone rings, during the call and after the hang-up until ``finish``.
        """
        if self.phase == "closed":
            raise CallError("L'appel est déjà enregistré : la saisie est close.")
        summary, canonical = self.erp.apply(name, args, now=self.clock.now())
        self._system(summary, "action", action={"name": canonical["name"], **canonical["args"]})
        if self.clock.simulated and self.phase != "ended":
            self.clock.advance(ACTION_SECONDS)
        return summary

    def erp_preview(self) -> dict[str, Any]:
        """What the ERP would record right now (priced order, complaint deadline...), for the panel."""
        return self.erp.preview(now=self.clock.now(), confirmed=self.conversation.confirmed)

    # -- the end --------------------------------------------------------------------------------

    def _hangup_turn(self, by: Literal["student", "customer"]) -> None:
        if by == "student" and self.phase == "talking":
            reply = self.conversation.student_hangs_up()
            self.end_reason = reply.end_reason or self.end_reason
        self.ended_by = by
        self.phase = "ended"
        who = "L'élève raccroche." if by == "student" else "Le client raccroche."
        if by == "customer" and self.direction == "outgoing":
            who = "Le correspondant raccroche."
        self._system(who, "hangup", by=by)
        self.journal.append_meta(ended_by=by)

    def hang_up(self, by: Literal["student", "customer"] = "student") -> CallResult:
        """Hang up (if the call is still on) and record the call: see ``finish``."""
        if self.phase in ("ringing", "talking"):
            if self.phase == "talking" or by == "student":
                self._hangup_turn(by)
        return self.finish()

    def finish(self) -> CallResult:
        """Commit the call: records, session row, transcript and score in ONE transaction.

        Then the transcript file is written atomically and the journal gets its end line. Calling it
        again returns the same result.
        """
        if self._result is not None:
            return self._result
        if self.phase in ("ringing", "talking"):
            self._hangup_turn("student")
        now = self.clock.now()
        prepared: PreparedOutcome = self.erp.prepare(
            now=now,
            confirmed=self.conversation.confirmed,
            student_lines=[t["text"] for t in self.turns if t["speaker"] == "student"],
            customer_reason=self._customer_reason(),
        )
        path = self.folder / TRANSCRIPT_NAME
        scorer = _scorer(self.notices)
        # Scoring loads its phrase tables on first use (a second or two): do it before taking the
        # database's write lock, which the whole class shares on SQLite.
        _warm_scoring()

        def work(db: Any) -> tuple[Transcript, list[dict[str, Any]], dict[str, Any] | None]:
            records = self.erp.commit(db, prepared, now=now, session_id=self.id)
            transcript = self._transcript(records, prepared)
            score = scorer(transcript, self.scenario)
            if self._live:
                live.sync_live_turns(db, session_id=self.id, turns=self.turns, now=now)
                found = live.finish_live_session(
                    db,
                    session_id=self.id,
                    status="finished",
                    ended_at=now,
                    ended_by=self.ended_by,
                    transcript_json=transcript.to_json(),
                    transcript_path=str(path),
                    score=score,
                )
                if not found:
                    raise UserError(f"La session {self.id} n'existe plus dans la base : appel non enregistré.")
            return transcript, records, score

        try:
            transcript, records, score = self.store.run(work)
        except BaseException:
            self._mark_abandoned()
            raise
        write_atomically(path, transcript.to_json())
        self.journal.append_end(ended_by=self.ended_by, outcome=transcript.outcome, transcript_path=str(path))
        self.journal.close()
        self.phase = "closed"
        self._result = CallResult(
            session_id=self.session_id,
            scenario=self.scenario.id,
            ended_by=self.ended_by,
            transcript=transcript,
            transcript_path=path,
            records=records,
            score=score,
            problems=list(prepared.problems) + self.notices,
        )
        return self._result

    def _customer_reason(self) -> str | None:
        """The customer's first answer to the student: why they call (or how they take our call)."""
        spoke = False
        for turn in self.turns:
            if turn["speaker"] == "student":
                spoke = True
            elif turn["speaker"] == "customer" and spoke:
                return turn["text"]
        return None

    def abandon(self) -> None:
        """The call stops without being recorded (window closed, process interrupted)."""
        if self.phase == "closed":
            return
        self._mark_abandoned()
        self.phase = "closed"

    def _mark_abandoned(self) -> None:
        self.journal.close()
        if not self._live:
            return
        transcript = self._transcript([], None)
        now = self.clock.now()
        try:
            self.store.run(
                lambda db: (
                    live.sync_live_turns(db, session_id=self.id, turns=self.turns, now=now),
                    live.finish_live_session(
                        db,
                        session_id=self.id,
                        status="abandoned",
                        ended_at=now,
                        ended_by=self.ended_by,
                        transcript_json=transcript.to_json(),
                        transcript_path=None,
                        score=None,
                    ),
                )
            )
        except Exception as exc:  # best effort: the journal keeps everything for `trainer recover`
            log.warning("could not mark session %s abandoned: %s", self.id, exc)

    def _transcript(self, records: list[dict[str, Any]], prepared: PreparedOutcome | None) -> Transcript:
        outcome: dict[str, Any] = {"records": records}
        if prepared is not None and prepared.problems:
            outcome["problems"] = list(prepared.problems)
        if self.end_reason:
            outcome["end_reason"] = self.end_reason
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "session_id": self.session_id,
            "scenario": self.scenario.id,
            "student": self.student,
            "mode": self.mode,
            "direction": self.direction,
            "rings_before_pickup": self.rings if self.picked_up else None,
            "started_at": self.started_at,
            "ended_by": self.ended_by,
            "seed": self.seed,
            "turns": self.turns,
            "outcome": outcome,
        }
        return Transcript.model_validate({k: v for k, v in data.items() if v is not None})


_VOICE_FIELDS = (
    "audio",
    "asr_confidence",
    "words_per_minute",
    "filler_words_per_minute",
    "loudness_dbfs",
    "pause_before_s",
)


def _ordinal(n: int) -> str:
    return "1re" if n == 1 else f"{n}e"


def _session_uuid(value: uuid.UUID | str | None) -> uuid.UUID:
    if value is None:
        return uuid.uuid4()
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise UserError(f"Identifiant de session « {value} » invalide : un UUID est attendu.") from None


def _safe_url(url: str) -> str:
    from trainer.store.engine import safe_url

    return safe_url(url)


def open_ready_store(db_url: str | None) -> Any:
    """The shared database, schema up to date and reference data seeded (idempotent)."""
    import trainer.store as store_pkg

    ensure_ready = getattr(store_pkg, "ensure_ready", None)
    if ensure_ready is not None:
        return ensure_ready(db_url)
    store = store_pkg.open_store(db_url)
    store.require_schema()
    return store


def _scorer(notices: list[str]) -> Callable[[Transcript, Scenario], dict[str, Any] | None]:
    """The scoring function (CONTRACT §5 as JSON); a call is recorded even when scoring fails.

    A failure (a grid file missing or invalid) leaves ``score`` empty and one French notice, so
    that the teacher can score the transcript later with ``trainer score``.
    """
    try:
        from trainer.scoring import DEFAULT_GRID, score_transcript
    except ImportError:
        return lambda transcript, scenario: None

    def score(transcript: Transcript, scenario: Scenario) -> dict[str, Any] | None:
        try:
            report = score_transcript(transcript, grid_id=DEFAULT_GRID, scenario=scenario)
        except Exception as exc:  # noqa: BLE001 - scoring must never lose a call
            log.warning("scoring failed: %s", exc)
            message = f"Notation impossible ({exc}) : la transcription reste notable avec « trainer score »."
            if message not in notices:
                notices.append(message)
            return None
        return report.model_dump(mode="json")

    return score


def _warm_scoring() -> None:
    """Load the scoring tables once per process (cached by the scoring package)."""
    try:
        from trainer.scoring import DEFAULT_GRID
        from trainer.scoring.grid_eval import get_grid
        from trainer.scoring.lexicon import get_lexicon

        get_lexicon()
        get_grid(DEFAULT_GRID)
    except Exception as exc:  # noqa: BLE001 - the scorer reports the same problem in its notice
        log.debug("scoring warm-up failed: %s", exc)


def company_for(store: Any, company_id: str) -> Any:
    """The company's reference data as the database has it: relative dates from its seeding day.

    Loaded once per process for a given day and state of the files (parsing the YAML takes a
    moment, and a class plays many calls); the data is never modified in place.
    """
    today = None
    if store is not None:
        try:
            from trainer.store.seeding import seeded_companies

            with store.read() as db:
                row = seeded_companies(db).get(company_id)
            if row is not None:
                today = row.seeded_at.astimezone(PARIS).date()
        except Exception as exc:  # an unseeded or older database: the reference files as of today
            log.debug("seeding day unknown: %s", exc)
    from trainer.content.company import reference_dir

    folder = reference_dir(company_id)
    try:
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()))
    except OSError:
        stamp = ()
    return _load_company_cached(company_id, today or datetime.now(PARIS).date(), stamp)


@lru_cache(maxsize=8)
def _load_company_cached(company_id: str, today: date, stamp: tuple) -> Any:
    return load_company(company_id, today=today)
