"""The GENERIK colours as Textual themes (BRIEF §1.7: violet RVB 60/26/86, orange RVB 255/153/51).

Two themes share the brand's two colours. The dark one is the default; the light one is for
classrooms whose terminals have a white background. The pure brand violet is too dark to read on a
dark background, so the dark theme keeps it for panels and surfaces and uses a lighter tint of the
same hue for focus and borders; the orange is the accent in both (highlights, the ringing phone).
"""

from __future__ import annotations

from textual.theme import Theme

BRAND_VIOLET = "#3C1A56"
"""Doc 3: "Rouge 60, Vert 26, Bleu 86"."""
BRAND_ORANGE = "#FF9933"
"""Doc 3: "Rouge 255, Vert 153, Bleu 51"."""

DARK_THEME_NAME = "generik-sombre"
LIGHT_THEME_NAME = "generik-clair"

GENERIK_DARK = Theme(
    name=DARK_THEME_NAME,
    primary="#8E5CB8",  # the brand violet lightened: readable borders and focus on a dark screen
    secondary=BRAND_VIOLET,
    accent=BRAND_ORANGE,
    warning=BRAND_ORANGE,
    error="#E5484D",
    success="#46A758",
    foreground="#EDE6F3",
    background="#150A1F",
    surface="#21112F",
    panel=BRAND_VIOLET,
    dark=True,
    variables={
        "footer-key-foreground": BRAND_ORANGE,
        "input-selection-background": "#8E5CB8 40%",
        "block-cursor-background": BRAND_VIOLET,
        "block-cursor-foreground": "#FFFFFF",
    },
)

GENERIK_LIGHT = Theme(
    name=LIGHT_THEME_NAME,
    primary=BRAND_VIOLET,
    secondary="#6B3F8F",
    # Orange text on white is hard to read (contrast 2:1); the light theme uses a darker orange of
    # the same hue for the accent so that highlighted words stay legible.
    accent="#C25E00",
    warning="#C25E00",
    error="#C62828",
    success="#2E7D32",
    foreground="#1F1029",
    background="#FBF8FD",
    surface="#F1EAF6",
    panel="#E4D6EE",
    dark=False,
    variables={
        "footer-key-foreground": BRAND_VIOLET,
        "block-cursor-background": BRAND_VIOLET,
        "block-cursor-foreground": "#FFFFFF",
    },
)

THEMES: tuple[Theme, ...] = (GENERIK_DARK, GENERIK_LIGHT)
