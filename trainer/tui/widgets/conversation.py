"""The conversation of a call, turn by turn, with time stamps; a turn can be highlighted (evidence)."""

from __future__ import annotations

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

SPEAKER_LABELS = {"student": "Vous", "customer": "Client", "system": "—"}


def format_t(t: float | None) -> str:
    """Seconds since the phone started ringing, as ``mm:ss`` (``--:--`` when unknown)."""
    if t is None:
        return "--:--"
    seconds = max(0, int(round(t)))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class TurnView(Static):
    """One turn: time stamp, speaker, text."""

    def __init__(self, index: int, speaker: str, text: str, t: float | None, *, label: str | None = None) -> None:
        self.index = index
        self.speaker = speaker
        self.text = text
        self.t = t
        who = label or SPEAKER_LABELS.get(speaker, speaker)
        stamp = format_t(t)
        if speaker == "system":
            # Muted by the CSS class (not by markup): a highlighted turn must stay readable.
            body = f"{stamp}  #{index}  [i]{escape(text)}[/i]"
        else:
            body = f"[dim]{stamp}  #{index}[/dim]  [b]{escape(who)}[/b] : {escape(text)}"
        super().__init__(body, id=f"turn-{index}", classes=f"turn turn-{speaker}", markup=True)


class ConversationLog(VerticalScroll):
    """The turns of a call; follows the last one; ``highlight(i)`` scrolls to turn ``i``."""

    DEFAULT_CSS = """
    ConversationLog {
        height: 1fr;
        border: round $primary;
        border-title-color: $accent;
        padding: 0 1;
    }
    ConversationLog > .turn { height: auto; margin-bottom: 0; }
    ConversationLog > .turn-student { color: $text; }
    ConversationLog > .turn-customer { color: $text; background: $boost; }
    ConversationLog > .turn-system { color: $text-muted; }
    ConversationLog > .highlight { background: $accent 30%; color: $text; text-style: bold; }
    """

    can_focus = True

    def __init__(self, *, id: str | None = None, customer_label: str = "Client") -> None:
        super().__init__(id=id)
        self.customer_label = customer_label
        self.border_title = "Conversation"
        self._count = 0
        self._target: int | None = None
        """The turn to keep in view (None: the last one)."""
        self._scroll_pending = False

    @property
    def turn_count(self) -> int:
        """How many turns are shown."""
        return self._count

    def _view(self, index: int, speaker: str, text: str, t: float | None) -> TurnView:
        label = self.customer_label if speaker == "customer" else None
        return TurnView(index, speaker, text, t, label=label)

    def add_turn(self, index: int, speaker: str, text: str, t: float | None) -> TurnView:
        """Append one turn and keep the last one in view."""
        view = self._view(index, speaker, text, t)
        self.mount(view)
        self._count += 1
        self._scroll_to_target(None)
        return view

    def set_turns(self, turns: list[dict]) -> None:
        """Replace the content with ``turns`` (transcript dicts: speaker, text, t); shows the last one."""
        self.remove_children()
        views = [
            self._view(index, turn.get("speaker", "system"), turn.get("text", ""), turn.get("t"))
            for index, turn in enumerate(turns)
        ]
        self.mount_all(views)
        self._count = len(views)
        self._scroll_to_target(None)

    def highlight(self, index: int) -> bool:
        """Highlight turn ``index`` (and only it) and scroll to it; False when there is no such turn."""
        for view in self.query(TurnView):
            view.set_class(view.index == index, "highlight")
        found = self.query(f"#turn-{index}")
        if not found:
            return False
        self._scroll_to_target(index)
        return True

    def _scroll_to_target(self, target: int | None) -> None:
        """Scroll to turn ``target`` (None: the last turn) once the turns just mounted are laid out.

        One target at a time: the last request wins, whatever order the refreshes come in.
        """
        self._target = target
        if not self._scroll_pending:
            self._scroll_pending = True
            # Two refreshes: the first mounts the turns, the second lays them out.
            self.call_after_refresh(self.call_after_refresh, self._apply_scroll)

    def _apply_scroll(self) -> None:
        self._scroll_pending = False
        found = self.query(f"#turn-{self._target}") if self._target is not None else None
        if found:
            self.scroll_to_widget(found.first(), animate=False, top=True, immediate=True)
        else:
            self.scroll_end(animate=False, immediate=True)
