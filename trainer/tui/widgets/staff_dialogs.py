"""Modal dialogs of the staff screens: confirm, type a text, decide on a criterion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from trainer.reports.grading import VERDICT_LABELS
from trainer.tui.navigation import TrainerModal

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 100%; height: auto; max-height: 100%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; color: $accent; margin-bottom: 1; }}
{name} .dialog-error {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; align: right middle; }}
{name} Button {{ margin-left: 1; min-width: 10; }}
{name} RadioSet {{ width: 100%; }}
"""


class StaffConfirm(TrainerModal[bool]):
    """A yes/no question (``o`` / ``n``, Échap cancels)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="StaffConfirm")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "no", "Annuler"),
        Binding("o", "yes", "Oui", show=False),
        Binding("n", "no", "Non", show=False),
    ]

    def __init__(self, title: str, question: str, *, yes: str = "Oui") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.question)
            with Horizontal():
                yield Button(self.yes, variant="primary", id="yes")
                yield Button("Annuler", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        """Confirm."""
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        """Cancel."""
        self.dismiss(False)


class TextPrompt(TrainerModal[str | None]):
    """Ask for one line of text (``None``: cancelled). ``required`` refuses an empty answer."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="TextPrompt")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, title: str, help_text: str = "", *, value: str = "", placeholder: str = "", required: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = help_text
        self.value = value
        self.placeholder = placeholder
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title")
            if self.help_text:
                yield Static(self.help_text)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", classes="dialog-error", id="prompt-error")
            with Horizontal():
                yield Button("Valider", variant="primary", id="ok")
                yield Button("Annuler", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = " ".join(self.query_one("#prompt-input", Input).value.split())
        if self.required and not text:
            self.query_one("#prompt-error", Static).update("Ce champ est obligatoire.")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without answering."""
        self.dismiss(None)


@dataclass(frozen=True)
class DecisionAnswer:
    """What the teacher decided in ``DecisionDialog``."""

    decision: str
    reason: str | None
    level: int | None = None
    verdict: str | None = None


class DecisionDialog(TrainerModal[DecisionAnswer | None]):
    """Adjust (new level or verdict) or reject one criterion, with the reason; or accept it.

    Keyboard: a digit picks the value (the level itself for an item; 1, 2, 3 for a verdict), Tab
    goes to the reason, Entrée saves.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="DecisionDialog")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler"),
        *[Binding(str(n), f"pick({n})", f"Valeur {n}", show=False) for n in range(10)],
    ]

    def __init__(
        self,
        *,
        decision: str,
        kind: str,
        label: str,
        automatic: str,
        max_level: int = 3,
        current_level: int | None = None,
        current_verdict: str | None = None,
        reason: str = "",
    ) -> None:
        super().__init__()
        self.decision = decision
        self.kind = kind
        self.label = label
        self.automatic = automatic
        self.max_level = max_level
        self.current_level = current_level
        self.current_verdict = current_verdict
        self.reason = reason

    def _choices(self) -> list[tuple[str, str]]:
        if self.kind == "item":
            return [(str(level), f"Niveau {level}") for level in range(self.max_level + 1)]
        return [(verdict, f"{n} · {label}") for n, (verdict, label) in enumerate(VERDICT_LABELS.items(), start=1)]

    def action_pick(self, number: int) -> None:
        """Choose a value with a digit key."""
        if self.decision != "adjust":
            return
        index = number if self.kind == "item" else number - 1
        buttons = list(self.query_one("#choice", RadioSet).query(RadioButton))
        if 0 <= index < len(buttons):
            buttons[index].value = True

    def compose(self) -> ComposeResult:
        verbs = {"adjust": "Ajuster", "reject": "Rejeter", "accept": "Valider"}
        with Vertical():
            yield Static(f"{verbs[self.decision]} : {self.label}", classes="dialog-title")
            yield Static(f"Résultat automatique : {self.automatic}")
            if self.decision == "adjust":
                hint = "0 à " + str(self.max_level) if self.kind == "item" else "1, 2 ou 3"
                yield Label(f"Nouvelle valeur (touche {hint}) :")
                with RadioSet(id="choice"):
                    for value, text in self._choices():
                        selected = value == (
                            str(self.current_level) if self.kind == "item" else self.current_verdict
                        )
                        yield RadioButton(text, value=selected, name=value)
            elif self.decision == "reject":
                note = (
                    "L'item ne comptera plus dans le total." if self.kind == "item"
                    else "La règle sera tenue pour sans objet."
                )
                yield Static(note)
            required = "obligatoire" if self.decision != "accept" else "facultatif"
            yield Label(f"Motif ({required}) :")
            yield Input(value=self.reason, placeholder="Pourquoi cette décision ?", id="reason")
            yield Static("", classes="dialog-error", id="decision-error")
            with Horizontal():
                yield Button("Enregistrer", variant="primary", id="ok")
                yield Button("Annuler", id="cancel")

    def on_mount(self) -> None:
        if self.decision == "adjust":
            self.query_one("#choice", RadioSet).focus()
        else:
            self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        error = self.query_one("#decision-error", Static)
        reason = " ".join(self.query_one("#reason", Input).value.split()) or None
        level = verdict = None
        if self.decision == "adjust":
            pressed = self.query_one("#choice", RadioSet).pressed_button
            if pressed is None:
                error.update("Choisissez la nouvelle valeur.")
                return
            if self.kind == "item":
                level = int(pressed.name or 0)
            else:
                verdict = pressed.name
        if self.decision != "accept" and not reason:
            error.update("Le motif est obligatoire.")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(DecisionAnswer(self.decision, reason, level, verdict))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without deciding."""
        self.dismiss(None)
