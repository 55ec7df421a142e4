"""Users and call sessions in the shared database, so that an observer can follow a call live.

The call engine writes each turn with ``append_turn`` as it happens (its journal on disk is the
safety net, ``trainer/store/journal.py``); an observer on another terminal polls ``turns_after``.
A session goes ``live`` -> ``finished``, or ``abandoned`` when its process died (``mark_abandoned``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trainer.domain.errors import DomainError
from trainer.store.tables import CallSessionRow, SessionTurnRow, UserRow

Role = Literal["student", "observer", "teacher"]
Speaker = Literal["student", "customer", "system"]


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    has_password: bool


@dataclass(frozen=True)
class CallSessionInfo:
    """A call session as listed to an observer or a teacher."""

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
    last_activity_at: datetime | None
    ended_by: str | None
    seed: int | None
    turns: int
    score_total: float | None
    transcript_path: str | None


@dataclass(frozen=True)
class TurnInfo:
    idx: int
    speaker: str
    text: str
    t: float | None
    extra: dict[str, Any] | None
    created_at: datetime


def _user_info(row: UserRow) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name, row.role, row.password_hash is not None)


def normalize_username(username: str) -> str:
    """Usernames are compared without case or surrounding spaces; an empty one is refused."""
    name = " ".join(str(username).split()).lower()
    if not name:
        raise DomainError("Le nom d'utilisateur est vide.", field="username")
    if len(name) > 64:
        raise DomainError("Le nom d'utilisateur dépasse 64 caractères.", field="username")
    return name


def get_user(session: Session, *, username: str) -> UserInfo | None:
    """The user ``username``, or None."""
    row = session.execute(select(UserRow).where(UserRow.username == normalize_username(username))).scalar_one_or_none()
    return _user_info(row) if row else None


def get_or_create_user(
    session: Session,
    *,
    username: str,
    now: datetime,
    display_name: str | None = None,
    role: Role = "student",
) -> UserInfo:
    """The user ``username``, created with ``role`` when it does not exist yet."""
    name = normalize_username(username)
    row = session.execute(select(UserRow).where(UserRow.username == name)).scalar_one_or_none()
    if row is None:
        row = UserRow(username=name, display_name=display_name or username.strip(), role=role, created_at=now)
        session.add(row)
        session.flush()
    return _user_info(row)


def set_password_hash(session: Session, *, username: str, password_hash: str | None) -> None:
    """Store (or clear) the password hash of a user (the hashing itself is the caller's: argon2)."""
    row = session.execute(select(UserRow).where(UserRow.username == normalize_username(username))).scalar_one_or_none()
    if row is None:
        raise DomainError(f"Utilisateur inconnu : « {username} ».", field="username")
    row.password_hash = password_hash


def password_hash_of(session: Session, *, username: str) -> str | None:
    """The stored password hash of ``username`` (None: unknown user or no password)."""
    return session.execute(
        select(UserRow.password_hash).where(UserRow.username == normalize_username(username))
    ).scalar_one_or_none()


def list_users(session: Session, *, role: Role | None = None) -> list[UserInfo]:
    stmt = select(UserRow).order_by(UserRow.username)
    if role:
        stmt = stmt.where(UserRow.role == role)
    return [_user_info(row) for row in session.execute(stmt).scalars()]


def start_call_session(
    session: Session,
    *,
    student: str,
    scenario_id: str,
    company_id: str,
    now: datetime,
    mode: Literal["text", "voice"] = "text",
    direction: Literal["incoming", "outgoing"] = "incoming",
    seed: int | None = None,
    session_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Create a ``live`` call session (and the student's user row if needed); returns its id."""
    user = get_or_create_user(session, username=student, now=now)
    row = CallSessionRow(
        id=session_id or uuid.uuid4(),
        student_id=user.id,
        scenario_id=scenario_id,
        company_id=company_id,
        mode=mode,
        direction=direction,
        status="live",
        started_at=now,
        last_activity_at=now,
        seed=seed,
    )
    session.add(row)
    session.flush()
    return row.id


def append_turn(
    session: Session,
    *,
    session_id: uuid.UUID,
    idx: int,
    speaker: Speaker,
    text: str,
    now: datetime,
    t: float | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write one turn of a live session (``idx`` is its 0-based place in the transcript)."""
    row = session.get(CallSessionRow, session_id)
    if row is None:
        raise DomainError(f"Session d'appel inconnue : {session_id}.", field="session_id")
    if row.status != "live":
        raise DomainError(f"La session {session_id} est terminée : plus de tour à ajouter.", field="session_id")
    session.add(
        SessionTurnRow(
            session_id=session_id,
            idx=idx,
            speaker=speaker,
            text=text,
            t=t,
            extra_json=json.dumps(extra, ensure_ascii=False) if extra else None,
            created_at=now,
        )
    )
    row.last_activity_at = now
    session.flush()


def finish_call_session(
    session: Session,
    *,
    session_id: uuid.UUID,
    now: datetime,
    ended_by: str | None,
    transcript: dict[str, Any] | str | None = None,
    score: dict[str, Any] | str | None = None,
    transcript_path: str | None = None,
    status: Literal["finished", "abandoned"] = "finished",
) -> None:
    """Close a session with its transcript and score (JSON), in the caller's transaction."""
    row = session.get(CallSessionRow, session_id)
    if row is None:
        raise DomainError(f"Session d'appel inconnue : {session_id}.", field="session_id")
    row.status = status
    row.ended_at = now
    row.last_activity_at = now
    row.ended_by = ended_by
    if transcript is not None:
        row.transcript_json = transcript if isinstance(transcript, str) else json.dumps(transcript, ensure_ascii=False)
    if score is not None:
        data = json.loads(score) if isinstance(score, str) else score
        row.score_json = score if isinstance(score, str) else json.dumps(score, ensure_ascii=False)
        total = data.get("total") if isinstance(data, dict) else None
        row.score_total = float(total) if isinstance(total, int | float) else None
    if transcript_path is not None:
        row.transcript_path = transcript_path
    session.flush()


def mark_abandoned(session: Session, *, idle_since: datetime, now: datetime) -> int:
    """Sessions still ``live`` with no activity since ``idle_since`` become ``abandoned``; returns how many."""
    result = session.execute(
        update(CallSessionRow)
        .where(CallSessionRow.status == "live", CallSessionRow.last_activity_at < idle_since)
        .values(status="abandoned", ended_at=now)
    )
    return result.rowcount or 0


def _infos(session: Session, stmt) -> list[CallSessionInfo]:  # noqa: ANN001
    counts = (
        select(SessionTurnRow.session_id, func.count().label("n"))
        .group_by(SessionTurnRow.session_id)
        .subquery()
    )
    rows = session.execute(
        stmt.add_columns(UserRow.username, UserRow.display_name, func.coalesce(counts.c.n, 0))
        .join(UserRow, CallSessionRow.student_id == UserRow.id)
        .outerjoin(counts, counts.c.session_id == CallSessionRow.id)
    ).all()
    return [
        CallSessionInfo(
            id=r[0].id,
            student=r[1],
            student_name=r[2],
            scenario_id=r[0].scenario_id,
            company_id=r[0].company_id,
            mode=r[0].mode,
            direction=r[0].direction,
            status=r[0].status,
            started_at=r[0].started_at,
            ended_at=r[0].ended_at,
            last_activity_at=r[0].last_activity_at,
            ended_by=r[0].ended_by,
            seed=r[0].seed,
            turns=r[3],
            score_total=r[0].score_total,
            transcript_path=r[0].transcript_path,
        )
        for r in rows
    ]


def list_call_sessions(
    session: Session, *, status: str | None = None, student: str | None = None, limit: int | None = None
) -> list[CallSessionInfo]:
    """Call sessions, most recent first (``status="live"``: the calls an observer can follow)."""
    stmt = select(CallSessionRow).order_by(CallSessionRow.started_at.desc())
    if status:
        stmt = stmt.where(CallSessionRow.status == status)
    if student:
        stmt = stmt.where(UserRow.username == normalize_username(student))
    if limit:
        stmt = stmt.limit(limit)
    return _infos(session, stmt)


def get_call_session(session: Session, *, session_id: uuid.UUID) -> CallSessionInfo | None:
    found = _infos(session, select(CallSessionRow).where(CallSessionRow.id == session_id))
    return found[0] if found else None


def session_documents(session: Session, *, session_id: uuid.UUID) -> tuple[dict | None, dict | None]:
    """The stored transcript and score of a session (parsed JSON), or None for each."""
    row = session.get(CallSessionRow, session_id)
    if row is None:
        return None, None
    transcript = json.loads(row.transcript_json) if row.transcript_json else None
    score = json.loads(row.score_json) if row.score_json else None
    return transcript, score


def turns_after(session: Session, *, session_id: uuid.UUID, after_idx: int = -1) -> list[TurnInfo]:
    """The turns of a session whose index is greater than ``after_idx`` (all by default), in order."""
    rows = session.execute(
        select(SessionTurnRow)
        .where(SessionTurnRow.session_id == session_id, SessionTurnRow.idx > after_idx)
        .order_by(SessionTurnRow.idx)
    ).scalars()
    return [
        TurnInfo(r.idx, r.speaker, r.text, r.t, json.loads(r.extra_json) if r.extra_json else None, r.created_at)
        for r in rows
    ]
