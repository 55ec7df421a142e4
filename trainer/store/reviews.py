"""What people add to a call after the machine scored it: observers' grids, teachers' reviews.

Three families of rows, all hanging off ``call_sessions`` (deleted with their session):

- **observer grids** (``observer_grids`` + ``observer_grid_items``): the Doc 6 grid filled by hand by
  an observer following the call (BRIEF §2.4), one per observer and session: a level and a comment
  per item, saved as a draft while the call goes on, then *submitted* (``submitted_at``), after
  which it no longer changes;
- **teacher reviews** (``teacher_reviews`` + ``review_decisions``): one per session; for each
  criterion (a charter rule verdict or a grid item) the teacher *accepts*, *adjusts* (new level or
  verdict) or *rejects* the automatic result, with a reason; the review keeps the final adjusted
  total (computed by ``trainer.reports.grading`` from the decisions, or typed by the teacher);
- **turn comments** (``turn_comments``): remarks of a teacher (or an observer) on one turn.

The tables share ``trainer.store.tables.Base`` so that migrations, ``count_rows`` and the schema
checks see them. Repository functions are keyword-only and take the caller's session (one unit of
work); a refused input raises ``DomainError`` with one French sentence and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from trainer.domain.errors import DomainError

# A module import (not ``from … import name``): tables.py imports this module at its end, possibly
# while trainer.store.sessions is still being imported.
from trainer.store import sessions as _sessions
from trainer.store.tables import Base, CallSessionRow, UserRow
from trainer.store.types import AwareDateTime

CriterionKind = Literal["rule", "item"]
DecisionKind = Literal["accept", "adjust", "reject"]

CRITERION_KINDS: tuple[str, ...] = ("rule", "item")
DECISIONS: tuple[str, ...] = ("accept", "adjust", "reject")
VERDICTS: tuple[str, ...] = ("respected", "violated", "not_applicable")
MAX_COMMENT = 2000
MAX_LEVEL_CEILING = 10  # grids allow up to 10 levels (trainer.content.grids.Grid.max_level)


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------

_SESSION_FK = "call_sessions.id"


class ObserverGridRow(Base):
    """The grid an observer fills by hand while following one call."""

    __tablename__ = "observer_grids"
    __table_args__ = (UniqueConstraint("session_id", "observer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_SESSION_FK, ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    grid_id: Mapped[str] = mapped_column(String(60))
    max_level: Mapped[int] = mapped_column(Integer, default=3)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)

    observer: Mapped[UserRow] = relationship(lazy="joined")
    items: Mapped[list[ObserverGridItemRow]] = relationship(
        order_by="ObserverGridItemRow.position", cascade="all, delete-orphan"
    )


class ObserverGridItemRow(Base):
    """One item of an observer's grid: a level (None: not observed) and a comment."""

    __tablename__ = "observer_grid_items"
    __table_args__ = (
        UniqueConstraint("grid_row_id", "item_id"),
        CheckConstraint("level IS NULL OR level >= 0", name="level_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_row_id: Mapped[int] = mapped_column(ForeignKey("observer_grids.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(60))
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)


