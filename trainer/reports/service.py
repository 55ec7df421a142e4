"""What the observer, teacher and dashboard screens ask of the database, in one place.

Each function takes the ``Store`` and the ``Viewer`` (who is asking) and runs in the caller's
thread: the screens call them from thread workers. Access rules live in the store's queries
(``trainer.store.staff``); here are the rules about *acts*: only a teacher reviews a session, only
an observer or a teacher hands in an observer grid.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from trainer.domain.errors import DomainError
from trainer.errors import UserError
from trainer.reports import dashboard as dash
from trainer.reports.gradebook import collect_gradebook, export_name, write_csv, write_xlsx
from trainer.reports.grading import Agreement, ReviewedScore, agreement, apply_review
from trainer.store import reviews as rv
from trainer.store import staff
from trainer.store.staff import SessionFilters, SessionSummary, Viewer

log = logging.getLogger(__name__)

DEFAULT_GRID = "telephone-generik"


# -- grids and scenarios as the screens need them --------------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    """One item of a grid, for a form or a table."""

    section: str
    id: str
    label: str
    number: int
    weight: float
    descriptors: dict[int, str]
    rules: tuple[str, ...]


@dataclass(frozen=True)
class GridInfo:
    """A grid reduced to what the screens show: items in order with labels, weights, descriptors."""

    id: str
    title: str
    max_level: int
    lines: tuple[GridLine, ...]

    @property
    def weights(self) -> dict[str, float]:
        return {line.id: line.weight for line in self.lines}

    @property
    def labels(self) -> dict[str, str]:
        return {line.id: line.label for line in self.lines}

    @property
    def draws_on(self) -> dict[str, tuple[str, ...]]:
        """Item id → the charter rules it draws on."""
        return {line.id: line.rules for line in self.lines}

    def line(self, item_id: str) -> GridLine | None:
        return next((line for line in self.lines if line.id == item_id), None)


def grid_info(grid_id: str) -> GridInfo:
    """Load grid ``grid_id`` from the grids folder (``UserError`` naming the file when it is wrong)."""
    from trainer.content.grids import load_grid

    grid = load_grid(grid_id)
    lines = []
    number = 0
    for section, item in grid.items():
        number += 1
        lines.append(
            GridLine(
                section=section.title,
                id=item.id,
                label=item.label,
                number=number,
                weight=item.weight,
                descriptors=dict(item.descriptors),
                rules=tuple(c.rule for c in item.draws_on if c.rule),
            )
        )
    return GridInfo(id=grid.id, title=grid.title, max_level=grid.max_level, lines=tuple(lines))


def grid_id_for(score: dict[str, Any] | None, scenario_id: str | None = None) -> str:
    """The grid a session is judged on: the one of its score, else the scenario's, else Doc 6's."""
    if score and score.get("grid"):
        return str(score["grid"])
    if scenario_id:
        try:
            from trainer.content.scenarios import load_scenario

            scenario = load_scenario(scenario_id)
            grid = getattr(scenario, "grid", None)
            if isinstance(grid, str) and grid:
                return grid
        except UserError:
            pass
    return DEFAULT_GRID


def _grid_or_none(grid_id: str) -> GridInfo | None:
    try:
        return grid_info(grid_id)
    except UserError as exc:
        # The review still works from the score document's own labels; the screen says why weights
        # and descriptors are missing.
        log.warning("grid %s unavailable: %s", grid_id, exc)
        return None


_TOP_KEY = re.compile(r"^(id|title)\s*:\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=256)
def _title_of(path: str, mtime_ns: int) -> tuple[str, str] | None:
    """``(id, title)`` read from the top-level keys of a scenario file, without validating it all.

    A list of titles must not cost a full scenario load (pydantic validation of every file takes
    seconds): the two top-level scalars are read with a YAML parse of just those lines.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found: dict[str, str] = {}
    for key, raw in _TOP_KEY.findall(text):
        if key in found:
            continue
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        if isinstance(value, str) and value.strip():
            found[key] = value.strip()
    if "id" not in found:
        return None
    return found["id"], found.get("title", found["id"])


def scenario_titles() -> dict[str, str]:
    """Scenario id → French title, for every scenario file (cheap: top-level keys only)."""
    from trainer.content.scenarios import scenario_files

    titles: dict[str, str] = {}
    for path in scenario_files():
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            continue
        found = _title_of(str(path), stamp)
        if found is not None:
            titles.setdefault(found[0], found[1])
    return titles


# -- sessions ----------------------------------------------------------------------------------------------


def list_sessions(store: Any, viewer: Viewer, filters: SessionFilters | None = None) -> list[SessionSummary]:
    """The sessions the viewer may see (a student: their own only)."""
    with store.read() as db:
        return staff.list_sessions(db, viewer=viewer, filters=filters)


