"""The customer's mood as a gauge (hidden in exam mode)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

MOOD_MAX = 10


def mood_word(mood: int) -> str:
    """A French word for a mood from 0 (furieux) to 10 (ravi)."""
    if mood <= 1:
        return "excédé"
    if mood <= 3:
        return "agacé"
    if mood <= 5:
        return "réservé"
    if mood <= 7:
        return "bien disposé"
    if mood <= 9:
        return "satisfait"
    return "ravi"


class MoodGauge(Static):
    """« Humeur ▰▰▰▰▰▰▱▱▱▱ 6/10 », coloured (red when low, green when high); the word in the tooltip."""

    DEFAULT_CSS = """
    MoodGauge { height: 1; width: 26; padding: 0 1; background: $panel; }
    MoodGauge.-low { color: $error; }
    MoodGauge.-mid { color: $warning; }
    MoodGauge.-high { color: $success; }
    """

    mood: reactive[int | None] = reactive(None)

    def render(self) -> str:
        if self.mood is None:
            return "Humeur du client : —"
        value = max(0, min(MOOD_MAX, self.mood))
        bar = "▰" * value + "▱" * (MOOD_MAX - value)
        return f"Humeur {bar} {value}/{MOOD_MAX}"

    def watch_mood(self, mood: int | None) -> None:
        self.tooltip = f"Le client est {mood_word(mood)}." if mood is not None else None
        self.set_class(mood is not None and mood <= 3, "-low")
        self.set_class(mood is not None and 3 < mood <= 6, "-mid")
        self.set_class(mood is not None and mood > 6, "-high")