class TeacherReviewRow(Base):
    """A teacher's review of one session: decisions per criterion and the final adjusted total."""

    __tablename__ = "teacher_reviews"
    __table_args__ = (
        UniqueConstraint("session_id"),
        CheckConstraint(
            "adjusted_total IS NULL OR (adjusted_total >= 0 AND adjusted_total <= 100)", name="adjusted_total_range"
        ),
        CheckConstraint(
            "total_override IS NULL OR (total_override >= 0 AND total_override <= 100)", name="total_override_range"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_SESSION_FK, ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    automatic_total: Mapped[float | None] = mapped_column(Float, nullable=True)
    adjusted_total: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_override: Mapped[float | None] = mapped_column(Float, nullable=True)
    override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)

    reviewer: Mapped[UserRow] = relationship(lazy="joined")
    decisions: Mapped[list[ReviewDecisionRow]] = relationship(
        order_by="ReviewDecisionRow.id", cascade="all, delete-orphan"
    )


class ReviewDecisionRow(Base):
    """Accept / adjust / reject of one criterion (rule verdict or grid item), with its reason."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        UniqueConstraint("review_id", "kind", "criterion_id"),
        CheckConstraint("kind IN ('rule', 'item')", name="kind"),
        CheckConstraint("decision IN ('accept', 'adjust', 'reject')", name="decision"),
        CheckConstraint("adjusted_level IS NULL OR adjusted_level >= 0", name="adjusted_level_positive"),
        CheckConstraint(
            "adjusted_verdict IS NULL OR adjusted_verdict IN ('respected', 'violated', 'not_applicable')",
            name="adjusted_verdict",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("teacher_reviews.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    criterion_id: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    original_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    original_verdict: Mapped[str | None] = mapped_column(String(20), nullable=True)
    adjusted_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    adjusted_verdict: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(AwareDateTime())


class TurnCommentRow(Base):
    """A remark written on one turn of a call."""

    __tablename__ = "turn_comments"
    __table_args__ = (CheckConstraint("turn_idx >= 0", name="turn_idx_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_SESSION_FK, ondelete="CASCADE"), index=True)
    turn_idx: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())

    author: Mapped[UserRow] = relationship(lazy="joined")


# --------------------------------------------------------------------------------------------------
# Values handed to the screens
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObserverItem:
    """One item as the observer graded it (``level`` None: not observed)."""

    item_id: str
    level: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ObserverGrid:
    """An observer's grid for one session."""

    id: int
    session_id: uuid.UUID
    observer: str
    observer_name: str
    grid_id: str
    max_level: int
    items: tuple[ObserverItem, ...]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    comment: str | None = None

    @property
    def submitted(self) -> bool:
        """True once the observer handed the grid in (it no longer changes)."""
        return self.submitted_at is not None

    def levels(self) -> dict[str, int | None]:
        """Item id → level given by the observer."""
        return {i.item_id: i.level for i in self.items}

    def item(self, item_id: str) -> ObserverItem | None:
        """The observer's entry for ``item_id``, if any."""
        return next((i for i in self.items if i.item_id == item_id), None)


@dataclass(frozen=True)
class Decision:
    """A teacher's decision on one criterion.

    ``kind`` is ``rule`` (a charter rule verdict) or ``item`` (a grid item level); ``decision`` is
    ``accept``, ``adjust`` (with ``adjusted_level`` for an item, ``adjusted_verdict`` for a rule) or
    ``reject`` (the automatic result is wrong and does not count).
    """

    kind: CriterionKind
    criterion_id: str
    decision: DecisionKind
    reason: str | None = None
    adjusted_level: int | None = None
    adjusted_verdict: str | None = None
    original_level: int | None = None
    original_verdict: str | None = None
    decided_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        """``(kind, criterion_id)``."""
        return (self.kind, self.criterion_id)


@dataclass(frozen=True)
class TeacherReview:
    """A teacher's review of a session."""

    id: int
    session_id: uuid.UUID
    reviewer: str
    reviewer_name: str
    created_at: datetime
    updated_at: datetime
    automatic_total: float | None
    adjusted_total: float | None
    total_override: float | None
    override_reason: str | None
    comment: str | None
    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)

    def decision(self, kind: str, criterion_id: str) -> Decision | None:
        """The decision taken on one criterion, if any."""
        return self.decisions.get((kind, criterion_id))


@dataclass(frozen=True)
class TurnComment:
    id: int
    session_id: uuid.UUID
    turn_idx: int
    author: str
    author_name: str
    text: str
    created_at: datetime


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _require_session(session: Session, session_id: uuid.UUID) -> CallSessionRow:
    row = session.get(CallSessionRow, session_id)
    if row is None:
        raise DomainError(f"Séance d'appel inconnue : {session_id}.", field="session_id")
    return row


def _clean_text(value: str | None, *, what: str, field_name: str, required: bool = False) -> str | None:
    text = " ".join((value or "").split()) if value is not None else ""
    if not text:
        if required:
            raise DomainError(f"{what} est obligatoire.", field=field_name)
        return None
    if len(text) > MAX_COMMENT:
        raise DomainError(f"{what} dépasse {MAX_COMMENT} caractères.", field=field_name)
    return text


