"""The debrief of a call: total, charter verdicts (evidence jumps to the turn), grid, ERP, transcript."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from trainer.tui.export import DebriefData, RecordPair, build_debrief, export_debrief
from trainer.tui.navigation import TrainerScreen
from trainer.tui.widgets.conversation import ConversationLog
from trainer.tui.widgets.staff_sessions import FitTable, fill_table

VERDICT_STYLES = {"respected": "bold green", "violated": "bold red", "not_applicable": "dim"}


class DebriefScreen(TrainerScreen[None]):
    """After the call (``result=`` the session's ``CallResult``), or later (``session_id=``)."""

    CSS_PATH = "debrief.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Exporter (Markdown, HTML)"),
        Binding("escape", "back", "Retour"),
        Binding("ctrl+n", "new_call", "Nouvel appel", show=False),
    ]

    def __init__(self, *, result: Any = None, scenario: Any = None, session_id: str | None = None) -> None:
        super().__init__()
        if result is None and session_id is None:
            raise ValueError("DebriefScreen needs a call result or a session id")
        self.result = result
        self.scenario = scenario
        self.session_id = session_id or (result.session_id if result is not None else None)
        self.data: DebriefData | None = None
        self._evidence_cursor = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Préparation du bilan…", id="debrief-head")
        with TabbedContent(id="debrief-tabs"):
            with TabPane("Charte", id="tab-rules"), Vertical():
                yield FitTable(id="rules", cursor_type="row", zebra_stripes=True)
                yield Static("", id="rule-advice")
                yield ConversationLog(id="evidence")
            with TabPane("Grille", id="tab-items"), Vertical():
                yield FitTable(id="items", cursor_type="row", zebra_stripes=True)
                yield Static("", id="item-comment")
            with TabPane("PGI", id="tab-erp"), VerticalScroll():
                yield Static("", id="erp-compare")
            with TabPane("Transcription", id="tab-transcript"):
                yield ConversationLog(id="transcript")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#evidence", ConversationLog).border_title = "Preuves dans la conversation"
        self.query_one("#transcript", ConversationLog).border_title = "Transcription complète"
        self._load()

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="debrief-load")
    def _load(self) -> None:
        if self.result is not None:
            transcript = self.result.transcript.model_dump(mode="json", by_alias=True, exclude_none=True)
            data = build_debrief(
                transcript=transcript,
                score=self.result.score,
                records=self.result.records,
                scenario=self.scenario,
                session_id=self.result.session_id,
                folder=self.result.transcript_path.parent,
                problems=self.result.problems,
            )
            user = self.ctx.user
            if user is not None and user.username == data.student:
                data.student = user.display_name
        else:
            from trainer.tui.export import load_session_debrief

            assert self.session_id is not None
            data = load_session_debrief(self.ctx.store(), self.session_id)
        self.app.call_from_thread(self._show, data)

    def _show(self, data: DebriefData) -> None:
        self.data = data
        self.sub_title = data.scenario_title
        self._show_head()
        self._fill_tables()
        rules = self.query_one("#rules", DataTable)
        self.query_one("#erp-compare", Static).update(_records_renderable(data))
        self.query_one("#evidence", ConversationLog).set_turns(data.turns)
        self.query_one("#transcript", ConversationLog).set_turns(data.turns)
        if data.rules:
            self._show_rule(0)
        if data.items:
            self._show_item(0)
        rules.focus()

    def _fill_tables(self) -> None:
        """The rules and items tables, columns sized to the screen (labels cut with « … », shown
        in full in the panel under the table)."""
        data = self.data
        if data is None:
            return
        narrow = self.size.width < 110
        turns_width = 12 if narrow else 24
        fill_table(
            self.query_one("#rules", DataTable),
            [(" ", 1), ("Règle de la charte", None), ("Verdict", 13), ("Tours", turns_width)],
            [
                (
                    rule.id,
                    [
                        Text(rule.mark, style=VERDICT_STYLES.get(rule.verdict, "")),
                        Text(rule.label),
                        Text(rule.verdict_label, style=VERDICT_STYLES.get(rule.verdict, "")),
                        turn_list(rule.turns, turns_width),
                    ],
                )
                for rule in data.rules
            ],
        )
        # Narrow screens: the comment only in the panel under the table (in full).
        item_specs: list[tuple[str, int | None]] = [("Critère", None), ("Niveau", 10)]
        if not narrow:
            item_specs.append(("Commentaire", None))
        fill_table(
            self.query_one("#items", DataTable),
            item_specs,
            [
                (item.id, [Text(item.label), item.level_text, Text(item.comment)][: len(item_specs)])
                for item in data.items
            ],
        )

    def on_resize(self) -> None:
        """Columns follow the terminal's width."""
        if self.data is not None:
            self.call_after_refresh(self._fill_tables)

    def _show_head(self, exported: str | None = None) -> None:
        data = self.data
        if data is None:
            return
        parts = [f"[b]Note : {escape(data.total_text)}[/b]"]
        if data.rings is not None:
            parts.append(f"décroché après {data.rings} sonnerie{'s' if data.rings > 1 else ''}")
        violated = sum(1 for r in data.rules if r.verdict == "violated")
        if data.rules:
            parts.append(f"{violated} règle{'s' if violated > 1 else ''} de la charte non respectée{'s' if violated > 1 else ''}")
        text = " · ".join(parts)
        if data.problems:
            text += "\n[$warning]" + escape(" ; ".join(data.problems)) + "[/]"
        if exported:
            text += f"\n[dim]Exporté : {escape(exported)}[/dim]"
        self.query_one("#debrief-head", Static).update(text)

    # -- evidence ------------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#rules")
    def _rule_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._evidence_cursor = 0
        self._show_rule(event.cursor_row)

    @on(DataTable.RowSelected, "#rules")
    def _rule_selected(self, event: DataTable.RowSelected) -> None:
        # Enter walks through the rule's turns one after the other.
        self._evidence_cursor += 1
        self._show_rule(event.cursor_row)

    def _show_rule(self, row: int) -> None:
        if self.data is None or not (0 <= row < len(self.data.rules)):
            return
        rule = self.data.rules[row]
        advice = self.query_one("#rule-advice", Static)
        text = f"[b]{escape(rule.label)}[/b] — {escape(rule.verdict_label)}"
        if rule.advice:
            text += f"\n{escape(rule.advice)}"
        if rule.turns:
            turn = rule.turns[self._evidence_cursor % len(rule.turns)]
            text += f"\n[dim]Tour #{turn} surligné ci-dessous"
            if len(rule.turns) > 1:
                text += " (Entrée : tour suivant)"
            text += "[/dim]"
            self.query_one("#evidence", ConversationLog).highlight(turn)
        else:
            self.query_one("#evidence", ConversationLog).highlight(-1)
        advice.update(text)

    def jump_to_turn(self, index: int) -> bool:
        """Show turn ``index`` highlighted in the transcript tab."""
        self.query_one("#debrief-tabs", TabbedContent).active = "tab-transcript"
        transcript = self.query_one("#transcript", ConversationLog)
        # Focus leaves the rules' pane: a TabbedContent shows the pane that holds the focus.
        transcript.focus()
        return transcript.highlight(index)

    @on(DataTable.RowHighlighted, "#items")
    def _item_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_item(event.cursor_row)

    def _show_item(self, row: int) -> None:
        if self.data is None or not (0 <= row < len(self.data.items)):
            return
        item = self.data.items[row]
        text = f"[b]{escape(item.label)}[/b] — niveau {escape(item.level_text)}"
        if item.section:
            text = f"[dim]{escape(item.section)}[/dim]\n" + text
        if item.comment:
            text += f"\n{escape(item.comment)}"
        if item.id == "poser_sa_voix":
            from trainer.voice.report import voice_turn_lines

            # Voice mode: how each spoken turn was said (rate, fillers, silence before, loudness).
            text += "".join(f"\n{escape(line)}" for line in voice_turn_lines(self.data.turns))
        self.query_one("#item-comment", Static).update(text)

    # -- actions -------------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Write the debrief as Markdown and HTML in the session folder."""
        if self.data is None:
            return
        self._export(self.data)

    @work(thread=True, exclusive=True, exit_on_error=False, group="debrief-export")
    def _export(self, data: DebriefData) -> None:
        markdown, page = export_debrief(data)
        self.app.call_from_thread(self._exported, markdown, page)

    def _exported(self, markdown: Any, page: Any) -> None:
        self._show_head(f"{markdown} et {page.name}")
        self.notify(f"Bilan exporté : {markdown} et {page.name}", title="Export", timeout=10)

    def action_back(self) -> None:
        """Back to the previous screen (the scenario picker after a call)."""
        self.app.pop_screen()

    def action_new_call(self) -> None:
        """Back to the scenario picker."""
        self.app.pop_screen()


