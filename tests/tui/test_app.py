"""The app shell: identification, teacher login (argon2), navigation registry, command palette."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Input, OptionList, Static

from trainer.store import open_store
from trainer.store.tables import UserRow
from trainer.tui.app import make_app
from trainer.tui.navigation import (
    CurrentUser,
    Destination,
    destinations_for,
    get_destination,
    register_destination,
    username_from_name,
)


def _users(url: str) -> dict[str, UserRow]:
    store = open_store(url)
    try:
        with store.read() as db:
            return {row.username: row for row in db.scalars(select(UserRow))}
    finally:
        store.dispose()


async def test_student_identifies_and_sees_the_menu(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot)
        assert app.db_status == "ready"
        assert app.focused is app.screen.query_one("#name", Input)
        await pilot.press(*"Élodie", "space", *"Martin", "enter")
        await wait_for_workers(app, pilot)
        assert app.ctx.user == CurrentUser("elodie.martin", "Élodie Martin", "student")
        hello = app.screen.query_one("#hello", Static)
        assert "Bonjour Élodie Martin (élève)" in str(hello.render())
        menu = app.screen.query_one("#destinations", OptionList)
        ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        assert ids[0] == "nouvel_appel"
        assert "tableau_de_bord" not in ids  # teachers only
    assert _users(seeded_url)["elodie.martin"].role == "student"


async def test_a_name_is_required(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.ctx.user is None
        assert "Indiquez votre prénom et votre nom" in str(app.screen.query_one("#identity-error", Static).render())


async def _choose_teacher(pilot) -> None:
    # Shift+Tab from the name field reaches the role buttons; arrows move, Enter chooses.
    await pilot.press("shift+tab", "down", "down", "enter")
    await pilot.press("tab", "enter")  # « Continuer »


async def test_first_teacher_account_then_login(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_for_workers(app, pilot)
        await _choose_teacher(pilot)
        await wait_for_workers(app, pilot)
        login = app.screen
        assert type(login).__name__ == "LoginScreen"
        assert login.creating, "no teacher yet: the login offers to create the first account"
        login.query_one("#username", Input).value = "mdurand"
        login.query_one("#display-name", Input).value = "Mme Durand"
        login.query_one("#password", Input).value = "secret-prof-1"
        login.query_one("#confirm", Input).focus()
        await pilot.press(*"autre", "enter")
        await pilot.pause()
        assert "pas identiques" in str(login.query_one("#login-error", Static).render())
        login.query_one("#confirm", Input).value = "secret-prof-1"
        await pilot.click("#submit")
        await wait_for_workers(app, pilot)
        assert app.ctx.user is not None and app.ctx.user.role == "teacher"
        assert app.ctx.user.display_name == "Mme Durand"
        menu = app.screen.query_one("#destinations", OptionList)
        assert "nouvel_appel" in [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        # Change user, then log in with a wrong and a right password.
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app.ctx.user is None
        await _choose_teacher(pilot)
        await wait_for_workers(app, pilot)
        login = app.screen
        assert not login.creating
        await pilot.press(*"mdurand", "enter")
        login.query_one("#password", Input).value = "mauvais-mot"
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert "incorrect" in str(login.query_one("#login-error", Static).render())
        assert app.ctx.user is None
        login.query_one("#password", Input).value = "secret-prof-1"
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert app.ctx.user is not None and app.ctx.user.username == "mdurand"
    row = _users(seeded_url)["mdurand"]
    assert row.role == "teacher"
    assert row.password_hash.startswith("$argon2id$")
    assert "secret-prof-1" not in row.password_hash


async def test_login_can_be_cancelled(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_for_workers(app, pilot)
        await _choose_teacher(pilot)
        await wait_for_workers(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.ctx.user is None


async def test_command_palette_offers_the_users_destinations(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[0] == "Accueil"
        assert "Nouvel appel" in titles and "Quitter" in titles
        assert "Tableau de bord de la classe" not in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press(*"nouvel", "enter")
        await wait_for_workers(app, pilot)
        assert type(app.screen).__name__ == "PickerScreen"


async def test_an_unreachable_database_leaves_a_usable_home(fixed_clock, wait_for_workers):
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:9/absente", clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot, allow_errors=True)
        assert app.db_status == "error"
        assert app.db_message and "Traceback" not in app.db_message
        await pilot.press(*"Julie", "enter")
        await wait_for_workers(app, pilot, allow_errors=True)
        assert "Base de données indisponible" in str(app.screen.query_one("#db-status", Static).render())


def test_registry_filters_by_role_and_hides_missing_screens():
    student = CurrentUser.student("Julie Martin")
    teacher = CurrentUser("prof", "Mme Durand", "teacher")
    assert "tableau_de_bord" not in [d.key for d in destinations_for(student)]
    register_destination(
        Destination(key="essai_absent", title="Essai", help="…", target="trainer.tui.screens.nexiste_pas:X")
    )
    assert "essai_absent" not in [d.key for d in destinations_for(teacher)]
    assert destinations_for(None) == []
    assert get_destination("nouvel_appel").load().__name__ == "PickerScreen"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Élodie Martin", "elodie.martin"), ("  Jean-Luc  O'Brien ", "jean.luc.o.brien"), ("!!!", "anonyme")],
)
def test_username_from_name(name, expected):
    assert username_from_name(name) == expected
