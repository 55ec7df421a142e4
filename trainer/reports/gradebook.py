"""The class gradebook: one row per session, exported as CSV and XLSX for the school's gradebook.

Columns: student, scenario, date, automatic total, adjusted total (the teacher's when the session
was reviewed, otherwise the automatic one), who reviewed it, then one column per grid item with the
level that stands (after the teacher's decisions). CSV follows French spreadsheet habits: ``;``
between fields, decimal comma, UTF-8 with a byte-order mark so that Excel and LibreOffice read the
accents. The XLSX keeps numbers as numbers and dates as dates, plus a « Légende » sheet naming each
item. Files are written to a temporary name and renamed: a failed export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from trainer.reports.grading import apply_review, format_total

PARIS = ZoneInfo("Europe/Paris")
STATUS_LABELS = {"live": "en cours", "finished": "terminée", "abandoned": "interrompue"}


@dataclass(frozen=True)
class GradebookRow:
    """One session in the gradebook."""

    session_id: uuid.UUID
    student: str
    student_name: str
    scenario_id: str
    scenario_title: str
    started_at: datetime
    status: str
    automatic_total: float | None
    adjusted_total: float | None
    reviewed_by: str | None
    levels: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Gradebook:
    """The rows and the item columns (id → French label, in grid order)."""

    rows: tuple[GradebookRow, ...]
    items: dict[str, str]
    sections: dict[str, str] = field(default_factory=dict)

    HEADERS: tuple[str, ...] = (
        "Élève",
        "Nom",
        "Scénario",
        "Intitulé du scénario",
        "Date",
        "Statut",
        "Total automatique",
        "Total ajusté",
        "Relu par",
    )

    def headers(self) -> list[str]:
        """The column headers: the fixed ones, then one per grid item (its id)."""
        return [*self.HEADERS, *self.items]


def collect_gradebook(
    summaries: Sequence[Any],
    documents: dict[uuid.UUID, dict[str, Any] | None],
    reviews: dict[uuid.UUID, Any],
    *,
    scenario_titles: dict[str, str] | None = None,
) -> Gradebook:
    """Build the gradebook from session summaries (``trainer.store.staff.SessionSummary``), their score
    documents (session id → CONTRACT §5 JSON) and their teacher reviews (``TeacherReview``).

    Sessions are listed oldest first; the item columns follow the grids' order as the score
    documents give it.
    """
    titles = scenario_titles or {}
    items: dict[str, str] = {}
    sections: dict[str, str] = {}
    rows: list[GradebookRow] = []
    for summary in sorted(summaries, key=lambda s: (s.started_at, s.student)):
        score = documents.get(summary.id) or {}
        review = reviews.get(summary.id)
        reviewed = apply_review(score, review.decisions if review else {}, total_override=None)
        levels: dict[str, int | None] = {}
        for item in reviewed.items:
            items.setdefault(item.id, item.label)
            if item.section:
                sections.setdefault(item.id, item.section)
            levels[item.id] = item.final_level
        automatic = summary.automatic_total
        adjusted = review.adjusted_total if review is not None else automatic
        rows.append(
            GradebookRow(
                session_id=summary.id,
                student=summary.student,
                student_name=summary.student_name,
                scenario_id=summary.scenario_id,
                scenario_title=titles.get(summary.scenario_id, summary.scenario_id),
                started_at=summary.started_at,
                status=summary.status,
                automatic_total=automatic,
                adjusted_total=adjusted,
                reviewed_by=review.reviewer_name if review is not None else None,
                levels=levels,
            )
        )
    return Gradebook(rows=tuple(rows), items=items, sections=sections)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def _cells(book: Gradebook, row: GradebookRow) -> list[Any]:
    return [
        row.student,
        row.student_name,
        row.scenario_id,
        row.scenario_title,
        _local(row.started_at),
        STATUS_LABELS.get(row.status, row.status),
        row.automatic_total,
        row.adjusted_total,
        row.reviewed_by or "",
        *(row.levels.get(item) for item in book.items),
    ]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return format_total(value)
    return str(value)


def _atomic_write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv(book: Gradebook, path: Path) -> Path:
    """Write the gradebook as a French CSV (``;``, decimal comma, UTF-8 with BOM); returns the path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(book.headers())
    for row in book.rows:
        writer.writerow([_csv_text(v) for v in _cells(book, row)])
    return _atomic_write(path, buffer.getvalue().encode("utf-8-sig"))


BRAND_VIOLET = "3C1A56"
BRAND_ORANGE = "FF9933"


def write_xlsx(book: Gradebook, path: Path) -> Path:
    """Write the gradebook as an XLSX workbook (sheets « Carnet de notes » and « Légende »)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Carnet de notes"
    headers = book.headers()
    ws.append(headers)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=BRAND_VIOLET)
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in book.rows:
        values = _cells(book, row)
        # openpyxl refuses aware datetimes: the date is written as Paris local time.
        values[4] = values[4].replace(tzinfo=None)
        ws.append(values)
    date_col = 5
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=date_col).number_format = "DD/MM/YYYY HH:MM"
        for c in (7, 8):
            ws.cell(row=r, column=c).number_format = "0.0"
    widths = [14, 22, 34, 40, 17, 11, 11, 11, 18] + [6] * len(book.items)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions

    legend = wb.create_sheet("Légende")
    legend.append(["Colonne", "Critère de la grille", "Section"])
    for cell in legend[1]:
        cell.font = header_font
        cell.fill = PatternFill("solid", fgColor=BRAND_VIOLET)
    for item_id, label in book.items.items():
        legend.append([item_id, label, book.sections.get(item_id, "")])
    legend.append([])
    legend.append(["Total ajusté", "Total après la relecture de l'enseignant (le total automatique sinon)", ""])
    legend.append(["Niveaux", "Niveau retenu par item, de 0 à 3 ; vide : non évalué ou rejeté", ""])
    legend.column_dimensions["A"].width = 26
    legend.column_dimensions["B"].width = 80
    legend.column_dimensions["C"].width = 30
    legend.cell(row=1, column=1).fill = PatternFill("solid", fgColor=BRAND_ORANGE)

    buffer = io.BytesIO()
    wb.save(buffer)
    return _atomic_write(path, buffer.getvalue())


def export_name(now: datetime, suffix: str) -> str:
    """``carnet-de-notes-2026-11-23-1403.csv``."""
    return f"carnet-de-notes-{_local(now).strftime('%Y-%m-%d-%H%M')}.{suffix}"
