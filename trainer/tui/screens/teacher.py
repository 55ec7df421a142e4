"""Sessions and reviews: the teacher corrects, the student reads the correction.

- ``TeacherScreen``: the sessions by student, scenario and date (filters); a teacher sees the whole
  class and exports the gradebook (CSV, XLSX); a student sees only their own sessions (the store's
  query enforces it) with the adjusted total once a teacher reviewed them.
- ``ReviewScreen``: one session's criteria (charter rule verdicts, grid item levels) beside the
  transcript. A teacher accepts (``a``), adjusts (``j``) or rejects (``r``) each criterion with a
  reason, withdraws a decision (``Suppr``), types the final total by hand (``t``) and comments a
  turn (``c``); a student reads the same screen without the editing keys.
"""

from __future__ import annotations

import textwrap
import uuid
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from trainer.reports.grading import DECISION_LABELS, VERDICT_LABELS, format_total, linked_items
from trainer.tui.navigation import PARIS, TrainerScreen
from trainer.tui.screens.observer import display_name, viewer_of
from trainer.tui.widgets.staff_dialogs import DecisionAnswer, DecisionDialog, TextPrompt
from trainer.tui.widgets.staff_sessions import STATUS_LABELS, SessionTable, TurnList, when

PERIODS: list[tuple[str, str]] = [
    ("Toutes les dates", "all"),
    ("Aujourd'hui", "1"),
    ("7 derniers jours", "7"),
    ("30 derniers jours", "30"),
    ("Cette année", "365"),
]
VERDICT_STYLES = {"respected": "green", "violated": "bold red", "not_applicable": "dim"}
SHORT_VERDICTS = {"respected": "respectée", "violated": "enfreinte", "not_applicable": "sans objet"}
NARROW = 100
"""Below this width the review screen puts the transcript under the criteria."""