def _check_level(level: int | None, max_level: int, *, what: str) -> int | None:
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int):
        raise DomainError(f"{what} : un niveau entier de 0 à {max_level} est attendu.", field="level")
    if not 0 <= level <= max_level:
        raise DomainError(f"{what} : niveau {level} hors de l'échelle 0 à {max_level}.", field="level")
    return level


def _user_row(session: Session, username: str) -> UserRow | None:
    return session.execute(
        select(UserRow).where(UserRow.username == _sessions.normalize_username(username))
    ).scalar_one_or_none()


# --------------------------------------------------------------------------------------------------
# Observer grids
# --------------------------------------------------------------------------------------------------


def _observer_grid(row: ObserverGridRow) -> ObserverGrid:
    return ObserverGrid(
        id=row.id,
        session_id=row.session_id,
        observer=row.observer.username,
        observer_name=row.observer.display_name,
        grid_id=row.grid_id,
        max_level=row.max_level,
        items=tuple(ObserverItem(i.item_id, i.level, i.comment) for i in row.items),
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        comment=row.comment,
    )


def _observer_grid_row(session: Session, session_id: uuid.UUID, observer_id: int) -> ObserverGridRow | None:
    return session.execute(
        select(ObserverGridRow)
        .options(selectinload(ObserverGridRow.items))
        .where(ObserverGridRow.session_id == session_id, ObserverGridRow.observer_id == observer_id)
    ).scalar_one_or_none()


def save_observer_grid(
    session: Session,
    *,
    session_id: uuid.UUID,
    observer: str,
    grid_id: str,
    items: Iterable[ObserverItem],
    now: datetime,
    max_level: int = 3,
    comment: str | None = None,
    submit: bool = False,
    observer_name: str | None = None,
) -> ObserverGrid:
    """Save an observer's grid (a draft, or the final grid with ``submit=True``); returns it.

    Every item given replaces the stored one; items not given are kept. A submitted grid is final:
    saving it again is refused.
    """
    _require_session(session, session_id)
    if not 1 <= max_level <= MAX_LEVEL_CEILING:
        raise DomainError(f"Échelle de niveaux invalide (0 à {max_level}).", field="max_level")
    user = _sessions.get_or_create_user(
        session, username=observer, now=now, display_name=observer_name or observer, role="observer"
    )
    row = _observer_grid_row(session, session_id, user.id)
    if row is None:
        row = ObserverGridRow(
            session_id=session_id, observer_id=user.id, grid_id=grid_id, max_level=max_level,
            created_at=now, updated_at=now,
        )
        session.add(row)
    elif row.submitted_at is not None:
        raise DomainError("Cette grille a déjà été remise : elle ne peut plus être modifiée.", field="submitted_at")
    elif row.grid_id != grid_id:
        raise DomainError(
            f"Cette séance est observée avec la grille « {row.grid_id} », pas « {grid_id} ».", field="grid_id"
        )
    existing = {i.item_id: i for i in row.items}
    for position, item in enumerate(items, start=len(existing)):
        item_id = (item.item_id or "").strip()
        if not item_id:
            raise DomainError("Un item de la grille n'a pas d'identifiant.", field="item_id")
        level = _check_level(item.level, max_level, what=f"item « {item_id} »")
        text = _clean_text(item.comment, what=f"Le commentaire de l'item « {item_id} »", field_name="comment")
        if item_id in existing:
            existing[item_id].level = level
            existing[item_id].comment = text
        else:
            new = ObserverGridItemRow(position=position, item_id=item_id, level=level, comment=text)
            row.items.append(new)
            existing[item_id] = new
    if comment is not None:
        row.comment = _clean_text(comment, what="Le commentaire général", field_name="comment")
    row.updated_at = now
    if submit:
        if not any(i.level is not None for i in row.items):
            raise DomainError("La grille est vide : donnez au moins un niveau avant de la remettre.", field="items")
        row.submitted_at = now
    session.flush()
    session.refresh(row)
    return _observer_grid(row)


