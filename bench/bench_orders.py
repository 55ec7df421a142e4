"""Orders committed per second when a whole class writes at once (30 concurrent writers).

Each writer is its own process (as 30 students' terminals would be), forked once the database is
ready and released together by a barrier; each commits ``ORDERS_EACH`` orders through the same
repository function as ``trainer erp new-order`` (priced by the domain, numbered under a locked
counter, one transaction each). Measured from the release to the last commit.

- ``orders_per_s_sqlite_30_writers``: the embedded SQLite file (WAL, ``BEGIN IMMEDIATE``).
- ``orders_per_s_postgresql_30_writers``: a temporary database on the PostgreSQL server of ``--db``
  when it is one, else ``TRAINER_TEST_PG_URL`` or the local server; skipped with a notice on stderr
  when no server answers.
- ``order_commit_p95_ms_*``: 95th percentile of one order's transaction under that load.

Every database here is temporary and dropped afterwards, never the user's.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

WRITERS = 30
ORDERS_EACH = 20
CLIENTS = ["CLI-00001", "CLI-00002", "CLI-00003", "CLI-00005", "CLI-00020", "CLI-00042"]
LINES = [
    [{"reference": "GNK-CCS-100", "shade": "6.4", "quantity": 24}, {"reference": "GNK-CCS-100", "shade": "7.44", "quantity": 24}],
    [{"reference": "GNK-SHA-1000", "quantity": 3}, {"reference": "GNK-OXC-1000", "quantity": 2}],
    [{"reference": "GNK-CCA-100", "shade": "5", "quantity": 12}, {"reference": "GNK-PDB-500", "quantity": 1}],
]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _notice(message: str) -> None:
    sys.stderr.write(f"bench_orders : {message}\n")


def _prepare(url: str) -> None:
    from trainer.store import open_store
    from trainer.store.seeding import seed_companies

    store = open_store(url)
    try:
        store.init_schema()
        seed_companies(store, companies=["generik"])
    finally:
        store.dispose()


def _writer(url: str, index: int, barrier, results) -> None:  # noqa: ANN001 - multiprocessing objects
    from trainer.domain.common import PARIS
    from trainer.store import open_store
    from trainer.store import repositories as repo

    store = open_store(url)
    latencies = []
    try:
        # Warm the connection and the catalogue cache before the start, as a running TUI would be.
        with store.read() as session:
            repo.pricing_data(session, company_id="generik")
        barrier.wait()
        for i in range(ORDERS_EACH):
            client = CLIENTS[(index + i) % len(CLIENTS)]
            lines = LINES[(index * 7 + i) % len(LINES)]
            now = datetime.now(PARIS)
            t0 = time.perf_counter()
            store.run(lambda s, c=client, ls=lines, n=now: repo.create_order(s, client_number=c, lines=ls, now=n))
            latencies.append(time.perf_counter() - t0)
        results.put((index, time.perf_counter(), latencies, None))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent
        results.put((index, time.perf_counter(), latencies, f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def measure(url: str, writers: int = WRITERS) -> tuple[float, float]:
    """(orders per second, p95 latency in ms) for ``writers`` processes on a prepared database."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(writers + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, i, barrier, results)) for i in range(writers)]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    start = time.perf_counter()
    ends, latencies, errors = [], [], []
    for _ in procs:
        _, end, lat, error = results.get(timeout=600)
        ends.append(end)
        latencies.extend(lat)
        if error:
            errors.append(error)
    for p in procs:
        p.join(timeout=60)
    if errors:
        raise RuntimeError(f"{len(errors)} écrivain(s) en échec, par exemple : {errors[0]}")
    elapsed = max(ends) - start
    committed = writers * ORDERS_EACH
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return committed / elapsed, p95


def _pg_server(db_url: str) -> str:
    if db_url.startswith(("postgresql", "postgres:")):
        return db_url
    return os.environ.get("TRAINER_TEST_PG_URL", DEFAULT_PG)


def run(db_url: str) -> Iterator[dict]:
    """Yield the measures (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        _prepare(url)
        rate, p95 = measure(url)
        yield {"name": f"orders_per_s_sqlite_{WRITERS}_writers", "value": round(rate, 1), "unit": "orders/s"}
        yield {"name": "order_commit_p95_ms_sqlite", "value": round(p95, 1), "unit": "ms"}

    server = _pg_server(db_url)
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(server).set(drivername="postgresql")
        admin = psycopg.connect(
            parsed.set(database=parsed.database or "postgres").render_as_string(hide_password=False),
            autocommit=True,
            connect_timeout=3,
        )
    except Exception as exc:  # noqa: BLE001 - any failure means no server to measure on
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _notice(f"PostgreSQL injoignable ({first}) : mesure PostgreSQL sautée.")
        return
    name = f"trainer_bench_{uuid.uuid4().hex[:10]}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
        _prepare(url)
        rate, p95 = measure(url)
        yield {"name": f"orders_per_s_postgresql_{WRITERS}_writers", "value": round(rate, 1), "unit": "orders/s"}
        yield {"name": "order_commit_p95_ms_postgresql", "value": round(p95, 1), "unit": "ms"}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
