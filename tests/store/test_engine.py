"""Opening a database: URLs, pragmas, and one clear French sentence when it cannot be used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import assert_one_line_error, invoke, run_trainer

from trainer.errors import SetupError, UserError
from trainer.store import open_store
from trainer.store.engine import parse_db_url, safe_url


def test_default_url_is_the_embedded_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    store = open_store(None)
    try:
        assert store.dialect == "sqlite"
        assert store.url.endswith("trainer.db")
        import os

        assert store.url.startswith(f"sqlite:///{os.environ['TRAINER_DATA_DIR']}")
    finally:
        store.dispose()


def test_environment_variable_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("TRAINER_DB_URL", url)
    store = open_store(None)
    try:
        assert store.url == url
    finally:
        store.dispose()


def test_sqlite_pragmas(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("typed", "driver"),
    [
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite+pysqlite"),
    ],
)
def test_usual_url_spellings_are_accepted(typed: str, driver: str) -> None:
    assert parse_db_url(typed).drivername == driver


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("n'importe quoi", "illisible"),
        ("mysql://u@h/db", "non pris en charge"),
        ("postgresql+psycopg://postgres@127.0.0.1:5432", "sans nom de base"),
    ],
)
def test_broken_urls_give_one_sentence(url: str, words: str) -> None:
    with pytest.raises(UserError, match=words):
        open_store(url)


def test_password_is_never_shown() -> None:
    assert "secret" not in safe_url("postgresql+psycopg://bob:secret@h/db")
    with pytest.raises(UserError) as info:
        open_store("oracle://bob:secret@h/db")
    assert "secret" not in str(info.value)


def test_missing_sqlite_folder(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="n'existe pas"):
        open_store(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("ceci n'est pas une base\n" * 200)
    with pytest.raises(SetupError, match="n'est pas une base SQLite"):
        open_store(f"sqlite:///{bogus}")


def test_unreachable_postgresql_server() -> None:
    with pytest.raises(SetupError, match="ne répond pas"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/trainer")


@pytest.mark.postgres
def test_missing_postgresql_database(pg_server: str) -> None:
    base = pg_server.rsplit("/", 1)[0]
    with pytest.raises(SetupError, match="n'existe pas sur le serveur"):
        open_store(f"{base}/trainer_no_such_database_here")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("n'importe quoi", "illisible"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/trainer", "ne répond pas"),
        ("mysql://u@h/db", "non pris en charge"),
    ],
)
def test_broken_url_through_the_cli(url: str, words: str) -> None:
    proc = invoke("db", "init", "--db", url)
    assert_one_line_error(proc, words)


def test_broken_url_from_the_environment_through_the_cli() -> None:
    """The real console script in a subprocess: exit 1, one line, no traceback."""
    proc = run_trainer("db", "init", env={"TRAINER_DB_URL": "postgresql://postgres@127.0.0.1:1/x"})
    assert_one_line_error(proc, "ne répond pas")


def test_aware_datetimes_and_exact_money_round_trip(db_url: str) -> None:
    """What goes in comes out: aware datetimes (any zone) and cents, on both engines."""
    from sqlalchemy import Column, Integer, MetaData, Table, insert, select

    from trainer.store.types import AwareDateTime, MoneyType, RateType

    meta = MetaData()
    probe = Table(
        "probe",
        meta,
        Column("id", Integer, primary_key=True),
        Column("at", AwareDateTime()),
        Column("amount", MoneyType()),
        Column("rate", RateType()),
    )
    store = open_store(db_url)
    try:
        meta.create_all(store.engine)
        paris_winter = datetime(2026, 11, 22, 14, 3, 11, tzinfo=timezone(timedelta(hours=1)))
        values = [Decimal("0.01"), Decimal("9999999999.99"), Decimal("1234.55"), Decimal("-3.10")]
        with store.unit_of_work() as session:
            for i, amount in enumerate(values):
                session.execute(insert(probe).values(id=i, at=paris_winter, amount=amount, rate=Decimal("0.2")))
        with store.read() as session:
            rows = session.execute(select(probe).order_by(probe.c.id)).all()
        assert [r.amount for r in rows] == values
        assert all(isinstance(r.amount, Decimal) for r in rows)
        assert rows[0].rate == Decimal("0.2000")
        assert rows[0].at == paris_winter
        assert rows[0].at.tzinfo is not None
        assert rows[0].at.astimezone(UTC).hour == 13
        with pytest.raises(Exception, match="sans fuseau"), store.unit_of_work() as session:
            session.execute(insert(probe).values(id=99, at=datetime(2026, 1, 1), amount=Decimal(1)))
    finally:
        store.dispose()
