"""The class dashboard: scores over time, most broken rules, students, complaint indicators of the ERP.

Figures come from ``trainer.reports.dashboard`` (pure) over the sessions of the period and the
company's ERP (BRIEF §5.11: complaint rate, processing time, deadlines met). Plots are drawn in the
terminal by ``trainer.tui.widgets.staff_plots``; every figure is also written as text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Select, Static

from trainer.reports.grading import format_total, percent
from trainer.tui.navigation import TrainerScreen
from trainer.tui.screens.observer import viewer_of
from trainer.tui.widgets.staff_plots import Bar, BarChart, Column, ColumnChart

PERIODS: list[tuple[str, str]] = [
    ("7 derniers jours", "7"),
    ("30 derniers jours", "30"),
    ("90 derniers jours", "90"),
    ("Depuis le début", "all"),
]
NARROW = 100


def _days(n: float | None) -> str:
    if n is None:
        return "—"
    text = f"{n:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} j"


class DashboardScreen(TrainerScreen[None]):
    """The teacher's view of the class over a period."""

    CSS_PATH = "dashboard.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "refresh", "Actualiser"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dash-top"):
            yield Select([(label, value) for label, value in PERIODS], value="30", allow_blank=False, id="dash-period")
            yield Static("Calcul…", id="dash-summary")
        with VerticalScroll(id="dash"):
            with Horizontal(classes="dash-row"):
                with Vertical(id="panel-scores", classes="panel"):
                    yield ColumnChart(id="scores-chart")
                    yield Static("", id="scores-note", classes="note")
                with Vertical(id="panel-rules", classes="panel"):
                    yield BarChart(maximum=None, empty="Aucune règle enfreinte sur la période.", id="rules-chart")
            with Horizontal(classes="dash-row"):
                with Vertical(id="panel-erp", classes="panel"):
                    yield Static("", id="erp-kpis")
                    yield BarChart(empty="Aucune réclamation sur la période.", id="categories-chart")
                with Vertical(id="panel-students", classes="panel"):
                    yield DataTable(id="students", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Tableau de bord de la classe"
        self.query_one("#panel-scores").border_title = "Scores dans le temps (moyenne par jour, sur 100)"
        self.query_one("#panel-rules").border_title = "Règles de la charte les plus enfreintes"
        self.query_one("#panel-erp").border_title = "PGI : réclamations (BRIEF §5.11)"
        self.query_one("#panel-students").border_title = "Élèves"
        table = self.query_one("#students", DataTable)
        table.add_column("Élève", key="name")
        table.add_column("Séances", key="n", width=7)
        table.add_column("Moyenne", key="mean", width=7)
        table.add_column("Dernière", key="last", width=8)
        self.query_one("#dash-period", Select).focus()
        self.action_refresh()

    def on_resize(self) -> None:
        """Two panels a row when there is room, one on a narrow terminal."""
        self.set_class(self.size.width < NARROW, "narrow")

    @on(Select.Changed, "#dash-period")
    def action_refresh(self) -> None:
        """Compute the figures again for the chosen period."""
        value = self.query_one("#dash-period", Select).value
        days = None if value == "all" or not isinstance(value, str) else int(value)
        self._load(days)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def _load(self, days: int | None) -> None:
        from trainer.reports import service

        data = service.dashboard_data(self.ctx.store(), viewer_of(self), self.ctx.today(), days)
        titles = service.scenario_titles()
        self.app.call_from_thread(self._show, data, titles)

    def _show(self, data: Any, titles: dict[str, str]) -> None:
        since = data.since.strftime("%d/%m/%Y") if data.since else "le début"
        summary = Text()
        summary.append(f"Du {since} au {data.today.strftime('%d/%m/%Y')} : ")
        summary.append(f"{data.sessions} séance{'s' if data.sessions > 1 else ''} terminée{'s' if data.sessions > 1 else ''}", style="bold")
        summary.append(f" · moyenne {format_total(data.mean_total)}/100 · {len(data.students)} élève{'s' if len(data.students) > 1 else ''}")
        self.query_one("#dash-summary", Static).update(summary)

        self.query_one("#scores-chart", ColumnChart).set_columns(
            [Column(day.day.strftime("%d/%m"), day.mean, day.sessions) for day in data.days]
        )
        if data.days:
            best = max(data.days, key=lambda d: d.mean)
            last = data.days[-1]
            self.query_one("#scores-note", Static).update(
                f"Dernier jour ({last.day.strftime('%d/%m')}) : {format_total(last.mean)} sur {last.sessions} séance{'s' if last.sessions > 1 else ''} · "
                f"meilleur jour : {best.day.strftime('%d/%m')} ({format_total(best.mean)})"
            )
        else:
            self.query_one("#scores-note", Static).update("")

        self.query_one("#rules-chart", BarChart).set_bars(
            [
                Bar(rule.label, rule.violated, f"{rule.violated}/{rule.applicable} ({percent(rule.rate)})")
                for rule in data.rules[:8]
            ]
        )

        k = data.kpis
        kpis = Text()
        kpis.append("Taux de réclamations : ", style="bold")
        if k.complaint_rate is None:
            kpis.append(f"{k.complaints} réclamation{'s' if k.complaints > 1 else ''}, aucune commande sur la période\n")
        else:
            rate = f"{k.complaint_rate:.1f}".replace(".", ",")
            kpis.append(f"{rate} pour 100 commandes ({k.complaints} réclamation{'s' if k.complaints > 1 else ''} / {k.orders} commande{'s' if k.orders > 1 else ''})\n")
        kpis.append("Délai de traitement : ", style="bold")
        kpis.append(f"moyenne {_days(k.mean_days)}, médiane {_days(k.median_days)} ({k.answered} réponse{'s' if k.answered > 1 else ''})\n")
        kpis.append("Délais tenus : ", style="bold")
        kpis.append(f"{k.deadlines_met}/{k.deadlines_due} ({percent(k.deadlines_met_rate)})\n")
        kpis.append("En retard aujourd'hui : ", style="bold")
        kpis.append(f"{k.late_open} réclamation{'s' if k.late_open > 1 else ''} ouverte{'s' if k.late_open > 1 else ''}", style="bold red" if k.late_open else "")
        self.query_one("#erp-kpis", Static).update(kpis)
        from trainer.domain.complaints import CATEGORY_LABELS

        self.query_one("#categories-chart", BarChart).set_bars(
            [Bar(CATEGORY_LABELS.get(cat, cat), n, str(n)) for cat, n in k.by_category.items()]
        )

        table = self.query_one("#students", DataTable)
        table.clear()
        for line in data.students:
            table.add_row(
                line.name,
                Text(str(line.sessions), justify="right"),
                Text(format_total(line.mean), justify="right"),
                Text(format_total(line.last), justify="right"),
                key=line.student,
            )

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()
