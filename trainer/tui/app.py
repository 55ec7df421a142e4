"""The Textual application: the shell every screen lives in.

``make_app(db_url, clock=..., user=...)`` builds it (tests and ``trainer`` share the factory). The
home screen is the bottom of the screen stack; every other screen is pushed on it and popped back
(see ``trainer.tui.navigation`` for how a screen is registered and reached).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from trainer.tui.navigation import (
    AppContext,
    CurrentUser,
    destinations_for,
    get_destination,
)
from trainer.tui.theme import DARK_THEME_NAME, LIGHT_THEME_NAME, THEMES

log = logging.getLogger(__name__)


class TrainerApp(App[None]):
    """Entraîneur à l'accueil téléphonique."""

    CSS_PATH = "trainer.tcss"
    TITLE = "Accueil téléphonique"
    SUB_TITLE = "GENERIK — entraînement"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "command_palette", "Commandes", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quitter", show=False, priority=True),
        Binding("f1", "toggle_keys", "Aide", show=True),
        Binding("ctrl+t", "toggle_dark", "Clair/sombre", show=False),
    ]

    # The home screen is the bottom of the stack of the one mode (a mode loads the screen's CSS).
    DEFAULT_MODE = "accueil"
    MODES: ClassVar[dict[str, Callable[[], Screen]]] = {"accueil": lambda: _home_screen()}

    db_status: reactive[str] = reactive("preparing")
    """``preparing`` until the database is ready, then ``ready`` or ``error``."""

    db_message: reactive[str] = reactive("Préparation de la base de données…")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DARK_THEME_NAME

    # -- start-up ----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Prepare the database in the background: the home screen is usable meanwhile."""
        # After the first frame: the preparation imports SQLAlchemy and Alembic, which would
        # otherwise compete with the drawing of the home screen for the interpreter.
        self.call_after_refresh(self._start_preparation)

    def _start_preparation(self) -> None:
        self.run_worker(self.ctx.prepare, name="prepare-db", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Follow the database preparation; report any other failed worker of the app."""
        if event.worker.name == "prepare-db":
            if event.state is WorkerState.SUCCESS:
                self.db_message = ""
                self.db_status = "ready"
            elif event.state is WorkerState.ERROR:
                self.db_message = describe_error(event.worker.error)
                self.db_status = "error"
                self.notify(self.db_message, title="Base de données", severity="error", timeout=30)
            return
        if event.state is WorkerState.ERROR:
            self.report_worker_error(event.worker)

    def on_unmount(self) -> None:
        """Release the database connections."""
        self.ctx.close()

    # -- the one worker-error handler ----------------------------------------------------------------

    def report_worker_error(self, worker: Worker) -> None:
        """Tell the user, in French, that a background task failed; keep the details in the log."""
        error = worker.error
        if error is None:
            return
        log.error("worker %s failed", worker.name, exc_info=error)
        self.notify(describe_error(error), title="Erreur", severity="error", timeout=15)

    # -- navigation ----------------------------------------------------------------------------------

    def open_destination(self, key: str) -> None:
        """Push the screen of a registered destination (if the current user may open it)."""
        destination = get_destination(key)
        if not destination.allows(self.ctx.user):
            self.notify("Cet écran n'est pas ouvert à votre rôle.", severity="warning")
            return
        if not destination.is_available():
            title = destination.title_for(self.ctx.user)
            self.notify(f"« {title} » n'est pas encore disponible.", severity="warning")
            return
        self.push_screen(destination.load()())

    def go_home(self) -> None:
        """Back to the home screen (closes every screen pushed above it)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def set_user(self, user: CurrentUser | None) -> None:
        """Change who is using the app (``None``: back to the identification)."""
        self.ctx.user = user
        self.sub_title = f"{user.display_name} ({user.role_label})" if user else "GENERIK — entraînement"

    # -- actions -------------------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """The command palette, with a French prompt."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder="Rechercher une commande…", id="--command-palette")
            )

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark GENERIK themes."""
        self.theme = LIGHT_THEME_NAME if self.theme == DARK_THEME_NAME else DARK_THEME_NAME

    def action_toggle_keys(self) -> None:
        """Show or hide the panel of the keys of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_home(self) -> None:
        """Back to the home screen."""
        self.go_home()

    def action_exam_mode(self) -> None:
        """Toggle the exam mode (the customer's mood gauge is hidden)."""
        self.ctx.exam_mode = not self.ctx.exam_mode
        state = "activé : la jauge d'humeur est masquée" if self.ctx.exam_mode else "désactivé"
        self.notify(f"Mode examen {state}.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: the destinations open to the user, then the app's own commands."""
        yield SystemCommand("Accueil", "Revenir à l'écran d'accueil", self.action_home)
        user = self.ctx.user
        for destination in destinations_for(user):
            yield SystemCommand(
                destination.title_for(user), destination.help_for(user), _opener(self, destination.key)
            )
        yield SystemCommand(
            "Thème clair / sombre", "Basculer entre les thèmes GENERIK clair et sombre", self.action_toggle_dark
        )
        yield SystemCommand(
            "Mode examen",
            "Masquer (ou réafficher) la jauge d'humeur du client pendant les appels",
            self.action_exam_mode,
        )
        yield SystemCommand("Aide clavier", "Afficher ou masquer les touches de l'écran", self.action_toggle_keys)
        yield SystemCommand("Quitter", "Fermer l'application", self.action_quit)


def _home_screen() -> Screen:
    from trainer.tui.screens.home import HomeScreen

    return HomeScreen()


def _opener(app: TrainerApp, key: str) -> Callable[[], None]:
    return lambda: app.open_destination(key)


def describe_error(error: BaseException | None) -> str:
    """One French sentence for a failure (``UserError``/``SetupError`` carry their own)."""
    from trainer.errors import UserError

    if error is None:
        return "Erreur inconnue."
    if isinstance(error, UserError):  # SetupError included
        return str(error)
    return f"Erreur inattendue ({type(error).__name__}) : {error}"


def make_app(
    db_url: str | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    user: CurrentUser | None = None,
) -> TrainerApp:
    """Build the application.

    ``db_url``: SQLAlchemy URL (``None``: ``TRAINER_DB_URL``, else the embedded SQLite file);
    ``clock``: returns aware datetimes (fixed in tests); ``user``: already identified user (tests,
    or a teacher's session restored), otherwise the home screen asks who is there.
    """
    app = TrainerApp(AppContext(db_url, clock=clock, user=user))
    if user is not None:
        app.set_user(user)
    return app
