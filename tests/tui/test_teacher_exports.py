"""Gradebook exports: the files open, hold one row per finished session and the adjusted totals."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from openpyxl import load_workbook
from staff_helpers import add_finished_session, add_live_session, make_score

from trainer.domain.errors import DomainError
from trainer.reports import service
from trainer.store.reviews import Decision
from trainer.store.staff import SessionFilters, Viewer
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser

TEACHER = Viewer("mme.durand", "teacher")


pytestmark = pytest.mark.usefixtures("staff_test_grid")


@pytest.fixture
def reviewed_class(sqlite_url: str):
    from trainer.store import ensure_ready

    store = ensure_ready(sqlite_url, now=FIXED_NOW)
    alice = add_finished_session(store, student="alice", display_name="Alice Martin",
                                 started_at=FIXED_NOW - timedelta(days=1), score=make_score({"prise_de_conge": 3}))
    bruno = add_finished_session(store, student="bruno", display_name="Bruno Petit", started_at=FIXED_NOW,
                                 score=make_score({"anticiper": 0}))
    add_live_session(store, student="chloe", started_at=FIXED_NOW)  # not in the gradebook: still going on
    service.decide(store, TEACHER, alice, Decision("item", "prise_de_conge", "adjust", reason="Sans le nom",
                                                   adjusted_level=1), FIXED_NOW)
    service.decide(store, TEACHER, bruno, Decision("item", "anticiper", "reject", reason="Rien à anticiper"), FIXED_NOW)
    yield store, alice, bruno
    store.dispose()


def test_csv_gradebook_holds_the_adjusted_scores(reviewed_class, tmp_path) -> None:
    store, alice, bruno = reviewed_class
    path, rows = service.export_gradebook(store, TEACHER, tmp_path, FIXED_NOW, "csv")
    assert rows == 2
    assert path.name == "carnet-de-notes-2026-11-23-1403.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read the accents
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header, *body = table
    assert header[:9] == ["Élève", "Nom", "Scénario", "Intitulé du scénario", "Date", "Statut",
                          "Total automatique", "Total ajusté", "Relu par"]
    assert header[9:] == [i for i in header[9:] if i]  and "prise_de_conge" in header and len(header) == 29
    by_student = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    a, b = by_student["alice"], by_student["bruno"]
    assert (a["Nom"], a["Date"], a["Statut"]) == ("Alice Martin", "22/11/2026 14:03", "terminée")
    assert a["Intitulé du scénario"] == "Commande d'un nouveau client après le colis découverte"
    assert a["Total automatique"] == "68,3" and a["Total ajusté"] == "65,1" and a["Relu par"] == "mme.durand"
    assert a["prise_de_conge"] == "1" and a["poser_sa_voix"] == ""
    assert b["Total automatique"] == "63,5" and b["Total ajusté"] == "66,7" and b["anticiper"] == ""


def test_xlsx_gradebook_opens_with_numbers_dates_and_a_legend(reviewed_class, tmp_path) -> None:
    store, alice, bruno = reviewed_class
    path, rows = service.export_gradebook(store, TEACHER, tmp_path, FIXED_NOW, "xlsx",
                                          SessionFilters(student="ali"))
    assert rows == 1
    book = load_workbook(path)
    sheet = book["Carnet de notes"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert sheet.max_row == 2
    assert values["Élève"] == "alice" and values["Total automatique"] == 68.3 and values["Total ajusté"] == 65.1
    assert values["prise_de_conge"] == 1 and values["respecter_charte"] == 2
    assert values["Date"].strftime("%d/%m/%Y %H:%M") == "22/11/2026 14:03"
    legend = {row[0].value: row[1].value for row in book["Légende"].iter_rows(min_row=2) if row[0].value}
    assert legend["prise_de_conge"] == "Respecter la prise de congé"


def test_only_a_teacher_exports_and_a_failed_export_leaves_no_file(reviewed_class, tmp_path, monkeypatch) -> None:
    store, _, _ = reviewed_class
    folder = tmp_path / "exports"
    with pytest.raises(DomainError, match="enseignant"):
        service.export_gradebook(store, Viewer("alice", "student"), folder, FIXED_NOW, "csv")
    assert not folder.exists()

    def disk_full(src, dst):  # noqa: ANN001 - the rename fails after the data was written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("trainer.reports.gradebook.os.replace", disk_full)
    for fmt in ("csv", "xlsx"):
        with pytest.raises(OSError):
            service.export_gradebook(store, TEACHER, folder, FIXED_NOW, fmt)
    assert list(folder.iterdir()) == []  # no half-written file, no temporary file


async def test_export_from_the_sessions_screen(reviewed_class, tmp_path, fixed_clock, wait_for_workers, monkeypatch) -> None:
    store, _, _ = reviewed_class
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path))
    app = make_app(store.url, clock=fixed_clock, user=CurrentUser(username="mme.durand", display_name="Mme Durand",
                                                                   role="teacher"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+x")
        await wait_for_workers(app, pilot)
    files = list((tmp_path / "exports").glob("carnet-de-notes-*.xlsx"))
    assert len(files) == 1
    assert load_workbook(files[0])["Carnet de notes"].max_row == 3
    assert any("2 séances exportées" in n.message for n in app._notifications)
