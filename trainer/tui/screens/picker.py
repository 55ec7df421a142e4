"""The scenario picker: filters (company, kind, difficulty), the list, and the role card."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Footer, Header, OptionList, Select, Static
from textual.widgets.option_list import Option

from trainer.tui.navigation import TrainerScreen

if TYPE_CHECKING:  # pragma: no cover
    from trainer.content.scenarios import Scenario

KIND_LABELS: dict[str, str] = {
    "commande": "Commande",
    "reclamation": "Réclamation",
    "relance": "Relance",
    "information": "Information",
    "filtrage": "Filtrage",
    "rappel": "Rappel",
    "reservation": "Réservation",
    "invitation": "Invitation",
    "avis": "Avis client",
}
DIFFICULTY_LABELS: dict[int, str] = {1: "facile", 2: "moyen", 3: "difficile"}
DIRECTION_LABELS: dict[str, str] = {
    "incoming": "appel entrant (le client vous appelle)",
    "outgoing": "appel sortant (vous appelez)",
}


def kind_label(kind: str) -> str:
    """The French label of a scenario kind."""
    return KIND_LABELS.get(kind, kind.capitalize())


@dataclass
class Catalogue:
    """What the picker shows: valid scenarios, company names, and the files that failed to load."""

    scenarios: list[Any] = field(default_factory=list)
    company_names: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_catalogue() -> Catalogue:
    """Every scenario that loads; a broken file is listed in ``problems`` instead of hiding the rest."""
    from trainer.content.scenarios import load_scenario_file, scenario_files
    from trainer.errors import UserError

    result = Catalogue()
    for path in scenario_files():
        try:
            result.scenarios.append(load_scenario_file(path))
        except UserError as exc:
            result.problems.append(str(exc))
    result.scenarios.sort(key=lambda s: (s.company, s.difficulty, s.kind, s.title))
    for company in sorted({s.company for s in result.scenarios}):
        result.company_names[company] = company_display_name(company)
    return result


def company_display_name(company_id: str) -> str:
    """The company's name from its reference data (« GENERIK »), else its id in capitals."""
    try:
        from trainer.content.company import load_company

        return load_company(company_id).facts.name
    except Exception:  # noqa: BLE001 - a company without reference data still shows its scenarios
        return company_id.upper()


def role_card_markup(scenario: Scenario, company_name: str) -> str:
    """The « fiche de rôle » of a scenario as Rich markup."""
    card = scenario.role_card
    parts = [
        f"[b $accent]{escape(scenario.title)}[/]",
        f"[dim]{escape(company_name)} · {kind_label(scenario.kind)} · "
        f"{DIRECTION_LABELS.get(scenario.direction, scenario.direction)} · "
        f"{DIFFICULTY_LABELS.get(scenario.difficulty, '')}[/dim]",
        "",
        escape(card.situation),
    ]
    if scenario.direction == "outgoing":
        persona = scenario.persona
        who = persona.civ_name + (f", {persona.company}" if persona.company else "")
        parts += ["", f"[b]Vous appelez :[/b] {escape(who)}"]
    for title, items in (
        ("Documents à votre disposition", card.documents),
        ("Consignes", card.instructions),
        ("Objectifs", card.objectives),
    ):
        if items:
            parts += ["", f"[b]{title}[/b]"]
            parts += [f" • {escape(item)}" for item in items]
    return "\n".join(parts)


