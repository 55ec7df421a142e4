"""Whatever a student types (any Unicode, blank lines, 10 000 characters, emoji, other scripts), a call
never crashes and never leaves half a record in the database."""

from __future__ import annotations

from decimal import Decimal

from conftest import NOW
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trainer.call.clock import SimulatedClock
from trainer.call.script import ScriptError, parse_script
from trainer.call.session import CallSession
from trainer.domain.transcript import load_transcript
from trainer.store import repositories as repo
from trainer.store.journal import JOURNAL_NAME, rebuild_transcript
from trainer.store.tables import CallSessionRow, OrderLineRow, OrderRow

RECORD_TABLES = {"order": "orders", "complaint": "complaints", "message": "messages", "reminder": "reminders"}

turn_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(["", "   ", "\t\n", "😀🙏📞", "Привет, мне нужны тюбики", "你好，我要订货", "مرحبا",
                     "GENERIK, Julie, bonjour !", "tu peux me rappeler ?", "\x00\x07\x1b[31m", "/ligne"]),
    st.integers(min_value=1, max_value=10_000).map(lambda n: ("quarante-huit tubes 6.4 " * 500)[:n]),
)


def _check_database(store, session_id, records, before):
    with store.read() as db:
        after = repo.count_rows(db)
        status = db.scalar(select(CallSessionRow.status).where(CallSessionRow.id == session_id))
        for order in db.scalars(select(OrderRow)).all():
            total = db.scalar(select(func.coalesce(func.sum(OrderLineRow.total_ht), 0)).where(OrderLineRow.order_id == order.id))
            assert Decimal(total) == order.total_ht
    assert status == "finished"
    for kind, table in RECORD_TABLES.items():
        made = sum(1 for r in records if r["kind"] == kind)
        assert after[table] - before[table] == made, (kind, after[table], before[table], made)
    return after


@settings(
    deadline=None,
    max_examples=8,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=st.lists(turn_text, min_size=1, max_size=5))
@example(lines=["x" * 10_000])
@example(lines=["", "", ""])
@example(lines=["😀" * 3000, "GENERIK, Julie, bonjour !", "ça va ou quoi ??? 🤬"])
def test_any_turn_text_never_breaks_a_call(seeded_store, lines) -> None:
    with seeded_store.read() as db:
        before = repo.count_rows(db)
    session = CallSession.start("generik-commande-nouveau-client", store=seeded_store, clock=SimulatedClock(NOW))
    session.pick_up()
    for text in lines:
        if session.phase != "talking":
            break
        reply = session.student_says(text)
        assert reply is None or reply.text is None or isinstance(reply.text, str)
    result = session.hang_up()
    _check_database(seeded_store, session.id, result.records, before)
    written = load_transcript(result.transcript_path)
    assert written.to_json() == rebuild_transcript(session.folder / JOURNAL_NAME).to_json()
    said = [t.text for t in written.turns if t.speaker == "student"]
    assert all(text == text.strip() and text for text in said)
    assert all("\x00" not in t.text for t in written.turns)


@settings(deadline=None, max_examples=200)
@given(text=st.text(max_size=400))
@example(text='/message pour="M. Mocher')
@example(text="/ligne « GNK-CCS-100")
@example(text="/\n/\n")
def test_any_script_is_parsed_or_refused_with_a_line_number(text: str) -> None:
    try:
        script = parse_script(text, "s.txt")
    except ScriptError as exc:
        assert str(exc).startswith("s.txt, ligne ")
        return
    assert all(item.line >= 1 for item in script.items)