def live_sessions(store: Any, viewer: Viewer, *, recent_finished: int = 8) -> list[SessionSummary]:
    """The calls going on now, then the last finished ones (an observer may grade after the call)."""
    with store.read() as db:
        live = staff.list_sessions(db, viewer=viewer, filters=SessionFilters(status="live"))
        done = staff.list_sessions(
            db, viewer=viewer, filters=SessionFilters(status="finished", limit=recent_finished)
        )
    return live + done


@dataclass(frozen=True)
class ReviewView:
    """Everything the review screen shows about one session."""

    summary: SessionSummary
    turns: list[dict[str, Any]]
    score: dict[str, Any] | None
    review: rv.TeacherReview | None
    reviewed: ReviewedScore | None
    comments: list[rv.TurnComment]
    grid: GridInfo | None
    observer_grids: list[rv.ObserverGrid] = field(default_factory=list)
    scenario_title: str = ""

    @property
    def can_review(self) -> bool:
        """A session is reviewed once finished and scored."""
        return self.summary.status != "live" and self.score is not None


def _reviewed(score: dict[str, Any] | None, review: rv.TeacherReview | None, grid: GridInfo | None) -> ReviewedScore | None:
    if score is None:
        return None
    return apply_review(
        score,
        review.decisions if review else {},
        weights=grid.weights if grid else None,
        labels=grid.labels if grid else None,
        total_override=review.total_override if review else None,
    )


def load_review(store: Any, viewer: Viewer, session_id: uuid.UUID) -> ReviewView:
    """The session, its transcript, score, review, comments and observer grids (viewer permitting)."""
    with store.read() as db:
        docs = staff.session_documents_for(db, viewer=viewer, session_id=session_id)
        review = rv.teacher_review(db, session_id=session_id)
        comments = rv.turn_comments(db, session_id=session_id)
        grids = rv.observer_grids(db, session_id=session_id, submitted_only=True)
    grid = _grid_or_none(grid_id_for(docs.score, docs.summary.scenario_id))
    turns = list((docs.transcript or {}).get("turns", []) or [])
    return ReviewView(
        summary=docs.summary,
        turns=turns,
        score=docs.score,
        review=review,
        reviewed=_reviewed(docs.score, review, grid),
        comments=comments,
        grid=grid,
        observer_grids=grids,
        scenario_title=scenario_titles().get(docs.summary.scenario_id, docs.summary.scenario_id),
    )


def _require_teacher(viewer: Viewer) -> None:
    if viewer.role != "teacher":
        raise DomainError("Seul un enseignant peut corriger une séance.", field="role")


def _score_of(db: Any, viewer: Viewer, session_id: uuid.UUID) -> tuple[SessionSummary, dict[str, Any]]:
    docs = staff.session_documents_for(db, viewer=viewer, session_id=session_id)
    if docs.summary.status == "live":
        raise DomainError("L'appel est encore en cours : il sera corrigé une fois terminé.", field="session_id")
    if docs.score is None:
        raise DomainError("Cette séance n'a pas de score automatique à corriger.", field="score")
    return docs.summary, docs.score


def decide(
    store: Any,
    viewer: Viewer,
    session_id: uuid.UUID,
    decision: rv.Decision,
    now: datetime,
    *,
    reviewer_name: str | None = None,
) -> ReviewView:
    """Record a teacher's accept / adjust / reject on one criterion, and the adjusted total it gives."""
    _require_teacher(viewer)

    def work(db: Any) -> None:
        summary, score = _score_of(db, viewer, session_id)
        grid = _grid_or_none(grid_id_for(score, summary.scenario_id))
        original_level = original_verdict = None
        max_level = grid.max_level if grid else 3
        if decision.kind == "item":
            found = next((i for i in score.get("items", []) if i.get("id") == decision.criterion_id), None)
            if found is None:
                raise DomainError(f"Item « {decision.criterion_id} » absent du score de cette séance.", field="criterion_id")
            original_level = found.get("level")
            max_level = int(found.get("max_level") or max_level)
        else:
            found = next((r for r in score.get("rules", []) if r.get("id") == decision.criterion_id), None)
            if found is None:
                raise DomainError(f"Règle « {decision.criterion_id} » absente du score de cette séance.", field="criterion_id")
            original_verdict = found.get("verdict")
        full = rv.Decision(
            kind=decision.kind,
            criterion_id=decision.criterion_id,
            decision=decision.decision,
            reason=decision.reason,
            adjusted_level=decision.adjusted_level,
            adjusted_verdict=decision.adjusted_verdict,
            original_level=original_level,
            original_verdict=original_verdict,
        )
        clean = rv.check_decision(full, max_level=max_level)
        review = rv.teacher_review(db, session_id=session_id)
        decisions = dict(review.decisions) if review else {}
        decisions[clean.key] = clean
        total = apply_review(
            score, decisions, weights=grid.weights if grid else None,
            total_override=review.total_override if review else None,
        ).adjusted_total
        rv.record_decision(
            db, session_id=session_id, reviewer=viewer.username, decision=clean, now=now,
            adjusted_total=total, max_level=max_level, reviewer_name=reviewer_name,
        )

    store.run(work)
    return load_review(store, viewer, session_id)