def parse_day(text: str) -> date | None:
    """``23/11/2026`` (or ``23/11``, the current year then ``2026-11-23``) → a date; None when empty.

    Raises ``ValueError`` with a French sentence when the text is not a date.
    """
    raw = text.strip()
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"« {raw} » n'est pas une date : écrivez-la JJ/MM/AAAA (par exemple 23/11/2026).")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight, Paris time."""
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    return start, start + timedelta(days=1)


class TeacherScreen(TrainerScreen[None]):
    """The sessions, filtered by student, scenario and date."""

    CSS_PATH = "teacher.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "refresh", "Actualiser"),
        # Priority: a filter field being typed in would take Ctrl+E (end of line) and Ctrl+X (cut).
        Binding("ctrl+e", "export('csv')", "Export CSV", priority=True),
        Binding("ctrl+x", "export('xlsx')", "Export XLSX", priority=True),
        Binding("ctrl+b", "debrief", "Bilan"),
        # Not Ctrl+T: that key switches the light and dark themes everywhere (README).
        Binding("f6", "dashboard", "Tableau de bord", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._titles: dict[str, str] = {}
        self._filters_ready = False

    @property
    def is_teacher(self) -> bool:
        user = self.ctx.user
        return user is not None and user.role == "teacher"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            # Compact (one line each): at 80×24 the table keeps its rows.
            yield Input(placeholder="Élève (nom)", id="f-student", compact=True)
            yield Select([], prompt="Scénarios : tous", id="f-scenario", compact=True)
            yield Select(
                [(label, value) for label, value in PERIODS], value="all", allow_blank=False, id="f-period",
                compact=True,
            )
            yield Input(placeholder="Jour JJ/MM/AAAA", id="f-day", compact=True)
        yield SessionTable(id="sessions", show_student=True)
        yield Static("", id="sessions-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(SessionTable)
        if not self.is_teacher:
            self.sub_title = "Mes séances"
            self.query_one("#f-student", Input).display = False
            table.show_student = False
            table.border_title = "Mes séances (Entrée : la correction, Ctrl+B : le bilan)"
        else:
            self.sub_title = "Séances et corrections"
            table.border_title = "Séances de la classe (Entrée : corriger)"
        table.focus()
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Exports and the dashboard are the teacher's."""
        if action in ("export", "dashboard") and not self.is_teacher:
            return False
        return True

    # -- filters -------------------------------------------------------------------------------------

    def _filters(self) -> Any:
        from trainer.store.staff import SessionFilters

        student = self.query_one("#f-student", Input).value if self.is_teacher else None
        scenario = self.query_one("#f-scenario", Select).value
        period = self.query_one("#f-period", Select).value
        day_text = self.query_one("#f-day", Input).value
        since = until = None
        day = parse_day(day_text)
        if day is not None:
            since, until = day_bounds(day)
        elif isinstance(period, str) and period != "all":
            today = self.ctx.today()
            since = day_bounds(today - timedelta(days=int(str(period)) - 1))[0]
            until = day_bounds(today)[1]
        return SessionFilters(
            student=student or None,
            scenario_id=scenario if isinstance(scenario, str) else None,  # blank: Select.NULL
            since=since,
            until=until,
        )

    @on(Input.Submitted, "#f-student")
    @on(Input.Submitted, "#f-day")
    @on(Select.Changed, "#f-scenario")
    @on(Select.Changed, "#f-period")
    def _filter_changed(self) -> None:
        if self._filters_ready:
            self.action_refresh()

    def action_refresh(self) -> None:
        """Read the sessions again with the current filters."""
        try:
            filters = self._filters()
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self._load(filters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="teacher-list")
    def _load(self, filters: Any) -> None:
        from trainer.reports import service
        from trainer.store import staff

        store = self.ctx.store()
        viewer = viewer_of(self)
        if not self._titles:
            self._titles = service.scenario_titles()
        sessions = service.list_sessions(store, viewer, filters)
        with store.read() as db:
            scenarios = staff.scenario_ids(db, viewer=viewer)
        self.app.call_from_thread(self._show, sessions, scenarios)

    def _show(self, sessions: list[Any], scenarios: list[str]) -> None:
        select = self.query_one("#f-scenario", Select)
        if not self._filters_ready:
            select.set_options([(self._titles.get(s, s), s) for s in scenarios])
            self._filters_ready = True
        self.query_one(SessionTable).set_sessions(sessions, self._titles)
        finals = [s.final_total for s in sessions if s.final_total is not None]
        reviewed = sum(1 for s in sessions if s.reviewed)
        parts = [f"{len(sessions)} séance{'s' if len(sessions) > 1 else ''}"]
        if finals:
            parts.append(f"moyenne {format_total(sum(finals) / len(finals))}/100")
        parts.append(f"{reviewed} relue{'s' if reviewed > 1 else ''}")
        self.query_one("#sessions-status", Static).update(" · ".join(parts))

    # -- actions -------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ReviewScreen(session_id=str(event.row_key.value)), lambda _: self.action_refresh())

    def action_debrief(self) -> None:
        """The debrief of the selected session (the student's view of the call)."""
        current = self.query_one(SessionTable).current()
        if current is None:
            return
        if current.status == "live":
            self.notify("L'appel est encore en cours.", severity="warning")
            return
        if current.status == "abandoned":  # its debrief would be an empty grid « non calculé »
            self.notify("L'appel a été abandonné avant la fin : il n'a pas de bilan.", severity="warning")
            return
        from trainer.tui.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(session_id=str(current.id)))

    def action_dashboard(self) -> None:
        """The class dashboard."""
        self.app.open_destination("tableau_de_bord")  # type: ignore[attr-defined]

    def action_export(self, fmt: str) -> None:
        """Export the sessions listed (finished ones) as a gradebook file."""
        try:
            filters = self._filters()
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self._export(fmt, filters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="teacher-export")
    def _export(self, fmt: str, filters: Any) -> None:
        from trainer.paths import data_dir
        from trainer.reports import service

        path, rows = service.export_gradebook(
            self.ctx.store(), viewer_of(self), data_dir() / "exports", self.ctx.now(), fmt, filters  # type: ignore[arg-type]
        )
        self.app.call_from_thread(
            self.notify,
            f"{rows} séance{'s' if rows > 1 else ''} exportée{'s' if rows > 1 else ''} : {path}",
            title="Carnet de notes",
            timeout=20,
        )

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()


