"""The ERP screens: clients (search), late complaints stand out, reminders due, aged balance, client file;
and the class dashboard's ERP indicators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until
from textual.widgets import DataTable, Static, TabbedContent

from trainer.domain.complaints import open_complaint
from trainer.domain.contacts import ContactLogEntry
from trainer.store import open_store
from trainer.store import repositories as repo
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.dashboard import DashboardScreen
from trainer.tui.screens.erp import ClientFileScreen, ErpScreen
from trainer.tui.widgets.staff_sessions import SessionTable

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
CLIENT = "CLI-00001"


pytestmark = pytest.mark.usefixtures("staff_test_grid")



def add_erp_history(store) -> tuple:
    """Two complaints on CLI-00001 (one late, one not) and a call written on the client file."""
    alice = add_finished_session(store, student="alice", display_name="Alice Martin",
                                 started_at=FIXED_NOW - timedelta(days=1), score=make_score())
    bruno = add_finished_session(store, student="bruno", display_name="Bruno Petit",
                                 started_at=FIXED_NOW - timedelta(hours=3), score=make_score({"anticiper": 0}))
    with store.unit_of_work() as db:
        client = repo.find_client(db, number=CLIENT)
        late = open_complaint(category="livraison_avarie", received_at=FIXED_NOW - timedelta(days=10),
                              channel="telephone", client_name=client.name, client_number=CLIENT,
                              client_company=client.company, facts="Trois tubes écrasés dans le colis.")
        fresh = open_complaint(category="technique_qualite", received_at=FIXED_NOW - timedelta(hours=1),
                               channel="telephone", client_name=client.name, client_number=CLIENT,
                               client_company=client.company, facts="La nuance 6.4 ne tient pas.")
        late = repo.create_complaint(db, complaint=late, company_id="generik", now=FIXED_NOW - timedelta(days=10),
                                     session_id=alice)
        fresh = repo.create_complaint(db, complaint=fresh, company_id="generik", now=FIXED_NOW, session_id=bruno)
        repo.log_contact(db, entry=ContactLogEntry(client_number=CLIENT, at=FIXED_NOW - timedelta(days=1),
                                                   channel="telephone", direction="entrant", purpose="reclamation",
                                                   summary="Colis abîmé : réclamation enregistrée", by="Alice Martin",
                                                   reference=late.number), session_id=alice)
    return alice, bruno, late, fresh


async def show_tab(pilot, tabs: TabbedContent, pane_id: str) -> None:
    """Click the tab's label, as a user does (setting ``active`` while the focus is in another pane
    would be undone: a TabbedContent shows the pane that holds the focus)."""
    await pilot.click(f"#--content-tab-{pane_id}")
    await until(pilot, lambda: tabs.active == pane_id)
    await pilot.pause()


def _cells(table: DataTable, row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_erp_lists_and_the_late_complaint_stands_out(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    _, _, late, fresh = add_erp_history(store)
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Alice Martin"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("pgi")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, ErpScreen)
        clients = screen.query_one("#clients", DataTable)
        await until(pilot, lambda c=clients: c.row_count > 20)
        assert _cells(clients, 0)[:2] == ["CLI-00001", "Salon Nathalie B."]
        await pilot.press(*"bordeaux")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: 0 < clients.row_count < 10)
        assert {_cells(clients, i)[4] for i in range(clients.row_count)} == {"Bordeaux"}

        tabs = screen.query_one("#erp-tabs", TabbedContent)
        await show_tab(pilot, tabs, "tab-complaints")
        complaints = screen.query_one("#complaints", DataTable)
        # Columns refit to the width once the tab shows (they were sized while it was hidden).
        await until(pilot, lambda: any(_cells(complaints, i)[2] == "Salon Nathalie B." for i in range(complaints.row_count)))
        rows = {str(complaints.get_row_at(i)[0]): complaints.get_row_at(i) for i in range(complaints.row_count)}
        first = complaints.get_row_at(0)  # the late one first
        assert str(first[0]) == late.number and "⚠" in str(first[5]) and " j" in str(first[5])
        assert "red" in str(first[0].style) and "red" in str(first[4].style)
        fresh_row = rows[fresh.number]
        assert str(fresh_row[5]) == "" and "red" not in str(fresh_row[0].style)
        assert str(fresh_row[3]) == "technique : qualité"
        assert "1 réclamation en retard" in str(screen.query_one("#complaints-note", Static).render())

        await show_tab(pilot, tabs, "tab-reminders")
        reminders = screen.query_one("#reminders", DataTable)
        assert reminders.row_count == 5
        assert all(_cells(reminders, i)[0].startswith("FAC-") for i in range(5))
        assert "5 relances à faire aujourd'hui" in str(screen.query_one("#reminders-note", Static).render())

        await show_tab(pilot, tabs, "tab-balance")
        balance = screen.query_one("#balance", DataTable)
        assert _cells(balance, balance.row_count - 1)[0] == "Total"
        assert _cells(balance, balance.row_count - 1)[-1].replace("\u202f", " ") == "10 039,40\u00a0€".replace("\u202f", " ")


async def test_client_file_with_its_history_of_calls(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    alice, bruno, late, _ = add_erp_history(store)
    for user, expected in ((TEACHER, {alice, bruno}), (CurrentUser.student("alice"), {alice})):
        app = make_app(seeded_url, clock=fixed_clock, user=user)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_workers(app, pilot)
            app.open_destination("pgi")
            await wait_for_workers(app, pilot)
            clients = app.screen.query_one("#clients", DataTable)
            await until(pilot, lambda c=clients: c.row_count > 20)
            clients.focus()
            await pilot.press("enter")
            await until(pilot, lambda a=app: isinstance(a.screen, ClientFileScreen))
            screen = app.screen
            await wait_for_workers(app, pilot)
            card = str(screen.query_one("#client-card", Static).render())
            assert CLIENT in card and "Nathalie Berthelot" in card and "comptant" in card
            history = screen.query_one("#history", DataTable)
            await until(pilot, lambda h=history: h.row_count >= 1)
            rows = [_cells(history, i) for i in range(history.row_count)]
            call = next(r for r in rows if r[3].startswith("Colis abîmé"))
            assert call[1] == "téléphone ☎" and call[2] == "réclamation"
            calls = screen.query_one("#calls", SessionTable)
            assert {s.id for s in calls._order} == expected
            complaints = screen.query_one("#client-complaints", DataTable)
            assert str(complaints.get_row_at(0)[0]) == late.number


async def test_dashboard_shows_scores_rules_and_erp_indicators(seeded_url, fixed_clock, wait_for_workers) -> None:
    from trainer.reports.service import dashboard_data
    from trainer.store.staff import Viewer

    store = open_store(seeded_url)
    # The seeded ERP already holds complaints and orders: the screen must show them plus ours.
    seeded = dashboard_data(store, Viewer(username=TEACHER.username, role="teacher"), FIXED_NOW.date()).kpis
    add_erp_history(store)
    add_finished_session(store, student="alice", display_name="Alice Martin",
                         started_at=FIXED_NOW - timedelta(days=3),
                         score=make_score({"respecter_charte": 1}, {"accueil.vouvoiement", "echange.langage_soigne"}))
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("tableau_de_bord")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        summary = screen.query_one("#dash-summary", Static)
        await until(pilot, lambda: "séances terminées" in str(summary.render()))
        assert "3 séances terminées" in str(summary.render()) and "2 élèves" in str(summary.render())
        assert [c.label for c in screen.query_one("#scores-chart").columns] == ["20/11", "22/11", "23/11"]
        bars = screen.query_one("#rules-chart").bars
        assert [(b.label, b.text) for b in bars] == [
            ("Vouvoyer l'appelant", "1/3 (33\u00a0%)"),
            ("Utiliser un langage soigné et poli", "1/3 (33\u00a0%)"),
        ]
        kpis = str(screen.query_one("#erp-kpis", Static).render())
        assert f"({seeded.complaints + 2} réclamations / {seeded.orders} commande" in kpis
        assert "pour 100 commandes" in kpis
        late = seeded.late_open + 1
        assert f"En retard aujourd'hui : {late} réclamation{'s' if late > 1 else ''} ouverte" in kpis
        bars = {b.label: b.value for b in screen.query_one("#categories-chart").bars}
        assert bars["livraison : avarie"] == seeded.by_category.get("livraison_avarie", 0) + 1
        assert bars["réclamation technique : qualité des produits"] == seeded.by_category.get("technique_qualite", 0) + 1
        students = screen.query_one("#students", DataTable)
        assert [str(students.get_row_at(i)[0]) for i in range(students.row_count)] == ["Alice Martin", "Bruno Petit"]


async def test_the_dashboard_is_the_teachers(seeded_url, fixed_clock, wait_for_workers) -> None:
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Alice"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("tableau_de_bord")
        await wait_for_workers(app, pilot)
        assert not isinstance(app.screen, DashboardScreen)
