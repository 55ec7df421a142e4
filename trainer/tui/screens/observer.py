"""The observer (BRIEF §2.4): follow a call live on another terminal and fill the grid by hand.

« Vous allez assister à un jeu de rôle. Votre rôle est d'observer le jeu, d'analyser la situation de
communication et de compléter la grille d'observation. » Two screens:

- ``ObserverScreen``: the calls going on in the shared database (refreshed every two seconds by a
  worker), then the last finished ones; ``Entrée`` follows the chosen call;
- ``ObservationScreen``: the call turn by turn as it happens (the database is polled every half
  second by a worker) beside the Doc 6 grid, filled from the keyboard and saved as a draft at every
  change; ``Ctrl+S`` hands it in. Then the observer's levels stand beside the machine's, with their
  agreement item by item and overall (exact, within one level).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Static

from trainer.reports.grading import percent
from trainer.tui.navigation import TrainerScreen
from trainer.tui.widgets.staff_dialogs import StaffConfirm
from trainer.tui.widgets.staff_grid_form import GridForm, level_text
from trainer.tui.widgets.staff_sessions import STATUS_LABELS, SessionTable, TurnList, when

LIST_REFRESH_S = 2.0
LIVE_POLL_S = 0.5


def viewer_of(screen: TrainerScreen) -> Any:
    """The ``Viewer`` (username and role) of the person using the app."""
    from trainer.store.staff import Viewer

    user = screen.ctx.user
    if user is None:
        return Viewer(username="anonyme", role="student")
    return Viewer(username=user.username, role=user.role)


def display_name(screen: TrainerScreen) -> str | None:
    user = screen.ctx.user
    return user.display_name if user else None


class ObserverScreen(TrainerScreen[None]):
    """The calls an observer can follow: live first, then the last finished ones."""

    CSS_PATH = "observer.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "refresh", "Actualiser"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Choisissez l'appel à observer puis [b]Entrée[/b] : vous le suivrez tour par tour "
            "et remplirez la grille d'observation.",
            id="observer-intro",
        )
        yield SessionTable(id="observer-sessions")
        yield Static("", id="observer-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Observer une séance"
        table = self.query_one(SessionTable)
        table.border_title = "Appels en direct et derniers appels terminés"
        table.focus()
        self._titles: dict[str, str] = {}
        self.action_refresh()
        self.set_interval(LIST_REFRESH_S, self.action_refresh)

    def action_refresh(self) -> None:
        """Read the list of sessions again."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="observer-list")
    def _load(self) -> None:
        from trainer.reports import service

        if not self._titles:
            self._titles = service.scenario_titles()
        sessions = service.live_sessions(self.ctx.store(), viewer_of(self))
        self.app.call_from_thread(self._show, sessions)

    def _show(self, sessions: list[Any]) -> None:
        table = self.query_one(SessionTable)
        table.set_sessions(sessions, self._titles)
        live = sum(1 for s in sessions if s.status == "live")
        status = self.query_one("#observer-status", Static)
        if not sessions:
            status.update("Aucun appel pour l'instant : la liste se met à jour toute seule.")
        elif live:
            status.update(f"{live} appel{'s' if live > 1 else ''} en direct.")
        else:
            status.update("Aucun appel en direct ; les derniers appels terminés peuvent être observés après coup.")

    @on(DataTable.RowSelected, "#observer-sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ObservationScreen(session_id=str(event.row_key.value)))

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()


class ObservationScreen(TrainerScreen[None]):
    """One call followed live, with the observer's grid (then the comparison with the machine)."""

    CSS_PATH = "observer.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Remettre la grille"),
        Binding("f2", "focus_grid", "Grille", show=False),
        Binding("f3", "focus_turns", "Conversation", show=False),
        Binding("escape", "back", "Retour"),
    ]

    def __init__(self, *, session_id: str) -> None:
        super().__init__()
        self.session_id = uuid.UUID(str(session_id))
        self.view: Any = None
        self.last_idx = -1
        self.status = "live"
        self._polling = False
        self._saving_pending = False
        self._compared = False
        self._all_turns = False
        """True once a poll saw the call over: every turn is on screen."""
        self._poll_timer: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Chargement de la séance…", id="obs-head")
        with Horizontal(id="obs-main"):
            yield TurnList(id="obs-turns")
            with ContentSwitcher(initial="obs-form", id="obs-right"):
                yield GridForm(id="obs-form")
                with Vertical(id="obs-compare"):
                    yield Static("", id="obs-agreement")
                    yield DataTable(id="obs-compare-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Observation"
        self.query_one("#obs-turns", TurnList).border_title = "Conversation en direct"
        self.query_one("#obs-right", ContentSwitcher).border_title = "Grille d'observation"
        table = self.query_one("#obs-compare-table", DataTable)
        table.add_column("N°", width=2)
        table.add_column("Obs.", width=4)
        table.add_column("Auto", width=4)
        table.add_column("", width=1)
        table.add_column("Critère")
        self._open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the grid is handed in, « Remettre la grille » leaves the footer."""
        if action == "submit" and self.view is not None and self.view.mine is not None and self.view.mine.submitted:
            return False
        return True

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="observation-open")
    def _open(self) -> None:
        from trainer.reports import service

        view = service.observer_view(self.ctx.store(), viewer_of(self), self.session_id)
        titles = service.scenario_titles()
        self.app.call_from_thread(self._opened, view, titles)

    def _opened(self, view: Any, titles: dict[str, str]) -> None:
        self.view = view
        self.titles = titles
        self.refresh_bindings()
        self.status = view.summary.status
        self.query_one("#obs-turns", TurnList).follow_direction(view.summary.direction)
        form = self.query_one(GridForm)
        mine = view.mine
        form.load(view.grid, mine.items if mine else (), read_only=bool(mine and mine.submitted))
        self._head()
        form.focus_items()
        if mine is not None and mine.submitted:
            self._show_comparison(view)
        self._tick()
        if self._poll_timer is None:  # opened again when the score arrives: one timer is enough
            self._poll_timer = self.set_interval(LIVE_POLL_S, self._tick)

    def _head(self) -> None:
        if self.view is None:
            return
        s = self.view.summary
        form = self.query_one(GridForm)
        title = self.titles.get(s.scenario_id, s.scenario_id)
        state = STATUS_LABELS.get(self.status, self.status)
        text = Text()
        text.append(f"{s.student_name or s.student}", style="bold")
        text.append(f" — {title} — {when(s.started_at)} — ")
        text.append(state, style="bold reverse" if self.status == "live" else "bold")
        grid_state = (
            "grille remise" if self.view.mine and self.view.mine.submitted
            else f"{form.filled}/{len(form.levels)} items notés"
        )
        text.append(f" — {grid_state}")
        self.query_one("#obs-head", Static).update(text)
        self.query_one("#obs-turns", TurnList).border_title = (
            "Conversation en direct" if self.status == "live" else "Conversation"
        )

    # -- following the call --------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._polling or self.view is None:
            return
        if self.status != "live" and self._compared and self._all_turns:
            return
        self._polling = True
        self._poll(self.last_idx)

    @work(thread=True, exit_on_error=False, group="observation-poll")
    def _poll(self, after: int) -> None:
        from trainer.reports import service

        try:
            update = service.poll_live(self.ctx.store(), viewer_of(self), self.session_id, after)
        finally:
            self._polling = False
        self.app.call_from_thread(self._apply, update)

    def _apply(self, update: Any) -> None:
        turns = self.query_one("#obs-turns", TurnList)
        if update.turns:
            turns.append_turns(update.turns)
            self.last_idx = max(self.last_idx, max(i for i, _ in update.turns))
        if update.status != "live":
            self._all_turns = True
        changed = update.status != self.status
        self.status = update.status
        if changed:
            self._head()
            if self.status == "finished":
                self.notify("L'appel est terminé.", title="Observation")
            elif self.status == "abandoned":
                self.notify("L'appel a été interrompu.", title="Observation", severity="warning")
        mine = self.view.mine if self.view else None
        if mine is not None and mine.submitted and not self._compared and update.has_score:
            self._open()  # the machine's score arrived: show the comparison

    # -- the grid --------------------------------------------------------------------------------------

    @on(GridForm.Changed)
    def _changed(self, event: GridForm.Changed) -> None:
        self._head()
        self._save(submit=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="observation-save")
    def _save(self, submit: bool) -> None:
        from trainer.reports import service

        form = self.query_one(GridForm)
        assert self.view is not None
        view = service.save_observation(
            self.ctx.store(), viewer_of(self), self.session_id, self.view.grid, form.values(),
            self.ctx.now(), submit=submit, observer_name=display_name(self),
        )
        self.app.call_from_thread(self._saved, view, submit)

    def _saved(self, view: Any, submitted: bool) -> None:
        self.view = view
        self.refresh_bindings()
        if submitted:
            form = self.query_one(GridForm)
            form.read_only = True
            self._head()
            if view.agreement is not None:
                self._show_comparison(view)
            else:
                self.notify(
                    "Grille remise. La comparaison avec la machine s'affichera à la fin de l'appel.",
                    title="Observation",
                )

    def action_submit(self) -> None:
        """Hand the grid in (after confirmation): it will no longer change."""
        if self.view is None:
            return
        if self.view.mine is not None and self.view.mine.submitted:
            self.notify("La grille est déjà remise.", severity="warning")
            return
        form = self.query_one(GridForm)
        if form.filled == 0:
            self.notify("Donnez au moins un niveau avant de remettre la grille.", severity="warning")
            return
        missing = len(form.levels) - form.filled
        question = "Remettre la grille ? Elle ne pourra plus être modifiée."
        if missing:
            question += f"\n{missing} item{'s' if missing > 1 else ''} sans niveau (non observé{'s' if missing > 1 else ''})."

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._save(submit=True)

        self.app.push_screen(StaffConfirm("Remettre la grille", question, yes="Remettre"), done)

    # -- comparison ------------------------------------------------------------------------------------

    def _show_comparison(self, view: Any) -> None:
        agreement = view.agreement
        switcher = self.query_one("#obs-right", ContentSwitcher)
        if agreement is None:
            return
        self._compared = True
        switcher.current = "obs-compare"
        switcher.border_title = "Votre grille et la machine"
        numbers = {line.id: line.number for line in view.grid.lines}
        table = self.query_one("#obs-compare-table", DataTable)
        table.clear()
        for item in agreement.items:
            style = {"=": "bold green", "≈": "yellow", "≠": "bold red"}.get(item.mark, "")
            table.add_row(
                str(numbers.get(item.id, "")),
                level_text(item.observer_level, item.max_level).split("/")[0],
                level_text(item.automatic_level, item.max_level).split("/")[0],
                Text(item.mark, style=style),
                item.label,
                key=item.id,
            )
        summary = Text()
        summary.append("Accord avec la machine\n", style="bold")
        summary.append(f"exact : {percent(agreement.exact_rate)}  ·  à un niveau près : {percent(agreement.within_one_rate)}\n")
        summary.append(agreement.summary(), style="italic")
        summary.append("\n= identique   ≈ un niveau d'écart   ≠ plus d'un niveau", style="dim")
        self.query_one("#obs-agreement", Static).update(summary)
        table.focus()

    # -- navigation ------------------------------------------------------------------------------------

    def action_focus_grid(self) -> None:
        """Keyboard to the grid."""
        if self._compared:
            self.query_one("#obs-compare-table", DataTable).focus()
        else:
            self.query_one(GridForm).focus_items()

    def action_focus_turns(self) -> None:
        """Keyboard to the conversation."""
        self.query_one("#obs-turns", TurnList).focus()

    def action_back(self) -> None:
        """Back to the list of calls (the draft is saved at every change)."""
        self.app.pop_screen()
