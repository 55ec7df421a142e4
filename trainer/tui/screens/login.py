"""Teacher login (argon2-checked password), and the creation of the first teacher account."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from trainer.tui.navigation import CurrentUser, TrainerModal


class LoginScreen(TrainerModal[CurrentUser | None]):
    """Dismissed with the logged-in teacher, or ``None`` when cancelled."""

    CSS_PATH = "login.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuler")]

    def __init__(self) -> None:
        super().__init__()
        self.creating = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login-card", classes="card"):
            yield Static("Connexion enseignant", id="login-title")
            yield Static("Vérification des comptes…", id="login-help")
            with Grid(id="login-form"):
                yield Label("Identifiant")
                yield Input(placeholder="ex. : mdurand", id="username", max_length=64, compact=True)
                yield Label("Nom affiché", id="display-label")
                yield Input(placeholder="ex. : Mme Durand", id="display-name", max_length=200, compact=True)
                yield Label("Mot de passe")
                yield Input(password=True, id="password", max_length=200, compact=True)
                yield Label("Confirmation", id="confirm-label")
                yield Input(password=True, id="confirm", max_length=200, compact=True)
            yield Static("", id="login-error", classes="error")
            with Horizontal(id="login-buttons"):
                yield Button("Se connecter", variant="primary", id="submit", disabled=True)
                yield Button("Annuler", id="cancel")

    def on_mount(self) -> None:
        self._set_creating(False)
        self.query_one("#username", Input).focus()
        self._check_accounts()

    def _set_creating(self, creating: bool) -> None:
        self.creating = creating
        for widget_id in ("#display-label", "#display-name", "#confirm-label", "#confirm"):
            self.query_one(widget_id).display = creating
        self.query_one("#login-title", Static).update(
            "Premier compte enseignant" if creating else "Connexion enseignant"
        )
        submit = self.query_one("#submit", Button)
        submit.label = "Créer le compte" if creating else "Se connecter"
        # The button keeps the width of its first label otherwise (« Créer le » was cut).
        submit.refresh(layout=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def _check_accounts(self) -> None:
        from trainer.tui.accounts import has_teacher

        exists = has_teacher(self.ctx.store())
        self.app.call_from_thread(self._accounts_checked, exists)

    def _accounts_checked(self, exists: bool) -> None:
        self._set_creating(not exists)
        self.query_one("#login-help", Static).update(
            "Saisissez votre identifiant et votre mot de passe."
            if exists
            else "Aucun compte enseignant n'existe encore : créez le premier (8 caractères au moins)."
        )
        self.query_one("#submit", Button).disabled = False

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter moves to the next visible field, and submits from the last one.
        fields = [w for w in self.query(Input) if w.display]
        index = fields.index(event.input)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self._submit()

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        if self.query_one("#submit", Button).disabled:
            return
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        error = self.query_one("#login-error", Static)
        if not username.strip() or not password:
            error.update("Identifiant et mot de passe sont obligatoires.")
            return
        if self.creating:
            if password != self.query_one("#confirm", Input).value:
                error.update("Les deux mots de passe ne sont pas identiques.")
                return
            display = self.query_one("#display-name", Input).value
            self._create(username, display, password)
        else:
            self._login(username, password)
        error.update("Vérification…")
        self.query_one("#submit", Button).disabled = True

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def _login(self, username: str, password: str) -> None:
        from trainer.tui.accounts import authenticate

        account = authenticate(self.ctx.store(), username, password)
        if account is None:
            self.app.call_from_thread(self._failed, "Identifiant ou mot de passe incorrect.")
            return
        user = CurrentUser(account.username, account.display_name, "teacher", account.user_id)
        self.app.call_from_thread(self.dismiss, user)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def _create(self, username: str, display: str, password: str) -> None:
        from trainer.errors import UserError
        from trainer.tui.accounts import create_teacher

        try:
            account = create_teacher(
                self.ctx.store(), username=username, display_name=display, password=password, now=self.ctx.now()
            )
        except UserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        user = CurrentUser(account.username, account.display_name, "teacher", account.user_id)
        self.app.call_from_thread(self.dismiss, user)

    def _failed(self, message: str) -> None:
        self.query_one("#login-error", Static).update(message)
        self.query_one("#submit", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without logging in."""
        self.dismiss(None)
