"""Readable unique numbers, taken inside the caller's transaction."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from trainer.store import open_store
from trainer.store.numbering import bump_to_at_least, format_number, next_number, parse_number


def test_formats() -> None:
    assert format_number("CMD", 123, 2026) == "CMD-2026-000123"
    assert format_number("REC", 45, 2026) == "REC-2026-000045"
    assert format_number("CLI", 42) == "CLI-00042"
    assert parse_number("cmd-2026-000123") == ("CMD", 2026, 123)
    assert parse_number("CLI-00042") == ("CLI", None, 42)
    assert parse_number("commande 12") is None


@pytest.fixture
def store(db_url: str):
    s = open_store(db_url)
    s.init_schema()
    yield s
    s.dispose()


def test_numbers_follow_each_other_per_series_and_year(store) -> None:
    day = date(2026, 11, 22)
    with store.unit_of_work() as session:
        assert next_number(session, prefix="CMD", on=day) == "CMD-2026-000001"
        assert next_number(session, prefix="CMD", on=day) == "CMD-2026-000002"
        assert next_number(session, prefix="REC", on=day) == "REC-2026-000001"
        assert next_number(session, prefix="CMD", on=date(2027, 1, 1)) == "CMD-2027-000001"
        assert next_number(session, prefix="CLI") == "CLI-00001"


def test_a_rolled_back_transaction_gives_its_number_back(store) -> None:
    day = date(2026, 11, 22)
    with pytest.raises(RuntimeError), store.unit_of_work() as session:
        assert next_number(session, prefix="MSG", on=day) == "MSG-2026-000001"
        raise RuntimeError("boom")
    with store.unit_of_work() as session:
        assert next_number(session, prefix="MSG", on=day) == "MSG-2026-000001"


def test_seeded_numbers_are_never_handed_out_again(store) -> None:
    with store.unit_of_work() as session:
        bump_to_at_least(session, number="CLI-00030")
        bump_to_at_least(session, number="CLI-00012")  # lower: no effect
    with store.unit_of_work() as session:
        assert next_number(session, prefix="CLI") == "CLI-00031"


def test_concurrent_writers_never_share_a_number(store) -> None:
    """8 threads x 25 numbers through ``Store.run`` (retries included): 200 distinct, no gap."""
    taken: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                number = store.run(lambda s: next_number(s, prefix="REL", on=date(2026, 3, 1)))
                with lock:
                    taken.append(number)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(taken) == [format_number("REL", i, 2026) for i in range(1, 201)]