def observer_grid(session: Session, *, session_id: uuid.UUID, observer: str) -> ObserverGrid | None:
    """The grid ``observer`` filled for a session, or None."""
    user = _user_row(session, observer)
    if user is None:
        return None
    row = _observer_grid_row(session, session_id, user.id)
    return _observer_grid(row) if row else None


def observer_grids(session: Session, *, session_id: uuid.UUID, submitted_only: bool = False) -> list[ObserverGrid]:
    """Every observer grid of a session, oldest first."""
    stmt = (
        select(ObserverGridRow)
        .options(selectinload(ObserverGridRow.items))
        .where(ObserverGridRow.session_id == session_id)
        .order_by(ObserverGridRow.created_at, ObserverGridRow.id)
    )
    if submitted_only:
        stmt = stmt.where(ObserverGridRow.submitted_at.is_not(None))
    return [_observer_grid(r) for r in session.execute(stmt).scalars()]


# --------------------------------------------------------------------------------------------------
# Teacher reviews
# --------------------------------------------------------------------------------------------------


def _decision(row: ReviewDecisionRow) -> Decision:
    return Decision(
        kind=row.kind,  # type: ignore[arg-type]
        criterion_id=row.criterion_id,
        decision=row.decision,  # type: ignore[arg-type]
        reason=row.reason,
        adjusted_level=row.adjusted_level,
        adjusted_verdict=row.adjusted_verdict,
        original_level=row.original_level,
        original_verdict=row.original_verdict,
        decided_at=row.decided_at,
    )


def _review(row: TeacherReviewRow) -> TeacherReview:
    return TeacherReview(
        id=row.id,
        session_id=row.session_id,
        reviewer=row.reviewer.username,
        reviewer_name=row.reviewer.display_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        automatic_total=row.automatic_total,
        adjusted_total=row.adjusted_total,
        total_override=row.total_override,
        override_reason=row.override_reason,
        comment=row.comment,
        decisions={(d.kind, d.criterion_id): _decision(d) for d in row.decisions},
    )


def _review_row(session: Session, session_id: uuid.UUID) -> TeacherReviewRow | None:
    return session.execute(
        select(TeacherReviewRow)
        .options(selectinload(TeacherReviewRow.decisions))
        .where(TeacherReviewRow.session_id == session_id)
    ).scalar_one_or_none()