def withdraw(store: Any, viewer: Viewer, session_id: uuid.UUID, kind: str, criterion_id: str, now: datetime) -> ReviewView:
    """Take back the decision on one criterion (the automatic result stands again)."""
    _require_teacher(viewer)

    def work(db: Any) -> None:
        summary, score = _score_of(db, viewer, session_id)
        review = rv.teacher_review(db, session_id=session_id)
        if review is None:
            return
        decisions = {k: d for k, d in review.decisions.items() if k != (kind, criterion_id)}
        grid = _grid_or_none(grid_id_for(score, summary.scenario_id))
        total = apply_review(
            score, decisions, weights=grid.weights if grid else None, total_override=review.total_override
        ).adjusted_total
        rv.clear_decision(db, session_id=session_id, kind=kind, criterion_id=criterion_id, now=now, adjusted_total=total)

    store.run(work)
    return load_review(store, viewer, session_id)


def set_total(
    store: Any,
    viewer: Viewer,
    session_id: uuid.UUID,
    total: float | None,
    reason: str | None,
    now: datetime,
    *,
    reviewer_name: str | None = None,
) -> ReviewView:
    """Type the final total by hand (with a reason), or clear it (None) to go back to the computed one."""
    _require_teacher(viewer)

    def work(db: Any) -> None:
        summary, score = _score_of(db, viewer, session_id)
        review = rv.teacher_review(db, session_id=session_id)
        grid = _grid_or_none(grid_id_for(score, summary.scenario_id))
        final = apply_review(
            score, review.decisions if review else {}, weights=grid.weights if grid else None,
            total_override=total,
        ).adjusted_total
        rv.set_review_total(
            db, session_id=session_id, reviewer=viewer.username, now=now, total_override=total,
            adjusted_total=final, reason=reason, reviewer_name=reviewer_name,
        )

    store.run(work)
    return load_review(store, viewer, session_id)


def comment_turn(
    store: Any, viewer: Viewer, session_id: uuid.UUID, turn_idx: int, text: str, now: datetime,
    *, author_name: str | None = None,
) -> rv.TurnComment:
    """Write a remark on one turn (teachers and observers)."""
    if not viewer.is_staff:
        raise DomainError("Seuls un enseignant ou un observateur commentent les tours.", field="role")

    def work(db: Any) -> rv.TurnComment:
        staff.session_for(db, viewer=viewer, session_id=session_id)
        return rv.add_turn_comment(
            db, session_id=session_id, turn_idx=turn_idx, author=viewer.username, text=text, now=now,
            author_name=author_name, role="teacher" if viewer.role == "teacher" else "observer",
        )

    return store.run(work)


# -- observer ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveUpdate:
    """What happened in a followed call since the last poll."""

    turns: list[tuple[int, dict[str, Any]]]
    status: str
    has_score: bool


def poll_live(store: Any, viewer: Viewer, session_id: uuid.UUID, after_idx: int) -> LiveUpdate:
    """The turns written after ``after_idx`` and the session's status (one short read)."""
    from trainer.store.sessions import turns_after

    with store.read() as db:
        summary = staff.session_for(db, viewer=viewer, session_id=session_id)
        turns = turns_after(db, session_id=session_id, after_idx=after_idx)
        has_score = summary.automatic_total is not None or (
            summary.status != "live" and staff.score_documents(db, session_ids=[session_id]).get(session_id) is not None
        )
    return LiveUpdate(
        turns=[(t.idx, {"speaker": t.speaker, "text": t.text, "t": t.t}) for t in turns],
        status=summary.status,
        has_score=has_score,
    )


@dataclass(frozen=True)
class ObserverView:
    """The observer's side of one session: the grid to fill, what they filled, how it compares."""

    summary: SessionSummary
    grid: GridInfo
    mine: rv.ObserverGrid | None
    score: dict[str, Any] | None
    agreement: Agreement | None


def observer_view(store: Any, viewer: Viewer, session_id: uuid.UUID) -> ObserverView:
    """The session as an observer sees it (the grid is loaded from the grids folder)."""
    with store.read() as db:
        docs = staff.session_documents_for(db, viewer=viewer, session_id=session_id)
        mine = rv.observer_grid(db, session_id=session_id, observer=viewer.username)
    grid = grid_info(mine.grid_id if mine else grid_id_for(docs.score, docs.summary.scenario_id))
    agreed = None
    if mine is not None and mine.submitted and docs.score is not None:
        agreed = agreement(mine.levels(), docs.score, labels=grid.labels)
    return ObserverView(summary=docs.summary, grid=grid, mine=mine, score=docs.score, agreement=agreed)


