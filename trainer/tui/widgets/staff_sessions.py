"""Widgets shared by the staff screens: the table of sessions and a transcript with comments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.markup import escape
from rich.text import Text
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

from trainer.reports.grading import format_total

PARIS = ZoneInfo("Europe/Paris")
STATUS_LABELS = {"live": "en direct", "finished": "terminée", "abandoned": "interrompue"}
SPEAKERS = {"student": "Élève", "customer": "Client", "system": "—"}


def when(moment: datetime | None) -> str:
    """``23/11 14:03`` in Paris time."""
    if moment is None:
        return ""
    return moment.astimezone(PARIS).strftime("%d/%m %H:%M")


def stamp(t: float | None) -> str:
    """Seconds since the first ring as ``mm:ss``."""
    if t is None:
        return "--:--"
    seconds = max(0, int(round(t)))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class FitTable(DataTable):
    """A DataTable whose columns fit its width (filled by ``fill_table``), refitted when that width
    changes: also when the table first shows, e.g. in a tab that was hidden when it was filled."""

    def on_resize(self) -> None:
        """Refit the columns to the new width."""
        content = getattr(self, "_fit_content", None)
        if content is not None:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        specs, rows, width = self._fit_content
        if _available_width(self) != width:
            fill_table(self, specs, rows)


class SessionTable(FitTable):
    """Sessions, one per row (key: the session id)."""

    DEFAULT_CSS = """
    SessionTable { height: 1fr; }
    """

    def __init__(self, *, show_student: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.show_student = show_student
        self._sessions: dict[str, Any] = {}
        self._order: list[Any] = []
        self._titles: dict[str, str] = {}

    def set_sessions(self, sessions: Sequence[Any], titles: dict[str, str] | None = None) -> None:
        """Show ``sessions`` (``SessionSummary``), keeping the cursor on the same session when possible."""
        self._titles = titles or {}
        keep = self.current_id()
        self._sessions = {str(s.id): s for s in sessions}
        self._order = list(sessions)
        self._fill_tables()
        if keep is not None and keep in self._sessions:
            self.move_cursor(row=self.get_row_index(keep))

    def _refit(self) -> None:
        # The column set depends on the width too (not only the columns' widths).
        self._fill_tables()

    def _fill_tables(self) -> None:
        # Narrow terminals: no « Relu » column (an adjusted total only shows once reviewed).
        narrow = self.app.size.width < 100
        specs: list[tuple[str, int | None]] = [("Date", 11)]
        if self.show_student:
            specs.append(("Élève", 13 if narrow else 16))
        specs += [("Scénario", None), ("État", 11), ("Auto", 5), ("Ajusté", 6)]
        if not narrow:
            specs.append(("Relu", 4))
        rows = []
        for s in self._order:
            cells: list[Any] = [when(s.started_at)]
            if self.show_student:
                cells.append(s.student_name or s.student)
            cells += [
                self._titles.get(s.scenario_id, s.scenario_id),
                Text(STATUS_LABELS.get(s.status, s.status), style="bold" if s.status == "live" else ""),
                Text(format_total(s.automatic_total), justify="right"),
                Text(format_total(s.adjusted_total) if s.reviewed else "", justify="right", style="bold"),
            ]
            if not narrow:
                cells.append("oui" if s.reviewed else "")
            rows.append((str(s.id), cells))
        fill_table(self, specs, rows)

    def current_id(self) -> str | None:
        """The id of the session under the cursor."""
        if self.row_count == 0:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - an empty or refreshed table has no current row
            return None

    def current(self) -> Any | None:
        """The ``SessionSummary`` under the cursor."""
        key = self.current_id()
        return self._sessions.get(key) if key else None


class TurnList(OptionList):
    """The turns of a call, one option each (id ``turn-N``), with remarks written under a turn.

    Used live by the observer (turns appended as they come) and by the teacher (comments).
    """

    # The scrollbar's room is kept even when there is nothing to scroll: the option list measures
    # each turn's height once, and a scrollbar appearing afterwards (turns replaced or appended)
    # would narrow the text and cut the last line of every turn that then wraps once more.
    DEFAULT_CSS = """
    TurnList { height: 1fr; border: round $primary; border-title-color: $accent; scrollbar-gutter: stable; }
    """

    def __init__(self, *, student_label: str = "Élève", id: str | None = None) -> None:
        super().__init__(id=id)
        self.student_label = student_label
        self.customer_label = "Client"
        """« Correspondant » on an outgoing call, as the call desk names the person called."""
        self.turns: list[dict[str, Any]] = []
        self.comments: dict[int, list[Any]] = {}
        self.marked: set[int] = set()

    def _prompt(self, index: int, turn: dict[str, Any]) -> Any:
        speaker = turn.get("speaker", "system")
        if speaker == "student":
            who = self.student_label
        elif speaker == "customer":
            who = self.customer_label
        else:
            who = SPEAKERS.get(speaker, speaker)
        head = f"[dim]{stamp(turn.get('t'))} #{index}[/dim] "
        text = escape(str(turn.get("text", "")))
        if speaker == "system":
            line = Text.from_markup(f"{head}[dim italic]{text}[/dim italic]")
        else:
            # Bold for the student, bold italic for the caller: readable in light and dark themes.
            style = "b" if speaker == "student" else "b i"
            line = Text.from_markup(f"{head}[{style}]{escape(who)}[/] : {text}")
        if index in self.marked:
            line.stylize("reverse", 0, len(head) - 1)
        for c in self.comments.get(index, []):
            line.append("\n")
            line.append_text(Text.from_markup(f"   [italic]✎ {escape(c.author_name)} : {escape(c.text)}[/italic]"))
        return line

    def follow_direction(self, direction: str) -> None:
        """Name the other party as the call desk does: « Client » when they called, else « Correspondant »."""
        self.customer_label = "Client" if direction == "incoming" else "Correspondant"

    def set_turns(self, turns: Iterable[dict[str, Any]], comments: Iterable[Any] = ()) -> None:
        """Replace every turn (and the remarks, ``TurnComment`` objects)."""
        self.turns = list(turns)
        self.comments = {}
        for c in comments:
            self.comments.setdefault(c.turn_idx, []).append(c)
        keep = self.highlighted
        self.clear_options()
        self.add_options([Option(self._prompt(i, t), id=f"turn-{i}") for i, t in enumerate(self.turns)])
        if keep is not None and self.option_count:
            self.highlighted = min(keep, self.option_count - 1)

    def append_turns(self, turns: Iterable[tuple[int, dict[str, Any]]]) -> int:
        """Add turns that just happened (``(index, turn)``), follow the last one; returns how many."""
        added = 0
        follow = self.highlighted is None or self.highlighted >= self.option_count - 1
        for index, turn in turns:
            if index < len(self.turns):
                continue  # already shown (a poll that overlapped)
            while len(self.turns) < index:  # a gap: should not happen, keep indices aligned anyway
                self.turns.append({"speaker": "system", "text": "…", "t": None})
                self.add_option(Option(self._prompt(len(self.turns) - 1, self.turns[-1]), id=f"turn-{len(self.turns) - 1}"))
            self.turns.append(turn)
            self.add_option(Option(self._prompt(index, turn), id=f"turn-{index}"))
            added += 1
        if added and follow:
            self.highlighted = self.option_count - 1
            self.scroll_end(animate=False)
        return added

    def mark(self, indices: Iterable[int]) -> None:
        """Mark the evidence turns of a criterion and jump to the first one."""
        self.marked = set(indices)
        self.set_turns(self.turns, [c for notes in self.comments.values() for c in notes])
        if self.marked:
            first = min(self.marked)
            if first < self.option_count:
                self.highlighted = first
                self.scroll_to_highlight(top=True)

    @property
    def current_turn(self) -> int | None:
        """The index of the highlighted turn."""
        return self.highlighted


def column_widths(available: int, specs: Sequence[tuple[str, int | None]], *, padding: int = 2) -> list[int]:
    """Widths for a table's columns so that the table fits ``available`` cells.

    ``specs`` are ``(label, width)``; a width of None shares what is left (at least 8 cells each,
    and never less than its label). ``padding`` is the cell padding of each column (both sides).
    """
    fixed = sum((w or 0) + padding for _, w in specs)
    flex = [i for i, (_, w) in enumerate(specs) if w is None]
    left = max(0, available - fixed - padding * len(flex))
    share = left // len(flex) if flex else 0
    widths = []
    for index, (label, width) in enumerate(specs):
        if width is not None:
            widths.append(width)
        else:
            extra = 1 if flex and index == flex[-1] and left % len(flex) else 0
            widths.append(max(8, len(label), share + extra))
    return widths


def fill_table(table: DataTable, specs: Sequence[tuple[str, int | None]], rows: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Replace a table's columns and rows; columns sized to the table's width (cells cut with « … »).

    ``rows`` are ``(key, cells)``. Call it again on resize: a DataTable does not shrink its columns.
    """
    keep = table.cursor_row
    available = _available_width(table)
    widths = column_widths(available, specs)
    table._fit_content = (specs, rows, available)  # noqa: SLF001 - read back by FitTable on resize
    table.clear(columns=True)
    for (label, _), width in zip(specs, widths, strict=True):
        table.add_column(label, width=width)
    for key, cells in rows:
        table.add_row(*[_fit(cell, width) for cell, width in zip(cells, widths, strict=True)], key=key)
    if rows:
        table.move_cursor(row=min(keep, len(rows) - 1))


def _available_width(table: DataTable) -> int:
    return max(20, table.scrollable_content_region.width or table.size.width or 80) - 1


def _fit(cell: Any, width: int) -> Any:
    text = cell if isinstance(cell, Text) else Text(str(cell))
    if text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text
