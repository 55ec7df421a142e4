"""The teacher types a student's name in the filter, then exports: Ctrl+E / Ctrl+X still export.

Found by hand on PostgreSQL: with the cursor in the « Élève (nom) » field, Ctrl+E moved the cursor
to the end of the field and Ctrl+X cut its text (the field's own keys); the footer had dropped
« Export CSV » and « Export XLSX ».
"""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until
from textual.widgets import Input

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import TeacherScreen
from trainer.tui.widgets.staff_sessions import SessionTable

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_export_keys_work_from_the_student_filter(seeded_url, fixed_clock, wait_for_workers, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    store = open_store(seeded_url)
    add_finished_session(store, student="julie.martin", display_name="Julie Martin",
                         started_at=FIXED_NOW - timedelta(hours=2), score=make_score())
    add_finished_session(store, student="karim.benali", display_name="Karim Benali",
                         started_at=FIXED_NOW - timedelta(hours=1), score=make_score({"anticiper": 1}))
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, TeacherScreen)
        table = screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 2)
        field = screen.query_one("#f-student", Input)
        field.focus()
        await pilot.press(*"Karim", "enter")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: table.row_count == 1)
        assert app.focused is field
        await pilot.press("ctrl+e")
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+x")
        await wait_for_workers(app, pilot)
        assert field.value == "Karim"  # not cut
    exports = tmp_path / "exports"
    csv_files = list(exports.glob("carnet-de-notes-*.csv"))
    assert len(csv_files) == 1 and len(list(exports.glob("carnet-de-notes-*.xlsx"))) == 1
    with csv_files[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [row["Nom"] for row in rows] == ["Karim Benali"]
