"""The phone: ringing (with the ring count), on line, or hung up."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from trainer.tui.widgets.conversation import format_t


def rings_label(count: int) -> str:
    """« 1 sonnerie », « 2 sonneries »."""
    return f"{count} sonnerie" if count <= 1 else f"{count} sonneries"


class RingIndicator(Static):
    """Shows the state of the line; ``rings`` is counted by the call desk in real time."""

    DEFAULT_CSS = """
    RingIndicator {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    RingIndicator.-ringing { background: $accent; color: $background; text-style: bold; }
    RingIndicator.-ringing.-flash { background: $accent-darken-2; }
    RingIndicator.-ended { background: $surface; color: $text-muted; }
    """

    state: reactive[str] = reactive("idle")
    """``idle``, ``ringing`` (incoming), ``dialing`` (outgoing), ``online``, ``ended``."""
    rings: reactive[int] = reactive(0)
    elapsed: reactive[float] = reactive(0.0)
    pickup_key: str = "Entrée"

    def render(self) -> str:
        if self.state == "ringing":
            return f"☎  Ça sonne ! {rings_label(self.rings)} — {self.pickup_key} : décrocher"
        if self.state == "dialing":
            return f"☎  Numérotation… {rings_label(self.rings)}"
        if self.state == "online":
            return f"☎  En ligne — {format_t(self.elapsed)}"
        if self.state == "ended":
            return f"☎  Appel terminé — durée {format_t(self.elapsed)}"
        return "☎  Prêt"

    def watch_state(self, state: str) -> None:
        self.set_class(state in {"ringing", "dialing"}, "-ringing")
        self.set_class(state == "ended", "-ended")

    def watch_rings(self, rings: int) -> None:
        # A visible pulse on each ring, for terminals without sound.
        self.set_class(rings % 2 == 0, "-flash")