class PickerScreen(TrainerScreen[None]):
    """Choose a scenario, read its role card, take the call."""

    CSS_PATH = "picker.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "take_call", "Prendre l'appel"),
        Binding("ctrl+e", "toggle('#exam')", "Mode examen", show=False),
        Binding("ctrl+v", "toggle('#voice')", "Voix", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalogue = Catalogue()
        self.shown: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select[str]([], prompt="Entreprise : toutes", id="filter-company", compact=True)
            yield Select[str](
                [(label, kind) for kind, label in KIND_LABELS.items()],
                prompt="Type : tous",
                id="filter-kind",
                compact=True,
            )
            yield Select[int](
                [(label.capitalize(), level) for level, label in DIFFICULTY_LABELS.items()],
                prompt="Difficulté : toutes",
                id="filter-difficulty",
                compact=True,
            )
        with Horizontal(id="picker-main"):
            yield OptionList(id="scenario-list")
            with VerticalScroll(id="role-card"):
                yield Static("Chargement des scénarios…", id="role-card-text")
        with Horizontal(id="call-options"):
            yield Checkbox("Mode examen (humeur masquée)", id="exam", compact=True)
            yield Checkbox("Voix", id="voice", compact=True)
            yield Static("Entrée : prendre l'appel", id="start-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scenario-list", OptionList).border_title = "Scénarios"
        self.query_one("#role-card", VerticalScroll).border_title = "Fiche de rôle"
        self.query_one("#exam", Checkbox).value = self.ctx.exam_mode
        self.query_one("#voice", Checkbox).value = self.ctx.voice
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker-load")
    def _load(self) -> None:
        catalogue = load_catalogue()
        self.app.call_from_thread(self._loaded, catalogue)

    def _loaded(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        companies = self.query_one("#filter-company", Select)
        companies.set_options([(name, cid) for cid, name in catalogue.company_names.items()])
        for problem in catalogue.problems:
            self.notify(problem, title="Scénario ignoré", severity="warning", timeout=20)
        self._refresh_list()
        self.query_one("#scenario-list", OptionList).focus()

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self._refresh_list()

    def _filter_value(self, selector: str) -> Any:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def _refresh_list(self) -> None:
        company = self._filter_value("#filter-company")
        kind = self._filter_value("#filter-kind")
        difficulty = self._filter_value("#filter-difficulty")
        self.shown = [
            s
            for s in self.catalogue.scenarios
            if (company is None or s.company == company)
            and (kind is None or s.kind == kind)
            and (difficulty is None or s.difficulty == difficulty)
        ]
        options = self.query_one("#scenario-list", OptionList)
        options.clear_options()
        for scenario in self.shown:
            meta = f"{kind_label(scenario.kind)} · {DIFFICULTY_LABELS.get(scenario.difficulty, '')}"
            if scenario.direction == "outgoing":
                meta += " · sortant"
            options.add_option(Option(f"{escape(scenario.title)}\n[dim]{meta}[/dim]", id=scenario.id))
        if self.shown:
            options.highlighted = 0
            self._show_card(self.shown[0])
        else:
            text = "Aucun scénario ne correspond à ces filtres."
            if not self.catalogue.scenarios:
                text = "Aucun scénario n'est installé (dossier scenarios/)."
            self.query_one("#role-card-text", Static).update(text)

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        scenario = self._scenario(event.option.id)
        if scenario is not None:
            self._show_card(scenario)

    def _scenario(self, scenario_id: str | None) -> Any:
        return next((s for s in self.shown if s.id == scenario_id), None)

    def _show_card(self, scenario: Any) -> None:
        name = self.catalogue.company_names.get(scenario.company, scenario.company.upper())
        self.query_one("#role-card-text", Static).update(role_card_markup(scenario, name))
        self.query_one("#role-card", VerticalScroll).scroll_home(animate=False)

    @property
    def selected(self) -> Any:
        """The highlighted scenario, or None."""
        options = self.query_one("#scenario-list", OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self._scenario(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#scenario-list")
    def action_take_call(self) -> None:
        """Open the call desk on the highlighted scenario."""
        scenario = self.selected
        if scenario is None:
            self.notify("Choisissez d'abord un scénario.", severity="warning")
            return
        self.ctx.exam_mode = self.query_one("#exam", Checkbox).value
        self.ctx.voice = self.query_one("#voice", Checkbox).value
        from trainer.tui.screens.call_desk import CallDeskScreen

        self.app.push_screen(CallDeskScreen(scenario.id))

    def action_toggle(self, selector: str) -> None:
        """Tick or untick an option checkbox."""
        box = self.query_one(selector, Checkbox)
        box.value = not box.value

    def action_back(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()
