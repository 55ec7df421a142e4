"""Call desk: a satisfaction callback closes (or revises) the complaint on file from the ERP panel."""

from __future__ import annotations

from test_call_desk import _choose, _open_call, _paste
from textual.widgets import Static, TabbedContent

from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser

SCENARIO = "generik-rappel-satisfaction"


async def _follow_up(pilot, app, wait, desk, answer: str, search: str, action: str | None = None) -> str:
    desk.query_one("#erp-tabs", TabbedContent).active = "erp-complaint"
    await pilot.pause()
    await _choose(pilot, desk, "#fu-answer", search, answer)
    if action is not None:
        await _paste(pilot, desk, "#fu-action", action)
    desk.query_one("#fu-save").focus()
    await pilot.press("enter")
    await wait(app, pilot)
    return str(desk.query_one("#follow-up-preview", Static).render())


async def test_a_satisfied_customer_closes_her_complaint(seeded_url, fixed_clock, wait_for_workers) -> None:
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers, SCENARIO)
        preview = await _follow_up(pilot, app, wait_for_workers, desk, "oui", "oui")
        # The complaint of the client called, found on file, is shown with its new status.
        assert "REC-" in preview and "Nouveau statut" in preview
        assert "clôtur" in preview.lower()
        assert "CLI-00042" in str(desk.query_one("#erp-status", Static).render())
        follow_up = desk.session.erp.draft.follow_up
        assert follow_up is not None and follow_up.satisfied is True


async def test_an_unsatisfied_customer_gets_a_revised_action(seeded_url, fixed_clock, wait_for_workers) -> None:
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers, SCENARIO)
        preview = await _follow_up(
            pilot, app, wait_for_workers, desk, "non", "non", action="renvoi des tubes en colissimo suivi"
        )
        assert "renvoi des tubes en colissimo suivi" in preview and "Délai client" in preview
        follow_up = desk.session.erp.draft.follow_up
        assert follow_up is not None and follow_up.satisfied is False


async def test_an_empty_required_field_is_named_by_its_label(seeded_url, fixed_clock, wait_for_workers) -> None:
    """Found by hand at 80×24: an empty form answered with the script language (« /reclamation : argument
    categorie manquant … exemple : /reclamation categorie=… »)."""
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers, SCENARIO)
        # Keyboard only: F4 reaches the ERP tabs, the arrows change tab.
        await pilot.press("f4", "right", "right")
        assert desk.query_one("#erp-tabs", TabbedContent).active == "erp-complaint"
        desk.query_one("#cp-save").focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        error = str(desk.query_one("#erp-error", Static).render())
        assert error == "Renseignez le champ « Catégorie »."
        assert desk.query_one("#cp-category").has_focus
        assert desk.session.erp.draft.complaint is None