def save_observation(
    store: Any,
    viewer: Viewer,
    session_id: uuid.UUID,
    grid: GridInfo,
    items: list[rv.ObserverItem],
    now: datetime,
    *,
    submit: bool = False,
    observer_name: str | None = None,
) -> ObserverView:
    """Save the observer's grid (draft), or hand it in with ``submit``."""
    if not viewer.is_staff:
        raise DomainError("Seuls un observateur ou un enseignant remplissent la grille d'observation.", field="role")

    def work(db: Any) -> None:
        staff.session_for(db, viewer=viewer, session_id=session_id)
        rv.save_observer_grid(
            db, session_id=session_id, observer=viewer.username, grid_id=grid.id, items=items, now=now,
            max_level=grid.max_level, submit=submit, observer_name=observer_name,
        )

    store.run(work)
    return observer_view(store, viewer, session_id)


# -- exports -----------------------------------------------------------------------------------------------


def export_gradebook(
    store: Any,
    viewer: Viewer,
    folder: Path,
    now: datetime,
    fmt: Literal["csv", "xlsx"],
    filters: SessionFilters | None = None,
) -> tuple[Path, int]:
    """Write the gradebook of the sessions listed (finished ones) and return (file, rows)."""
    if viewer.role != "teacher":
        raise DomainError("Seul un enseignant exporte le carnet de notes.", field="role")
    base = filters or SessionFilters()
    wanted = SessionFilters(
        student=base.student, scenario_id=base.scenario_id, since=base.since, until=base.until, status="finished"
    )
    with store.read() as db:
        summaries = staff.list_sessions(db, viewer=viewer, filters=wanted)
        ids = [s.id for s in summaries]
        docs = staff.score_documents(db, session_ids=ids)
        reviews = rv.reviews_for(db, session_ids=ids)
    book = collect_gradebook(summaries, docs, reviews, scenario_titles=scenario_titles())
    path = Path(folder) / export_name(now, fmt)
    writer = write_csv if fmt == "csv" else write_xlsx
    return writer(book, path), len(book.rows)


# -- class dashboard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardData:
    """The figures of the class dashboard for one period."""

    today: date
    since: date | None
    sessions: int
    days: list[dash.DayScore]
    rules: list[dash.BrokenRule]
    students: list[dash.StudentLine]
    kpis: dash.ComplaintKpis
    mean_total: float | None


def _final_verdicts(score: dict[str, Any] | None, review: rv.TeacherReview | None) -> dict[str, Any] | None:
    """The score document with the verdicts that stand once the teacher's decisions are applied (a
    rejected verdict no longer counts as a broken rule, like the adjusted total the dashboard shows)."""
    if score is None or review is None:
        return score
    final = {rule.id: rule.final_verdict for rule in apply_review(score, review.decisions).rules}
    rules = [
        {**rule, "verdict": final.get(str(rule.get("id")), rule.get("verdict"))}
        for rule in score.get("rules", []) or []
    ]
    return {**score, "rules": rules}


def dashboard_data(store: Any, viewer: Viewer, today: date, days: int | None = 30) -> DashboardData:
    """Scores over time, most broken rules, students, and the ERP's complaint indicators."""
    if viewer.role != "teacher":
        raise DomainError("Le tableau de bord de la classe est réservé aux enseignants.", field="role")
    from trainer.store import repositories as repo

    since = dash.period_start(today, days)
    since_at = dash.start_of_day(since) if since else None
    until_at = dash.start_of_day(today + timedelta(days=1))
    with store.read() as db:
        scored = staff.scored_sessions(db, viewer=viewer, since=since_at, until=until_at)
        reviews = rv.reviews_for(db, session_ids=[s.id for s, _ in scored])
        complaints = [c.complaint for c in repo.list_complaints(db, today=today, include_closed=True)]
        orders = repo.list_orders(db, since=since)
    summaries = [s for s, _ in scored]
    totals = [s.final_total for s in summaries if s.final_total is not None]
    return DashboardData(
        today=today,
        since=since,
        sessions=len(summaries),
        days=dash.scores_by_day(summaries),
        rules=dash.broken_rules([_final_verdicts(score, reviews.get(s.id)) for s, score in scored]),
        students=dash.students(summaries),
        kpis=dash.complaint_kpis(complaints, orders, today=today, since=since, until=today),
        mean_total=round(sum(totals) / len(totals), 1) if totals else None,
    )
