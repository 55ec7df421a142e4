"""Read models for the staff screens: sessions as a viewer may see them, class statistics, client files.

**Who sees what** is decided here, in the queries, not in the screens: a student only ever gets
their own sessions (``Viewer.role == "student"`` adds ``WHERE student = me`` to every query and
``session_for`` refuses someone else's session); observers and teachers see the whole class.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from trainer.domain.errors import DomainError
from trainer.store.reviews import TeacherReview, reviews_for, submitted_grid_counts
from trainer.store.sessions import normalize_username
from trainer.store.tables import (
    CallSessionRow,
    ClientRow,
    ComplaintRow,
    ContactLogRow,
    MessageRow,
    OrderRow,
    ReminderRow,
    SessionTurnRow,
    UserRow,
)

STAFF_ROLES = frozenset({"observer", "teacher"})


@dataclass(frozen=True)
class Viewer:
    """Who is asking: ``username`` and ``role`` (``student``, ``observer`` or ``teacher``)."""

    username: str
    role: str

    @property
    def is_staff(self) -> bool:
        """Observers and teachers see every student's sessions."""
        return self.role in STAFF_ROLES


@dataclass(frozen=True)
class SessionSummary:
    """One call session as listed to a viewer, with its review state."""

    id: uuid.UUID
    student: str
    student_name: str
    scenario_id: str
    company_id: str
    mode: str
    direction: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    turns: int
    automatic_total: float | None
    adjusted_total: float | None
    reviewed: bool
    reviewer_name: str | None
    observer_grids: int

    @property
    def final_total(self) -> float | None:
        """The total that counts: the teacher's adjusted total when reviewed, else the automatic one."""
        return self.adjusted_total if self.reviewed else self.automatic_total


@dataclass(frozen=True)
class SessionFilters:
    """Filters of the session list (all optional)."""

    student: str | None = None
    """A fragment of the student's username or name (accents and case as typed)."""
    scenario_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    status: str | None = None
    """``finished`` (default listing of the teacher), ``live``, ``abandoned`` or None for all."""
    limit: int | None = None


def _visible(stmt: Any, viewer: Viewer) -> Any:
    """Restrict a query on call_sessions joined to users to what ``viewer`` may see."""
    if viewer.is_staff:
        return stmt
    return stmt.where(UserRow.username == normalize_username(viewer.username))


def list_sessions(
    session: Session,
    *,
    viewer: Viewer,
    filters: SessionFilters | None = None,
    session_ids: set[uuid.UUID] | None = None,
) -> list[SessionSummary]:
    """The sessions ``viewer`` may see, most recent first, with totals and review state.

    ``session_ids`` restricts the listing to those sessions (still only the visible ones).
    """
    f = filters or SessionFilters()
    counts = (
        select(SessionTurnRow.session_id, func.count().label("n")).group_by(SessionTurnRow.session_id).subquery()
    )
    stmt = (
        select(CallSessionRow, UserRow.username, UserRow.display_name, func.coalesce(counts.c.n, 0))
        .join(UserRow, CallSessionRow.student_id == UserRow.id)
        .outerjoin(counts, counts.c.session_id == CallSessionRow.id)
        .order_by(CallSessionRow.started_at.desc(), CallSessionRow.id)
    )
    stmt = _visible(stmt, viewer)
    if f.student and f.student.strip():
        fragment = f.student.strip().lower()
        stmt = stmt.where(
            func.lower(UserRow.username).contains(fragment, autoescape=True)
            | func.lower(UserRow.display_name).contains(fragment, autoescape=True)
        )
    if f.scenario_id:
        stmt = stmt.where(CallSessionRow.scenario_id == f.scenario_id)
    if f.since is not None:
        stmt = stmt.where(CallSessionRow.started_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(CallSessionRow.started_at < f.until)
    if f.status:
        stmt = stmt.where(CallSessionRow.status == f.status)
    if session_ids is not None:
        stmt = stmt.where(CallSessionRow.id.in_(list(session_ids)))
    if f.limit:
        stmt = stmt.limit(f.limit)
    rows = session.execute(stmt).all()
    ids = [r[0].id for r in rows]
    reviews = reviews_for(session, session_ids=ids)
    grids = submitted_grid_counts(session, session_ids=ids)
    return [_summary(r[0], r[1], r[2], r[3], reviews.get(r[0].id), grids.get(r[0].id, 0)) for r in rows]


def _summary(
    row: CallSessionRow, username: str, name: str, turns: int, review: TeacherReview | None, grids: int
) -> SessionSummary:
    return SessionSummary(
        id=row.id,
        student=username,
        student_name=name,
        scenario_id=row.scenario_id,
        company_id=row.company_id,
        mode=row.mode,
        direction=row.direction,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
        turns=int(turns),
        automatic_total=row.score_total,
        adjusted_total=review.adjusted_total if review else None,
        reviewed=review is not None,
        reviewer_name=review.reviewer_name if review else None,
        observer_grids=grids,
    )


def session_for(session: Session, *, viewer: Viewer, session_id: uuid.UUID) -> SessionSummary:
    """One session, if ``viewer`` may see it (``DomainError`` otherwise, same wording either way)."""
    found = list_sessions(session, viewer=viewer, session_ids={session_id})
    if not found:
        # A student is not told whether someone else's session exists.
        raise DomainError("Séance introuvable ou réservée à son élève.", field="session_id")
    return found[0]


@dataclass(frozen=True)
class SessionDocuments:
    """What a session recorded: its transcript and score (parsed JSON), when it has them."""

    summary: SessionSummary
    transcript: dict[str, Any] | None
    score: dict[str, Any] | None


def session_documents_for(session: Session, *, viewer: Viewer, session_id: uuid.UUID) -> SessionDocuments:
    """Transcript and score of a session the viewer may see."""
    summary = session_for(session, viewer=viewer, session_id=session_id)
    row = session.get(CallSessionRow, session_id)
    assert row is not None
    transcript = json.loads(row.transcript_json) if row.transcript_json else None
    score = json.loads(row.score_json) if row.score_json else None
    if transcript is None:
        # A live or abandoned call has no transcript document yet: its turns are in session_turns.
        turns = session.execute(
            select(SessionTurnRow).where(SessionTurnRow.session_id == session_id).order_by(SessionTurnRow.idx)
        ).scalars()
        transcript = {"turns": [{"speaker": t.speaker, "text": t.text, "t": t.t} for t in turns]}
    return SessionDocuments(summary=summary, transcript=transcript, score=score)


def scored_sessions(
    session: Session, *, viewer: Viewer, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[SessionSummary, dict[str, Any] | None]]:
    """Finished sessions with their score documents (for the class dashboard), oldest first."""
    summaries = list_sessions(
        session, viewer=viewer, filters=SessionFilters(since=since, until=until, status="finished")
    )
    if not summaries:
        return []
    scores = score_documents(session, session_ids=[s.id for s in summaries])
    return [(s, scores.get(s.id)) for s in sorted(summaries, key=lambda s: s.started_at)]


def score_documents(session: Session, *, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any] | None]:
    """The score documents (parsed JSON) of the given sessions; the caller checked they are visible."""
    if not session_ids:
        return {}
    return {
        sid: (json.loads(text) if text else None)
        for sid, text in session.execute(
            select(CallSessionRow.id, CallSessionRow.score_json).where(CallSessionRow.id.in_(session_ids))
        )
    }