class ReviewScreen(TrainerScreen[None]):
    """One session's criteria and transcript; the teacher decides, the student reads."""

    CSS_PATH = "teacher.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accept')", "Valider"),
        Binding("j", "decide('adjust')", "Ajuster"),
        Binding("r", "decide('reject')", "Rejeter"),
        # Not in the footer (it would not fit in 80 columns); listed by F1 and in the criterion's panel.
        Binding("delete", "withdraw", "Retirer", key_display="Suppr", show=False),
        Binding("t", "total", "Total"),
        Binding("c", "comment", "Commenter"),
        Binding("f2", "focus_criteria", "Critères", show=False),
        Binding("f3", "focus_turns", "Transcription", show=False),
        Binding("ctrl+b", "debrief", "Bilan", show=False),
        Binding("escape", "back", "Retour"),
    ]

    def __init__(self, *, session_id: str) -> None:
        super().__init__()
        self.session_id = uuid.UUID(str(session_id))
        self.view: Any = None

    @property
    def is_teacher(self) -> bool:
        user = self.ctx.user
        return user is not None and user.role == "teacher"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Chargement de la séance…", id="rv-head")
        with Horizontal(id="rv-main"):
            with Vertical(id="rv-left"):
                yield DataTable(id="criteria", cursor_type="row", zebra_stripes=True)
                yield Static("", id="criterion-detail")
            yield TurnList(id="rv-turns")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Correction" if self.is_teacher else "Ma séance corrigée"
        table = self.query_one("#criteria", DataTable)
        table.add_column("Type", key="kind", width=5)
        table.add_column("Auto", key="auto", width=10)
        table.add_column("Décision", key="decision", width=8)
        table.add_column("Retenu", key="final", width=10)
        table.add_column("Critère", key="label")
        self.query_one("#rv-left", Vertical).border_title = "Critères"
        self.query_one("#rv-turns", TurnList).border_title = "Transcription"
        table.focus()
        self._load()

    def on_resize(self) -> None:
        """Side by side when there is room, one above the other on a narrow terminal."""
        self.set_class(self.size.width < NARROW, "narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only a teacher edits; the student reads."""
        if action in ("decide", "withdraw", "total", "comment") and not self.is_teacher:
            return False
        return True

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-load")
    def _load(self) -> None:
        from trainer.reports import service

        view = service.load_review(self.ctx.store(), viewer_of(self), self.session_id)
        self.app.call_from_thread(self._show, view)

    def _show(self, view: Any) -> None:
        self.view = view
        self._head()
        table = self.query_one("#criteria", DataTable)
        keep = table.cursor_row
        table.clear()
        reviewed = view.reviewed
        if reviewed is not None:
            for rule in reviewed.rules:
                table.add_row(
                    "règle",
                    Text(SHORT_VERDICTS.get(rule.automatic_verdict, rule.automatic_verdict),
                         style=VERDICT_STYLES.get(rule.automatic_verdict, "")),
                    DECISION_LABELS.get(rule.decision or "", ""),
                    Text(SHORT_VERDICTS.get(rule.final_verdict, rule.final_verdict),
                         style=VERDICT_STYLES.get(rule.final_verdict, "")),
                    rule.label,
                    key=f"rule:{rule.id}",
                )
            for item in reviewed.items:
                table.add_row(
                    "item",
                    _level(item.automatic_level, item.max_level),
                    DECISION_LABELS.get(item.decision or "", ""),
                    Text(_level(item.final_level, item.max_level), style="bold" if item.changed else ""),
                    item.label,
                    key=f"item:{item.id}",
                )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        turns = self.query_one("#rv-turns", TurnList)
        turns.follow_direction(view.summary.direction)
        turns.set_turns(view.turns, view.comments)
        self._detail()

    def _head(self) -> None:
        view = self.view
        s = view.summary
        text = Text()
        text.append(s.student_name or s.student, style="bold")
        text.append(f" — {view.scenario_title} — {when(s.started_at)} — {STATUS_LABELS.get(s.status, s.status)}\n")
        reviewed = view.reviewed
        if reviewed is None:
            text.append("Pas de score automatique pour cette séance (appel en cours ou interrompu).", style="italic")
        else:
            text.append(f"Total automatique {format_total(reviewed.automatic_total)}/100")
            if view.review is not None:
                text.append("  →  total ajusté ")
                text.append(f"{format_total(view.review.adjusted_total)}/100", style="bold reverse")
                text.append(f" (relu par {view.review.reviewer_name}")
                if view.review.total_override is not None:
                    text.append(f", total choisi : {view.review.override_reason}")
                text.append(")")
            elif self.is_teacher:
                text.append("  ·  pas encore relu", style="italic")
            else:
                text.append("  ·  pas encore relu par l'enseignant", style="italic")
        if view.grid is None and reviewed is not None:
            text.append("\nGrille introuvable : poids de 1 pour chaque item.", style="italic")
        self.query_one("#rv-head", Static).update(text)

    # -- the criterion under the cursor --------------------------------------------------------------

    def _current(self) -> tuple[str, str] | None:
        table = self.query_one("#criteria", DataTable)
        if table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        kind, _, criterion = key.partition(":")
        return kind, criterion

    @on(DataTable.RowHighlighted, "#criteria")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#criteria")
    def _selected(self) -> None:
        """Entrée: the evidence turns in the transcript."""
        current = self._current()
        if current is None or self.view is None or self.view.reviewed is None:
            return
        kind, cid = current
        target = self.view.reviewed.rule(cid) if kind == "rule" else self.view.reviewed.item(cid)
        turns = self.query_one("#rv-turns", TurnList)
        turns.mark(target.turns)
        if not target.turns:
            self.notify("Aucun tour cité pour ce critère.")

    def _detail(self) -> None:
        detail = self.query_one("#criterion-detail", Static)
        current = self._current()
        if current is None or self.view is None or self.view.reviewed is None:
            detail.update("")
            return
        kind, cid = current
        reviewed = self.view.reviewed
        # Short lines first (decision, observers), the long advice after: the panel is 4 lines high
        # on a 80×24 terminal and cut what does not fit (the teacher's decision was cut there).
        text = Text()
        if kind == "rule":
            rule = reviewed.rule(cid)
            label, decision, reason, turns, body = rule.label, rule.decision, rule.reason, rule.turns, rule.advice
        else:
            item = reviewed.item(cid)
            label, decision, reason, turns, body = item.label, item.decision, item.reason, item.turns, item.comment
        text.append(label, style="bold")
        if decision:
            text.append(f"\nDécision : {DECISION_LABELS[decision]}", style="bold")
            if reason:
                text.append(f" — {reason}")
            if self.ctx.user is not None and self.ctx.user.role == "teacher":
                text.append("  (Suppr : retirer la décision)", style="dim")
        if kind == "item":
            # The observers' grids handed in for this call: their level and remark on this item.
            for grid in self.view.observer_grids or ():
                mine = grid.item(cid)
                if mine is None or (mine.level is None and not mine.comment):
                    continue
                text.append(f"\nObservateur {grid.observer_name} : ", style="italic")
                text.append(_level(mine.level, item.max_level), style="bold")
                if mine.comment:
                    text.append(f" — {mine.comment}", style="italic")
        if body:
            text.append(f"\n{body}")
        if kind == "rule" and self.view.grid is not None:
            items = linked_items(cid, self.view.grid.draws_on)
            if items:
                labels = self.view.grid.labels
                text.append("\nItems liés : " + ", ".join(labels.get(i, i) for i in items), style="italic")
        if turns:
            text.append(f"\nTours : {', '.join('#' + str(t) for t in turns)} (Entrée pour les voir)", style="dim")
        detail.update(text)

    # -- teacher's actions ---------------------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        """Accept, adjust or reject the criterion under the cursor."""
        current = self._current()
        if current is None or self.view is None:
            return
        if not self.view.can_review:
            self.notify("Cette séance n'a pas de score à corriger.", severity="warning")
            return
        kind, cid = current
        reviewed = self.view.reviewed
        if kind == "rule":
            rule = reviewed.rule(cid)
            label, automatic = rule.label, VERDICT_LABELS.get(rule.automatic_verdict, rule.automatic_verdict)
            level, verdict, reason, max_level = None, rule.final_verdict, rule.reason, 3
        else:
            item = reviewed.item(cid)
            label, automatic = item.label, _level(item.automatic_level, item.max_level)
            level, verdict, reason, max_level = item.final_level, None, item.reason, item.max_level
        from trainer.store.reviews import Decision

        def done(answer: DecisionAnswer | None) -> None:
            if answer is None:
                return
            self._save_decision(
                Decision(
                    kind=kind,  # type: ignore[arg-type]
                    criterion_id=cid,
                    decision=answer.decision,  # type: ignore[arg-type]
                    reason=answer.reason,
                    adjusted_level=answer.level,
                    adjusted_verdict=answer.verdict,
                )
            )

        if decision == "accept":
            done(DecisionAnswer("accept", reason if reason else None))
            return
        self.app.push_screen(
            DecisionDialog(
                decision=decision, kind=kind, label=label, automatic=automatic, max_level=max_level,
                current_level=level, current_verdict=verdict, reason=reason or "",
            ),
            done,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save")
    def _save_decision(self, decision: Any) -> None:
        from trainer.domain.errors import DomainError
        from trainer.reports import service

        try:
            view = service.decide(
                self.ctx.store(), viewer_of(self), self.session_id, decision, self.ctx.now(),
                reviewer_name=display_name(self),
            )
        except DomainError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show, view)

    def action_withdraw(self) -> None:
        """Take back the decision on the criterion under the cursor."""
        current = self._current()
        if current is None:
            return
        self._withdraw(*current)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save")
    def _withdraw(self, kind: str, cid: str) -> None:
        from trainer.reports import service

        view = service.withdraw(self.ctx.store(), viewer_of(self), self.session_id, kind, cid, self.ctx.now())
        self.app.call_from_thread(self._show, view)

    def action_total(self) -> None:
        """Type the final total by hand (empty: back to the computed total)."""
        if self.view is None or not self.view.can_review:
            return
        current = self.view.review.total_override if self.view.review else None

        def got_total(answer: str | None) -> None:
            if answer is None:
                return
            if not answer:
                self._set_total(None, None)
                return
            try:
                value = float(answer.replace(",", ".").replace("/100", "").strip())
            except ValueError:
                value = float("nan")
            if not 0 <= value <= 100:  # said now, not after the teacher has typed a reason
                self.notify(f"« {answer} » n'est pas un nombre de 0 à 100.", severity="error")
                return

            def got_reason(reason: str | None) -> None:
                if reason:
                    self._set_total(value, reason)

            self.app.push_screen(
                TextPrompt("Motif du total choisi", "Pourquoi ce total plutôt que le total calculé ?"), got_reason
            )

        self.app.push_screen(
            TextPrompt(
                "Total de la séance",
                "Un nombre de 0 à 100 ; laissez vide pour revenir au total calculé à partir des critères.",
                value=format_total(current) if current is not None else "",
                placeholder="par exemple 75",
                required=False,
            ),
            got_total,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save")
    def _set_total(self, value: float | None, reason: str | None) -> None:
        from trainer.domain.errors import DomainError
        from trainer.reports import service

        try:
            view = service.set_total(
                self.ctx.store(), viewer_of(self), self.session_id, value, reason, self.ctx.now(),
                reviewer_name=display_name(self),
            )
        except DomainError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show, view)

    def action_comment(self) -> None:
        """Write a remark on the highlighted turn of the transcript."""
        turns = self.query_one("#rv-turns", TurnList)
        index = turns.current_turn
        if index is None:
            self.notify("Choisissez d'abord un tour dans la transcription (F3).", severity="warning")
            return
        text = str(turns.turns[index].get("text", "")) if index < len(turns.turns) else ""

        def done(answer: str | None) -> None:
            if answer:
                self._comment(index, answer)

        # A long turn is shortened at a word, and says so (it was cut mid-word without a mark).
        quoted = textwrap.shorten(text, width=120, placeholder=" …")
        self.app.push_screen(TextPrompt(f"Commentaire sur le tour #{index}", f"« {quoted} »"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save")
    def _comment(self, index: int, text: str) -> None:
        from trainer.reports import service

        service.comment_turn(
            self.ctx.store(), viewer_of(self), self.session_id, index, text, self.ctx.now(),
            author_name=display_name(self),
        )
        view = service.load_review(self.ctx.store(), viewer_of(self), self.session_id)
        self.app.call_from_thread(self._show, view)

    # -- navigation ------------------------------------------------------------------------------------

    def action_focus_criteria(self) -> None:
        """Keyboard to the criteria."""
        self.query_one("#criteria", DataTable).focus()

    def action_focus_turns(self) -> None:
        """Keyboard to the transcript."""
        self.query_one("#rv-turns", TurnList).focus()

    def action_debrief(self) -> None:
        """The debrief of this session."""
        from trainer.tui.screens.debrief import DebriefScreen

        status = self.view.summary.status if self.view is not None else None
        if status in ("live", "abandoned"):
            self.notify(
                "L'appel est encore en cours." if status == "live"
                else "L'appel a été abandonné avant la fin : il n'a pas de bilan.",
                severity="warning",
            )
            return
        self.app.push_screen(DebriefScreen(session_id=str(self.session_id)))

    def action_back(self) -> None:
        """Back to the list of sessions."""
        self.dismiss(None)


def _level(level: int | None, max_level: int) -> str:
    return "—" if level is None else f"{level}/{max_level}"
