"""The drawer of the call desk: the reception charter and the catalogue, at hand during a call.

The charter is data (``charte_generik.yaml`` beside this module, Doc 5 of the GENERIK case); a
company may provide its own in ``scenarios/<company>/reference/charter.yaml`` (same format).
The catalogue, the promotion and the terms of payment come from the company's reference data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from trainer.domain.money import format_eur
from trainer.tui.navigation import TrainerModal

DEFAULT_CHARTER = Path(__file__).resolve().parent / "charte_generik.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CharterPhase(_Model):
    title: str
    items: list[str] = Field(min_length=1)


class AvoidSay(_Model):
    avoid: str
    instead: str


class Charter(_Model):
    """A reception charter: phases with their items, and the « Évitez de dire » table."""

    version: int = Field(ge=1, le=1)
    title: str
    preamble: str | None = None
    phases: list[CharterPhase] = Field(min_length=1)
    avoid_say: list[AvoidSay] = Field(default_factory=list)


def load_charter(company_id: str | None) -> tuple[Charter, bool]:
    """The company's charter (``True``), or the GENERIK one when it has none (``False``)."""
    from trainer.content.yamlio import load_yaml
    from trainer.paths import scenarios_dir

    if company_id:
        own = scenarios_dir() / company_id / "reference" / "charter.yaml"
        if own.is_file():
            return load_yaml(own, Charter), True
    return load_yaml(DEFAULT_CHARTER, Charter), company_id in (None, "generik")


def charter_markup(charter: Charter, own: bool) -> str:
    """The charter as Rich markup."""
    parts: list[str] = [f"[b $accent]{escape(charter.title)}[/]"]
    if not own:
        parts.append("[dim]Cette entreprise n'a pas de charte propre : celle de GENERIK sert de référence.[/dim]")
    if charter.preamble:
        parts += ["", f"[i]{escape(charter.preamble)}[/i]"]
    for number, phase in enumerate(charter.phases, start=1):
        parts += ["", f"[b]{number}. {escape(phase.title)}[/b]"]
        parts += [f" • {escape(item)}" for item in phase.items]
    if charter.avoid_say:
        parts += ["", "[b]Évitez de dire → Dites plutôt[/b]"]
        parts += [f" ✗ {escape(row.avoid)}\n   ✓ {escape(row.instead)}" for row in charter.avoid_say]
    return "\n".join(parts)


def catalogue_markup(company: Any, today: date) -> str:
    """Products with their unit price HT, the promotion in force, the terms of payment, as markup."""
    from trainer.domain.clients import Segment, payment_terms_for
    from trainer.domain.promotions import best_promotion

    parts: list[str] = [f"[b $accent]Catalogue {escape(company.facts.name)}[/]"]
    catalogue = company.catalogue
    if catalogue is None:
        return "\n".join([*parts, "Cette entreprise ne vend pas de produits sur catalogue."])
    for product in catalogue.products:
        promo = best_promotion(list(company.promotions), product.reference, today)
        mark = " [b $accent]promo[/]" if promo else ""
        shades = ""
        if product.shade_chart:
            shades = f" — {len(catalogue.shades_for(product.reference))} nuances"
        parts.append(
            f" {escape(product.reference)}  {escape(product.label)}\n"
            f"    {format_eur(product.unit_price_ht)} HT{shades}{mark}"
        )
    active = [p for p in company.promotions if p.is_active(today)]
    if active:
        parts += ["", "[b]Promotion du mois[/b]"]
        for promo in active:
            parts.append(f" {escape(promo.label)}")
            parts.append(f" Paliers : {escape(promo.describe())} (toutes nuances confondues)")
    segments = sorted({c.segment for c in company.clients} | {Segment.SALON_INDEPENDANT, Segment.GROSSISTE})
    parts += ["", "[b]Conditions de paiement[/b]"]
    for segment in segments:
        parts.append(f" {escape(Segment(segment).label)} : {escape(payment_terms_for(segment).label)}")
    parts += ["", "[b]TVA[/b] 20 % sur le total HT ; livraison DPD en 24 h."]
    return "\n".join(parts)


def shades_markup(company: Any) -> str:
    """The shade chart of the colour creams (code and name), as markup."""
    catalogue = company.catalogue
    if catalogue is None:
        return "Pas de nuancier."
    shaded = [p for p in catalogue.products if p.shade_chart]
    if not shaded:
        return "Pas de nuancier."
    product = shaded[0]
    names = ", ".join(escape(p.label) for p in shaded)
    parts = [f"[b $accent]Nuancier[/] — {names}"]
    parts += [f" {s.code:>6}  {escape(s.name)}" for s in catalogue.shades_for(product.reference)]
    return "\n".join(parts)


class DrawerScreen(TrainerModal[None]):
    """Charter, catalogue and shade chart in tabs, slid over the right of the call desk.

    A modal screen rather than a docked panel: it never squeezes the desk, whatever the width of
    the terminal; F3 or Échap closes it and the call goes on where it was.
    """

    DEFAULT_CSS = """
    DrawerScreen { align: right top; }
    DrawerScreen > Vertical {
        width: 64;
        max-width: 90%;
        height: 100%;
        background: $surface;
        border-left: thick $accent;
    }
    DrawerScreen #drawer-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    DrawerScreen VerticalScroll { padding: 0 1; }
    DrawerScreen TabbedContent { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Fermer"),
        Binding("f3", "close", "Fermer", show=False),
    ]

    def __init__(self, charter: str, catalogue: str, shades: str) -> None:
        super().__init__()
        self.texts = (charter, catalogue, shades)

    def compose(self) -> ComposeResult:
        charter, catalogue, shades = self.texts
        with Vertical():
            yield Static("Charte et catalogue — Échap ou F3 pour revenir à l'appel", id="drawer-title")
            with TabbedContent(id="drawer-tabs"):
                with TabPane("Charte", id="tab-charte"), VerticalScroll():
                    yield Static(charter, id="drawer-charter")
                with TabPane("Catalogue", id="tab-catalogue"), VerticalScroll():
                    yield Static(catalogue, id="drawer-catalogue")
                with TabPane("Nuancier", id="tab-nuancier"), VerticalScroll():
                    yield Static(shades, id="drawer-shades")

    def on_mount(self) -> None:
        self.query_one("#drawer-tabs", TabbedContent).focus()

    def action_close(self) -> None:
        """Back to the call."""
        self.dismiss(None)
