"""The home screen: who is at the terminal, then the menu of what they may open."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    ContentSwitcher,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
)
from textual.widgets.option_list import Option

from trainer.tui.navigation import CurrentUser, TrainerScreen, destinations_for

ROLE_BY_BUTTON = {"role-student": "student", "role-observer": "observer", "role-teacher": "teacher"}


class HomeScreen(TrainerScreen[None]):
    """« Qui êtes-vous ? » then the home menu."""

    CSS_PATH = "home.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+u", "change_user", "Changer d'utilisateur", show=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with ContentSwitcher(initial="identite", id="home-switcher"):
            with VerticalScroll(id="identite"), Center(), Vertical(id="identity-card", classes="card"):
                yield Static("GENERIK — accueil téléphonique", id="brand")
                yield Static(
                    "Appels simulés, charte d'accueil, grille d'observation et PGI.",
                    id="tagline",
                )
                yield Label("Qui êtes-vous ?", classes="question")
                with RadioSet(id="role"):
                    yield RadioButton("Élève", value=True, id="role-student")
                    yield RadioButton("Observateur", id="role-observer")
                    yield RadioButton("Enseignant (mot de passe)", id="role-teacher")
                yield Label("Prénom et nom", id="name-label")
                yield Input(placeholder="ex. : Julie Martin", id="name", max_length=120)
                yield Button("Continuer", variant="primary", id="continue")
                yield Static("", id="identity-error", classes="error")
            with Vertical(id="menu"):
                yield Static("", id="hello")
                yield OptionList(id="destinations")
                yield Static("", id="db-status")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "db_status", self._show_db_status)
        if self.ctx.user is not None:
            self._show_menu()
        else:
            self.query_one("#name", Input).focus()

    # -- identification ----------------------------------------------------------------------------

    @property
    def chosen_role(self) -> str:
        """The role selected in the radio set."""
        pressed = self.query_one("#role", RadioSet).pressed_button
        return ROLE_BY_BUTTON.get(pressed.id if pressed else "", "student")

    @on(RadioSet.Changed, "#role")
    def _role_changed(self) -> None:
        teacher = self.chosen_role == "teacher"
        self.query_one("#name-label").display = not teacher
        self.query_one("#name", Input).display = not teacher
        self.query_one("#identity-error", Static).update("")

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        role = self.chosen_role
        error = self.query_one("#identity-error", Static)
        if role == "teacher":
            from trainer.tui.screens.login import LoginScreen

            self.app.push_screen(LoginScreen(), self._logged_in)
            return
        name = " ".join(self.query_one("#name", Input).value.split())
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            error.update("Indiquez votre prénom et votre nom.")
            self.query_one("#name", Input).focus()
            return
        error.update("")
        user = CurrentUser.student(name) if role == "student" else CurrentUser.observer(name)
        self.app.set_user(user)  # type: ignore[attr-defined]
        self._show_menu()
        self._register_person(user)

    def _logged_in(self, user: CurrentUser | None) -> None:
        if user is None:
            return
        self.app.set_user(user)  # type: ignore[attr-defined]
        self._show_menu()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-person")
    def _register_person(self, user: CurrentUser) -> None:
        """Keep a users row for a student or an observer (the teacher's lists are by person)."""
        from trainer.tui.accounts import ensure_person

        ensure_person(
            self.ctx.store(),
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            now=self.ctx.now(),
        )

    # -- menu ----------------------------------------------------------------------------------------

    def _show_menu(self) -> None:
        user = self.ctx.user
        assert user is not None
        self.query_one("#hello", Static).update(
            f"Bonjour {user.display_name} ({user.role_label}). Que voulez-vous faire ?"
        )
        options = self.query_one("#destinations", OptionList)
        options.clear_options()
        for destination in destinations_for(user):
            options.add_option(
                Option(
                    f"[b]{destination.title_for(user)}[/b]\n[dim]{destination.help_for(user)}[/dim]",
                    id=destination.key,
                )
            )
        if options.option_count:
            options.highlighted = 0
        self.query_one("#home-switcher", ContentSwitcher).current = "menu"
        options.focus()

    @on(OptionList.OptionSelected, "#destinations")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_destination(event.option.id)  # type: ignore[attr-defined]

    def action_change_user(self) -> None:
        """Back to « Qui êtes-vous ? »."""
        self.app.set_user(None)  # type: ignore[attr-defined]
        self.query_one("#home-switcher", ContentSwitcher).current = "identite"
        self.query_one("#role-student", RadioButton).value = True
        name = self.query_one("#name", Input)
        name.value = ""
        name.focus()

    def _show_db_status(self, status: str) -> None:
        text = {
            "preparing": "Préparation de la base de données…",
            "ready": "",
            "error": f"Base de données indisponible : {self.app.db_message}",  # type: ignore[attr-defined]
        }.get(status, "")
        widget = self.query_one("#db-status", Static)
        widget.update(text)
        widget.set_class(status == "error", "error")