def _check_total(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(f"{what} : un nombre de 0 à 100 est attendu.", field="total") from None
    if not 0 <= number <= 100:
        raise DomainError(f"{what} : {number:g} est hors de l'échelle 0 à 100.", field="total")
    return round(number, 1)


def check_decision(decision: Decision, *, max_level: int = 3) -> Decision:
    """Refuse an incomplete or incoherent decision (``DomainError``); returns it cleaned."""
    if decision.kind not in CRITERION_KINDS:
        raise DomainError(f"Type de critère inconnu : « {decision.kind} ».", field="kind")
    if decision.decision not in DECISIONS:
        raise DomainError(
            f"Décision inconnue : « {decision.decision} » (valider, ajuster ou rejeter).", field="decision"
        )
    if not decision.criterion_id or not decision.criterion_id.strip():
        raise DomainError("Le critère n'a pas d'identifiant.", field="criterion_id")
    what = f"critère « {decision.criterion_id} »"
    reason = _clean_text(
        decision.reason, what=f"Le motif ({what})", field_name="reason", required=decision.decision != "accept"
    )
    level = verdict = None
    if decision.decision == "adjust":
        if decision.kind == "item":
            if decision.adjusted_level is None:
                raise DomainError(f"Ajuster le {what} demande un nouveau niveau.", field="adjusted_level")
            level = _check_level(decision.adjusted_level, max_level, what=what)
        else:
            if decision.adjusted_verdict not in VERDICTS:
                raise DomainError(
                    f"Ajuster le {what} demande un verdict : respectée, non respectée ou sans objet.",
                    field="adjusted_verdict",
                )
            verdict = decision.adjusted_verdict
        if decision.kind == "item" and level == decision.original_level:
            raise DomainError(
                f"Le niveau ajusté du {what} est celui de la machine ({level}) : choisissez « valider ».",
                field="adjusted_level",
            )
        if decision.kind == "rule" and verdict == decision.original_verdict:
            raise DomainError(
                f"Le verdict ajusté du {what} est celui de la machine : choisissez « valider ».",
                field="adjusted_verdict",
            )
    return Decision(
        kind=decision.kind,
        criterion_id=decision.criterion_id.strip(),
        decision=decision.decision,
        reason=reason,
        adjusted_level=level,
        adjusted_verdict=verdict,
        original_level=decision.original_level,
        original_verdict=decision.original_verdict,
        decided_at=decision.decided_at,
    )


def _get_or_create_review(
    session: Session, session_id: uuid.UUID, reviewer: str, now: datetime, reviewer_name: str | None
) -> TeacherReviewRow:
    call = _require_session(session, session_id)
    if call.status == "live":
        raise DomainError("L'appel est encore en cours : il sera corrigé une fois terminé.", field="session_id")
    user = _sessions.get_or_create_user(
        session, username=reviewer, now=now, display_name=reviewer_name or reviewer, role="teacher"
    )
    row = _review_row(session, session_id)
    if row is None:
        row = TeacherReviewRow(
            session_id=session_id, reviewer_id=user.id, created_at=now, updated_at=now,
            automatic_total=call.score_total, adjusted_total=call.score_total,
        )
        session.add(row)
        session.flush()
    else:
        row.reviewer_id = user.id
        row.updated_at = now
    return row


def record_decision(
    session: Session,
    *,
    session_id: uuid.UUID,
    reviewer: str,
    decision: Decision,
    now: datetime,
    adjusted_total: float | None,
    max_level: int = 3,
    reviewer_name: str | None = None,
) -> TeacherReview:
    """Record (or replace) the teacher's decision on one criterion, with the new adjusted total.

    ``adjusted_total`` is the total once this decision is applied (``trainer.reports.grading``
    computes it); both are written in the caller's transaction.
    """
    clean = check_decision(decision, max_level=max_level)
    total = _check_total(adjusted_total, "Le total ajusté")
    row = _get_or_create_review(session, session_id, reviewer, now, reviewer_name)
    current = next((d for d in row.decisions if (d.kind, d.criterion_id) == clean.key), None)
    if current is None:
        current = ReviewDecisionRow(kind=clean.kind, criterion_id=clean.criterion_id)
        row.decisions.append(current)
    current.decision = clean.decision
    current.reason = clean.reason
    current.adjusted_level = clean.adjusted_level
    current.adjusted_verdict = clean.adjusted_verdict
    current.original_level = clean.original_level
    current.original_verdict = clean.original_verdict
    current.decided_at = now
    row.adjusted_total = total
    row.updated_at = now
    session.flush()
    session.refresh(row)
    return _review(row)


def clear_decision(
    session: Session,
    *,
    session_id: uuid.UUID,
    kind: str,
    criterion_id: str,
    now: datetime,
    adjusted_total: float | None,
) -> TeacherReview | None:
    """Withdraw the decision on one criterion (back to the automatic result)."""
    row = _review_row(session, session_id)
    if row is None:
        return None
    session.execute(
        delete(ReviewDecisionRow).where(
            ReviewDecisionRow.review_id == row.id,
            ReviewDecisionRow.kind == kind,
            ReviewDecisionRow.criterion_id == criterion_id,
        )
    )
    row.adjusted_total = _check_total(adjusted_total, "Le total ajusté")
    row.updated_at = now
    session.flush()
    session.expire(row)
    return _review(_review_row(session, session_id))  # type: ignore[arg-type]


def set_review_total(
    session: Session,
    *,
    session_id: uuid.UUID,
    reviewer: str,
    now: datetime,
    total_override: float | None,
    adjusted_total: float | None,
    reason: str | None = None,
    comment: str | None = None,
    reviewer_name: str | None = None,
) -> TeacherReview:
    """Set (or clear, with None) the total typed by the teacher, and the review's general comment.

    A total typed by hand needs a reason; ``adjusted_total`` is the final total once applied.
    """
    override = _check_total(total_override, "Le total choisi")
    why = _clean_text(reason, what="Le motif du total choisi", field_name="reason", required=override is not None)
    total = _check_total(adjusted_total, "Le total ajusté")
    row = _get_or_create_review(session, session_id, reviewer, now, reviewer_name)
    row.total_override = override
    row.override_reason = why if override is not None else None
    row.adjusted_total = total
    if comment is not None:
        row.comment = _clean_text(comment, what="Le commentaire général", field_name="comment")
    row.updated_at = now
    session.flush()
    session.refresh(row)
    return _review(row)


def teacher_review(session: Session, *, session_id: uuid.UUID) -> TeacherReview | None:
    """The teacher's review of a session, or None when nobody reviewed it yet."""
    row = _review_row(session, session_id)
    return _review(row) if row else None


def reviews_for(session: Session, *, session_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, TeacherReview]:
    """The reviews of several sessions at once (a listing, an export)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(TeacherReviewRow)
        .options(selectinload(TeacherReviewRow.decisions))
        .where(TeacherReviewRow.session_id.in_(ids))
    ).scalars()
    return {r.session_id: _review(r) for r in rows}


def submitted_grid_counts(session: Session, *, session_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, int]:
    """How many observers handed in a grid, per session."""
    ids = list(session_ids)
    if not ids:
        return {}
    counts: dict[uuid.UUID, int] = {}
    for session_id in session.execute(
        select(ObserverGridRow.session_id).where(
            ObserverGridRow.session_id.in_(ids), ObserverGridRow.submitted_at.is_not(None)
        )
    ).scalars():
        counts[session_id] = counts.get(session_id, 0) + 1
    return counts


# --------------------------------------------------------------------------------------------------
# Comments on turns
# --------------------------------------------------------------------------------------------------


def _turn_comment(row: TurnCommentRow) -> TurnComment:
    return TurnComment(
        id=row.id,
        session_id=row.session_id,
        turn_idx=row.turn_idx,
        author=row.author.username,
        author_name=row.author.display_name,
        text=row.text,
        created_at=row.created_at,
    )


def add_turn_comment(
    session: Session,
    *,
    session_id: uuid.UUID,
    turn_idx: int,
    author: str,
    text: str,
    now: datetime,
    author_name: str | None = None,
    role: Literal["observer", "teacher"] = "teacher",
) -> TurnComment:
    """Write a remark on turn ``turn_idx`` of a session."""
    _require_session(session, session_id)
    if isinstance(turn_idx, bool) or not isinstance(turn_idx, int) or turn_idx < 0:
        raise DomainError("Le numéro de tour doit être un entier positif ou nul.", field="turn_idx")
    body = _clean_text(text, what="Le commentaire", field_name="text", required=True)
    user = _sessions.get_or_create_user(session, username=author, now=now, display_name=author_name or author, role=role)
    row = TurnCommentRow(
        session_id=session_id, turn_idx=turn_idx, author_id=user.id, text=body, created_at=now
    )
    session.add(row)
    session.flush()
    session.refresh(row)
    return _turn_comment(row)


def delete_turn_comment(session: Session, *, comment_id: int, author: str) -> bool:
    """Delete one's own comment; returns False when there was no such comment of ``author``."""
    user = _user_row(session, author)
    if user is None:
        return False
    result = session.execute(
        delete(TurnCommentRow).where(TurnCommentRow.id == comment_id, TurnCommentRow.author_id == user.id)
    )
    return bool(result.rowcount)


def turn_comments(session: Session, *, session_id: uuid.UUID) -> list[TurnComment]:
    """Every remark on a session's turns, by turn then in writing order."""
    rows = session.execute(
        select(TurnCommentRow)
        .where(TurnCommentRow.session_id == session_id)
        .order_by(TurnCommentRow.turn_idx, TurnCommentRow.created_at, TurnCommentRow.id)
    ).scalars()
    return [_turn_comment(r) for r in rows]
