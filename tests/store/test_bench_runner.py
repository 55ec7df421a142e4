"""``trainer bench``: discovers bench/bench_*.py, one JSON object per line, failures reported."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from store_helpers import invoke

from trainer.paths import bench_dir


def _write(folder: Path, name: str, body: str) -> None:
    (folder / f"bench_{name}.py").write_text(body, encoding="utf-8")


@pytest.fixture
def bench_folder(tmp_path: Path) -> Path:
    _write(tmp_path, "alpha", "def run(db_url):\n    yield {'name': 'alpha_per_s', 'value': 12.5, 'unit': 'x/s'}\n"
                              "    yield {'name': 'alpha_db_is_sqlite', 'value': int(db_url.startswith('sqlite')), 'unit': 'bool'}\n")
    _write(tmp_path, "broken", "def run(db_url):\n    yield {'name': 'ok_before', 'value': 1, 'unit': 'x'}\n"
                               "    raise RuntimeError('boom')\n")
    _write(tmp_path, "nan", "def run(db_url):\n    yield {'name': 'bad', 'value': float('nan'), 'unit': 'x'}\n")
    (tmp_path / "helper.py").write_text("raise SystemExit('never imported')\n")
    return tmp_path


def test_json_lines_and_failures(bench_folder: Path) -> None:
    proc = invoke("bench", "--json", "--dir", str(bench_folder))
    assert proc.returncode == 1  # two modules failed
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines == [
        {"name": "alpha_per_s", "value": 12.5, "unit": "x/s"},
        {"name": "alpha_db_is_sqlite", "value": 1, "unit": "bool"},
        {"name": "ok_before", "value": 1, "unit": "x"},
    ]
    errors = proc.stderr.splitlines()
    assert len(errors) == 2 and "boom" in errors[0] and "valeur numérique finie" in errors[1]
    assert "Traceback" not in proc.stderr


def test_only_one_module_and_readable_table(bench_folder: Path) -> None:
    proc = invoke("bench", "--only", "alpha", "--dir", str(bench_folder))
    assert proc.returncode == 0, proc.stderr
    assert "alpha_per_s" in proc.stdout and "12.5 x/s" in proc.stdout
    assert "2 mesure(s)" in proc.stdout
    unknown = invoke("bench", "--only", "gamma", "--dir", str(bench_folder))
    assert unknown.returncode == 1 and "gamma" in unknown.stderr and "alpha" in unknown.stderr


def test_the_orders_benchmark_runs_on_a_small_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bench_orders with 3 writers x 3 orders: real processes, a real temporary database."""
    spec = importlib.util.spec_from_file_location("bench_orders_under_test", bench_dir() / "bench_orders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ORDERS_EACH", 3)
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    module._prepare(url)
    rate, p95 = module.measure(url, writers=3)
    assert rate > 0 and p95 > 0
    from trainer.store import open_store
    from trainer.store import repositories as repo

    store = open_store(url)
    try:
        with store.read() as session:
            numbers = [o.number for o in repo.list_orders(session) if o.seed_key is None]
    finally:
        store.dispose()
    assert len(numbers) == len(set(numbers)) == 9