def turn_list(turns: list[int], width: int) -> str:
    """``#3, #5, #7 +6``: the turns that fit in ``width`` cells, then how many more."""
    shown: list[str] = []
    for position, turn in enumerate(turns):
        more = len(turns) - position - 1
        candidate = ", ".join([*shown, f"#{turn}"])
        if len(candidate) + (len(f" +{more}") if more else 0) > width:
            return ", ".join(shown) + f" +{len(turns) - position}"
        shown.append(f"#{turn}")
    return ", ".join(shown)


def _records_renderable(data: DebriefData) -> Any:
    from rich.console import Group

    if not data.records:
        return Text("Aucun enregistrement attendu ni saisi dans le PGI.")
    parts: list[Any] = []
    if data.wanted_summary:
        parts.append(Text.assemble(("Ce que voulait le client : ", "bold"), data.wanted_summary))
    for pair in data.records:
        parts.append(_pair_table(pair))
    return Group(*parts)


def _pair_table(pair: RecordPair) -> Table:
    table = Table(title=pair.title, expand=True, title_justify="left", show_lines=False)
    table.add_column("Champ", ratio=1, style="bold")
    table.add_column("Enregistré", ratio=2)
    table.add_column("Attendu", ratio=2)
    mine = dict(pair.recorded or [])
    theirs = dict(pair.wanted or [])
    labels: list[str] = []
    for label, _ in [*(pair.recorded or []), *(pair.wanted or [])]:
        if label not in labels:
            labels.append(label)
    for label in labels:
        a = mine.get(label, "(rien)" if pair.recorded is None else "—")
        b = theirs.get(label, "(rien d'attendu)" if pair.wanted is None else "—")
        style = "" if a == b or b in ("—", "(rien d'attendu)") else "yellow"
        table.add_row(label, Text(a, style=style), b)
    return table
