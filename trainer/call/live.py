"""The live side of a call in the shared database: the session row and its turns as they happen.

An observer on another terminal follows ``session_turns`` while the student talks; the session row
goes ``live`` → ``finished`` (in the same transaction as the call's records) or ``abandoned`` (the
process died or the call could not be saved; the journal on disk still has every turn). The rows
are the store's (``trainer.store.sessions``); this module maps transcript turns onto them.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.store import sessions as repo
from trainer.store.tables import CallSessionRow, SessionTurnRow

MAX_USERNAME = 64
_BASE_FIELDS = {"speaker", "text", "t"}


def turn_extra(turn: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of a turn beyond speaker/text/t (event, by, action, mood, intents...)."""
    extra = {k: v for k, v in turn.items() if k not in _BASE_FIELDS and v is not None}
    return extra or None


def create_live_session(
    session: Session,
    *,
    session_id: uuid.UUID,
    student: str,
    scenario_id: str,
    company_id: str,
    mode: str,
    direction: str,
    seed: int | None,
    started_at: datetime,
) -> None:
    """Insert the ``live`` session row (and the student's user row on their first call)."""
    repo.start_call_session(
        session,
        student=student,
        scenario_id=scenario_id,
        company_id=company_id,
        now=started_at,
        mode=mode,  # type: ignore[arg-type]
        direction=direction,  # type: ignore[arg-type]
        seed=seed,
        session_id=session_id,
    )


def append_live_turn(
    session: Session, *, session_id: uuid.UUID, index: int, turn: dict[str, Any], now: datetime
) -> None:
    """Write one turn of a live call (the session row's last activity moves with it)."""
    repo.append_turn(
        session,
        session_id=session_id,
        idx=index,
        speaker=turn["speaker"],
        text=turn["text"],
        now=now,
        t=turn.get("t"),
        extra=turn_extra(turn),
    )


def sync_live_turns(
    session: Session, *, session_id: uuid.UUID, turns: list[dict[str, Any]], now: datetime
) -> int:
    """Write the turns the database does not have yet; returns how many.

    Used at the end of a call whose live writes failed for a while, and by a recovery, when the row
    may already be ``abandoned`` (hence a direct insert rather than ``append_turn``, which only
    accepts live sessions).
    """
    have = set(session.scalars(select(SessionTurnRow.idx).where(SessionTurnRow.session_id == session_id)))
    added = 0
    for index, turn in enumerate(turns):
        if index in have:
            continue
        extra = turn_extra(turn)
        session.add(
            SessionTurnRow(
                session_id=session_id,
                idx=index,
                speaker=turn["speaker"],
                text=turn["text"],
                t=turn.get("t"),
                extra_json=json.dumps(extra, ensure_ascii=False) if extra else None,
                created_at=now,
            )
        )
        added += 1
    session.flush()
    return added


def finish_live_session(
    session: Session,
    *,
    session_id: uuid.UUID,
    status: str,
    ended_at: datetime,
    ended_by: str | None,
    transcript_json: str,
    transcript_path: str | None,
    score: dict[str, Any] | None,
) -> bool:
    """Close the session row (``finished`` or ``abandoned``); False when there is no such row."""
    if session.get(CallSessionRow, session_id) is None:
        return False
    repo.finish_call_session(
        session,
        session_id=session_id,
        now=ended_at,
        ended_by=ended_by,
        transcript=transcript_json,
        score=score,
        transcript_path=transcript_path,
        status=status,  # type: ignore[arg-type]
    )
    return True


def session_status(session: Session, *, session_id: uuid.UUID) -> str | None:
    """The status of a session row, or None when it does not exist."""
    return session.scalar(select(CallSessionRow.status).where(CallSessionRow.id == session_id))
