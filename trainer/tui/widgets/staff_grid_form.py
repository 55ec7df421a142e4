"""The observation grid filled by hand: one row per item, a level from the keyboard, a comment.

Keyboard first: the cursor moves on the items, ``0``–``3`` gives a level, ``n`` marks the item
« non observé », ``Entrée`` (or ``c``) goes to the comment line, ``Entrée`` again saves it and comes
back to the items. Every change posts ``GridForm.Changed`` so that the screen saves the draft.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from trainer.reports.service import GridInfo
from trainer.store.reviews import ObserverItem

NOT_OBSERVED = "–"


def level_text(level: int | None, max_level: int) -> str:
    """``2/3``, or ``–`` when not given."""
    return NOT_OBSERVED if level is None else f"{level}/{max_level}"


class GridForm(Vertical):
    """The items of a grid with the observer's levels and comments."""

    DEFAULT_CSS = """
    GridForm { height: 1fr; }
    GridForm > DataTable { height: 1fr; overflow-x: hidden; }
    GridForm > #grid-detail { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    GridForm > Input { margin: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("0", "level(0)", "Niveau 0", show=False),
        Binding("1", "level(1)", "Niveau 1", show=False),
        Binding("2", "level(2)", "Niveau 2", show=False),
        Binding("3", "level(3)", "Niveau", key_display="0-3"),
        Binding("n", "not_observed", "Non observé"),
        Binding("c", "comment", "Commenter"),
    ]

    class Changed(Message):
        """An item's level or comment changed (the screen saves the draft)."""

        def __init__(self, form: GridForm, item_id: str) -> None:
            super().__init__()
            self.form = form
            self.item_id = item_id

        @property
        def control(self) -> GridForm:
            return self.form

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid: GridInfo | None = None
        self.levels: dict[str, int | None] = {}
        self.comments: dict[str, str] = {}
        self.read_only = False

    def compose(self) -> ComposeResult:
        yield DataTable(id="grid-items", cursor_type="row", zebra_stripes=True)
        yield Static("", id="grid-detail")
        yield Input(placeholder="Commentaire sur cet item (Entrée pour l'enregistrer)", id="grid-comment")

    def on_mount(self) -> None:
        table = self.query_one("#grid-items", DataTable)
        # The label comes last: on a narrow terminal only its end is cut (the detail shows it whole).
        table.add_column("N°", key="n", width=2)
        table.add_column("Niv.", key="level", width=4)
        table.add_column("✎", key="note", width=1)
        table.add_column("Critère", key="label")

    # -- content -------------------------------------------------------------------------------------

    def load(self, grid: GridInfo, items: tuple[ObserverItem, ...] | list[ObserverItem] = (), *, read_only: bool = False) -> None:
        """Show ``grid`` with what the observer already entered."""
        self.grid = grid
        self.read_only = read_only
        self.levels = {line.id: None for line in grid.lines}
        self.comments = {}
        for item in items:
            if item.item_id in self.levels:
                self.levels[item.item_id] = item.level
                if item.comment:
                    self.comments[item.item_id] = item.comment
        table = self.query_one("#grid-items", DataTable)
        table.clear()
        for line in grid.lines:
            table.add_row(
                str(line.number),
                level_text(self.levels[line.id], grid.max_level),
                "✎" if self.comments.get(line.id) else "",
                line.label,
                key=line.id,
            )
        comment = self.query_one("#grid-comment", Input)
        comment.disabled = read_only
        self._show_detail()

    def values(self) -> list[ObserverItem]:
        """The grid as entered: one ``ObserverItem`` per item."""
        return [ObserverItem(item_id, level, self.comments.get(item_id)) for item_id, level in self.levels.items()]

    @property
    def filled(self) -> int:
        """How many items have a level."""
        return sum(1 for level in self.levels.values() if level is not None)

    def current_item(self) -> str | None:
        """The id of the item under the cursor."""
        table = self.query_one("#grid-items", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _show_detail(self) -> None:
        detail = self.query_one("#grid-detail", Static)
        item_id = self.current_item()
        if self.grid is None or item_id is None:
            detail.update("")
            return
        line = self.grid.line(item_id)
        assert line is not None
        level = self.levels.get(item_id)
        text = Text()
        text.append(f"{line.section}\n", style="italic")
        text.append(f"{line.number}. {line.label}\n", style="bold")
        if level is None:
            text.append("Pas encore noté.")
        else:
            text.append(f"Niveau {level} : {line.descriptors.get(level, '')}")
        detail.update(text)
        comment = self.query_one("#grid-comment", Input)
        comment.value = self.comments.get(item_id, "")

    # -- editing -------------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#grid-items")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    @on(DataTable.RowSelected, "#grid-items")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_comment()

    def _set(self, item_id: str, level: int | None) -> None:
        assert self.grid is not None
        self.levels[item_id] = level
        table = self.query_one("#grid-items", DataTable)
        table.update_cell(item_id, "level", level_text(level, self.grid.max_level))
        self._show_detail()
        self.post_message(self.Changed(self, item_id))

    def action_level(self, level: int) -> None:
        """Give the current item ``level`` and move to the next item."""
        item_id = self.current_item()
        if self.read_only or self.grid is None or item_id is None:
            return
        if level > self.grid.max_level:
            self.notify(f"Les niveaux vont de 0 à {self.grid.max_level}.", severity="warning")
            return
        self._set(item_id, level)
        table = self.query_one("#grid-items", DataTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_not_observed(self) -> None:
        """The current item was not observed (no level)."""
        item_id = self.current_item()
        if self.read_only or item_id is None:
            return
        self._set(item_id, None)

    def action_comment(self) -> None:
        """Write a comment on the current item."""
        if self.read_only:
            return
        self.query_one("#grid-comment", Input).focus()

    @on(Input.Submitted, "#grid-comment")
    def _comment_done(self, event: Input.Submitted) -> None:
        event.stop()
        item_id = self.current_item()
        if self.read_only or item_id is None:
            return
        text = " ".join(event.value.split())
        if text:
            self.comments[item_id] = text
        else:
            self.comments.pop(item_id, None)
        table = self.query_one("#grid-items", DataTable)
        table.update_cell(item_id, "note", "✎" if text else "")
        table.focus()
        self.post_message(self.Changed(self, item_id))

    def focus_items(self) -> None:
        """Put the keyboard on the items."""
        self.query_one("#grid-items", DataTable).focus()

    def snapshot(self) -> dict[str, Any]:
        """Levels and comments as plain data (tests, debugging)."""
        return {"levels": dict(self.levels), "comments": dict(self.comments)}
