"""Whole calls driven with the keyboard: from the ring to the records in the shared database.

The two whole calls (an order, a complaint) replay a good student's lines and the ERP entries a
receptionist makes; each takes a while on a 2-core machine (Textual redraws a busy screen after
every turn), hence the ``slow`` mark: ``make test`` runs them, ``pytest -m "not slow"`` skips them.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static, TabbedContent

from trainer.store import open_store
from trainer.store import repositories as repo
from trainer.store.tables import CallSessionRow
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.call_desk import CallDeskScreen
from trainer.tui.widgets.conversation import ConversationLog, TurnView
from trainer.tui.widgets.ring import RingIndicator

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "scripts"


def _speech(scenario_id: str, name: str = "good.txt") -> list[str]:
    lines = (GOLDEN / scenario_id / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith(("#", "/"))]


async def _open_call(app, pilot, wait, scenario_id: str) -> CallDeskScreen:
    """Home → picker → choose the scenario with the arrows → F5: the phone rings."""
    app.open_destination("nouvel_appel")
    await wait(app, pilot)
    picker = app.screen
    options = picker.query_one("#scenario-list", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert scenario_id in ids
    options.focus()
    for _ in range(ids.index(scenario_id)):
        await pilot.press("down")
    await pilot.press("f5")
    await wait(app, pilot)
    desk = app.screen
    assert isinstance(desk, CallDeskScreen)
    return desk


async def _say(pilot, wait, app, desk: CallDeskScreen, text: str) -> None:
    say = desk.query_one("#say", Input)
    say.focus()
    say.value = text  # typed (or pasted) in the input line
    await pilot.press("enter")
    await wait(app, pilot)


async def _type_in(pilot, desk, selector: str, text: str) -> None:
    desk.query_one(selector, Input).focus()
    await pilot.press(*["space" if char == " " else char for char in text])


async def _choose(pilot, desk, selector: str, search: str, value: str) -> None:
    # A Select is driven with the keyboard: Enter opens it, typing jumps to a match, Enter chooses.
    select_widget = desk.query_one(selector, Select)
    select_widget.focus()
    await pilot.press("enter", *["space" if char == " " else char for char in search], "enter")
    assert select_widget.value == value


async def _paste(pilot, desk, selector: str, text: str) -> None:
    # Long values are pasted (typing them key by key only makes the test slower).
    field = desk.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


def _texts(desk) -> list[str]:
    return [view.text for view in desk.query_one("#conversation", ConversationLog).query(TurnView)]


@pytest.mark.slow
async def test_order_from_the_ring_to_the_database(seeded_url, fixed_clock, wait_for_workers):
    scenario_id = "generik-commande-nouveau-client"
    lines = _speech(scenario_id)
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers, scenario_id)
        ring = desk.query_one("#ring", RingIndicator)
        assert ring.state == "ringing" and ring.rings == 1
        assert "sonne" in str(ring.render())
        # Enter on the first line picks up and says it.
        await _say(pilot, wait_for_workers, app, desk, lines[0])
        assert ring.state == "online"
        assert desk.session.rings == 1
        for line in lines[1:5]:
            await _say(pilot, wait_for_workers, app, desk, line)
        assert any("Laurent" in text for text in _texts(desk))
        # The ERP panel: a new client, then the order lines, keyboard only.
        await pilot.press("f4")
        await _type_in(pilot, desk, "#nc-nom", "Sophie Laurent")
        await _paste(pilot, desk, "#nc-salon", "Salon Sophie L.")
        await _choose(pilot, desk, "#nc-segment", "indép", "salon_independant")
        desk.query_one("#nc-create").focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert "indiquez la région" in str(desk.query_one("#erp-error", Static).render())
        await _choose(pilot, desk, "#nc-region", "Aquit", "Nouvelle-Aquitaine")
        await _paste(pilot, desk, "#nc-tel", "05 36 49 20 41")
        await _paste(pilot, desk, "#nc-adresse", "12 boulevard de la Plage")
        await _type_in(pilot, desk, "#nc-cp", "33120")
        await _paste(pilot, desk, "#nc-ville", "Arcachon")
        desk.query_one("#nc-create").focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        status = str(desk.query_one("#erp-status", Static).render())
        assert "Sophie Laurent" in status and "comptant" in status, str(desk.query_one("#erp-error", Static).render())
        desk.query_one("#erp-tabs", TabbedContent).active = "erp-order"
        for reference, shade, quantity in [
            ("GNK-CCS-100", "6.4", "12"),
            ("GNK-CCS-100", "5.6", "12"),
            ("GNK-CCS-100", "7.3", "12"),
            ("GNK-CCS-100", "8.1", "12"),
            ("GNK-SHA-1000", "", "1"),
        ]:
            await _choose(pilot, desk, "#line-ref", reference[:7], reference)
            if shade:
                await _type_in(pilot, desk, "#line-shade", shade)
            await _type_in(pilot, desk, "#line-qty", quantity)
            await pilot.press("enter")  # Enter in the quantity adds the line
            await wait_for_workers(app, pilot)
        assert desk.query_one("#order-lines", OptionList).option_count == 5
        totals = str(desk.query_one("#order-totals", Static).render())
        assert "152,82" in totals and "183,38" in totals  # 48 tubes at −20 % + the shampoo, TVA 20 %
        # A wrong entry is refused in one sentence and changes nothing.
        await _type_in(pilot, desk, "#line-qty", "0")
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert "quantité" in str(desk.query_one("#erp-error", Static).render()).lower()
        assert desk.query_one("#order-lines", OptionList).option_count == 5
        for line in lines[5:]:
            await _say(pilot, wait_for_workers, app, desk, line)
        assert desk.session.phase == "ended", "the customer hangs up after the leave-taking"
        assert ring.state == "ended"
        await pilot.press("f10")  # record the call
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        assert type(app.screen).__name__ == "DebriefScreen"
        session_id = app.screen.session_id

    store = open_store(seeded_url)
    try:
        with store.read() as db:
            orders = [o for o in repo.list_orders(db) if o.client_name == "Sophie Laurent"]
            row = db.get(CallSessionRow, uuid.UUID(session_id))
            assert row is not None and row.status == "finished" and row.score_total is not None
    finally:
        store.dispose()
    assert len(orders) == 1
    order = orders[0]
    assert order.total_ht == Decimal("152.82")
    assert order.total_ttc == Decimal("183.38")
    creams = [line for line in order.lines if line.reference == "GNK-CCS-100"]
    assert sorted(line.shade for line in creams) == ["5.6", "6.4", "7.3", "8.1"]
    assert all(line.quantity == 12 and line.discount_rate == Decimal("0.20") for line in creams)
    assert order.payment_terms.code == "comptant"
    assert order.created_at.date() == fixed_clock().date()


async def test_customer_speaks_only_after_pick_up_and_rings_are_counted(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot)
        app.screen.app.ctx.exam_mode = True
        desk = await _open_call(app, pilot, wait_for_workers, "generik-commande-nouveau-client")
        assert not desk.query_one("#mood").display, "exam mode hides the mood gauge"
        desk._ring()  # the next ring (the timer would do it 3 s later)
        await wait_for_workers(app, pilot)
        assert desk.query_one("#ring", RingIndicator).rings == 2
        await pilot.press("f2")
        await wait_for_workers(app, pilot)
        assert desk.session.phase == "talking" and desk.session.rings == 2
        assert desk.query_one("#ring", RingIndicator).state == "online"
        # Abandoning asks first; the session is then marked abandoned in the database.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert type(app.screen).__name__ == "PickerScreen"
        session_id = desk.session.id
    store = open_store(seeded_url)
    try:
        with store.read() as db:
            assert db.get(CallSessionRow, session_id).status == "abandoned"
    finally:
        store.dispose()


@pytest.mark.slow
async def test_complaint_from_the_ring_to_the_database(seeded_url, fixed_clock, wait_for_workers):
    scenario_id = "generik-reclamation-colis-ecrases"
    lines = _speech(scenario_id)
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers, scenario_id)
        await pilot.press("f2")  # pick up first, then speak
        await wait_for_workers(app, pilot)
        for line in lines[:4]:
            await _say(pilot, wait_for_workers, app, desk, line)
        # Find the client's file: search, then Enter on the result.
        await pilot.press("f4")
        await _type_in(pilot, desk, "#client-search", "delmotte")
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        results = desk.query_one("#client-results", OptionList)
        assert results.option_count >= 1 and results.get_option_at_index(0).id == "CLI-00042"
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert "CLI-00042" in str(desk.query_one("#erp-status", Static).render())
        # The complaint form: the category decides the service and the deadline.
        desk.query_one("#erp-tabs", TabbedContent).active = "erp-complaint"
        await _choose(pilot, desk, "#cp-category", "préparation", "livraison_erreur_preparation")
        await _paste(pilot, desk, "#cp-facts", "Tubes écrasés dans le colis, pour la deuxième fois")
        await _paste(pilot, desk, "#cp-solution", "nouvel envoi de vingt tubes")
        desk.query_one("#cp-save").focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        preview = str(desk.query_one("#complaint-preview", Static).render())
        assert "service clientèle" in preview.lower()
        assert "Délai client" in preview
        for line in lines[4:]:
            await _say(pilot, wait_for_workers, app, desk, line)
            if desk.session.phase != "talking":
                break
        await pilot.press("f10")
        await wait_for_workers(app, pilot)
        if type(app.screen).__name__ == "ConfirmModal":  # the student hangs up first
            await pilot.press("enter")
            await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        assert type(app.screen).__name__ == "DebriefScreen"

    from trainer.domain.complaints import customer_deadline

    store = open_store(seeded_url)
    try:
        with store.read() as db:
            mine = [
                c.complaint
                for c in repo.list_complaints(db, today=fixed_clock().date(), include_closed=True)
                if c.complaint.client_number == "CLI-00042" and "deuxième fois" in c.complaint.facts
            ]
    finally:
        store.dispose()
    assert len(mine) == 1
    complaint = mine[0]
    assert complaint.category == "livraison_erreur_preparation"
    assert complaint.responsible_service == "clientele"
    assert complaint.customer_deadline == customer_deadline("livraison_erreur_preparation", fixed_clock())
    assert "nouvel envoi" in (complaint.solution or "")
    assert complaint.received_at.date() == fixed_clock().date()