def scenario_ids(session: Session, *, viewer: Viewer) -> list[str]:
    """The scenarios the viewer's sessions were played on (for the scenario filter)."""
    stmt = (
        select(CallSessionRow.scenario_id)
        .join(UserRow, CallSessionRow.student_id == UserRow.id)
        .distinct()
        .order_by(CallSessionRow.scenario_id)
    )
    return list(session.execute(_visible(stmt, viewer)).scalars())


def client_sessions(session: Session, *, viewer: Viewer, client_number: str) -> list[SessionSummary]:
    """The calls on a client file (any order, complaint, message, reminder or history line written
    by the call), most recent first, among the sessions ``viewer`` may see."""
    client = session.execute(
        select(ClientRow.id).where(ClientRow.number == client_number.strip().upper())
    ).scalar_one_or_none()
    if client is None:
        raise DomainError(f"Aucun client ne porte le numéro « {client_number.strip()} ».", field="client_number")
    linked = union(
        select(OrderRow.session_id).where(OrderRow.client_id == client, OrderRow.session_id.is_not(None)),
        select(ComplaintRow.session_id).where(ComplaintRow.client_id == client, ComplaintRow.session_id.is_not(None)),
        select(MessageRow.session_id).where(MessageRow.client_id == client, MessageRow.session_id.is_not(None)),
        select(ReminderRow.session_id).where(ReminderRow.client_id == client, ReminderRow.session_id.is_not(None)),
        select(ContactLogRow.session_id).where(
            ContactLogRow.client_id == client, ContactLogRow.session_id.is_not(None)
        ),
    ).subquery()
    ids = set(session.execute(select(linked.c[0])).scalars())
    if not ids:
        return []
    return list_sessions(session, viewer=viewer, session_ids=ids)


def contact_sessions(session: Session, *, client_number: str) -> dict[tuple[datetime, str], set[uuid.UUID]]:
    """For the client file: which history lines were written by a call (``(at, summary)`` → sessions)."""
    client = session.execute(
        select(ClientRow.id).where(ClientRow.number == client_number.strip().upper())
    ).scalar_one_or_none()
    if client is None:
        return {}
    rows = session.execute(
        select(ContactLogRow.at, ContactLogRow.summary, ContactLogRow.session_id).where(
            ContactLogRow.client_id == client, ContactLogRow.session_id.is_not(None)
        )
    )
    found: dict[tuple[datetime, str], set[uuid.UUID]] = {}
    for at, summary, sid in rows:
        found.setdefault((at, summary), set()).add(sid)
    return found
