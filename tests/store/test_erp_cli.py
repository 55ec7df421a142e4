"""``trainer erp …`` as a teacher uses it: aligned French tables, --json, and refused input that writes nothing."""

from __future__ import annotations

import json

import pytest
from store_helpers import assert_one_line_error, invoke

from trainer.store import repositories as repo


def _counts(store) -> dict[str, int]:
    with store.read() as session:
        return repo.count_rows(session)


def test_listings_as_tables(seeded) -> None:
    url = seeded.url
    clients = invoke("erp", "clients", "--segment", "grossiste", "--db", url)
    assert clients.returncode == 0, clients.stderr
    header, rule, *rows = clients.stdout.splitlines()
    assert header.startswith("N° client") and "Segment" in header and set(rule) <= {"-", " "}
    assert rows[-1].endswith("client(s).") and all("grossiste" in r for r in rows[:-1])
    # Columns are aligned: every "Segment" cell starts under its header.
    col = header.index("Segment")
    assert all(r[col:].startswith("grossiste") for r in rows[:-1])

    search = invoke("erp", "clients", "--search", "delmotte", "--json", "--db", url)
    found = json.loads(search.stdout)["clients"]
    assert [c["number"] for c in found] == ["CLI-00042"]
    assert found[0]["payment_terms"] == "comptant"

    reminders = invoke("erp", "reminders", "--date", "2026-11-23", "--json", "--db", url)
    due = json.loads(reminders.stdout)["reminders_due"]
    assert due and {"invoice", "stage", "days_overdue", "amount_due"} <= set(due[0])
    days = [d["days_overdue"] for d in due]
    assert days == sorted(days, reverse=True)

    balance = invoke("erp", "balance", "--date", "2026-11-23", "--db", url)
    assert balance.returncode == 0 and "plus de 90 jours" in balance.stdout and "Total" in balance.stdout

    orders = invoke("erp", "orders", "--client", "CLI-00042", "--json", "--db", url)
    assert {o["client"]["number"] for o in json.loads(orders.stdout)["orders"]} == {"CLI-00042"}


def test_new_order_prints_the_priced_order(seeded) -> None:
    proc = invoke(
        "erp", "new-order", "--client", "CLI-00042", "--line", "GNK-CCS-100:6.4:28", "--line", "GNK-CCS-100:7.44:20",
        "--line", "GNK-SHA-1000::1", "--json", "--db", seeded.url,
    )
    assert proc.returncode == 0, proc.stderr
    order = json.loads(proc.stdout)
    assert order["id"].startswith("CMD-")
    assert [line["discount_rate"] for line in order["lines"]] == ["0.20", "0.20", "0.00"]
    with seeded.read() as session:
        stored = repo.find_order(session, number=order["id"])
    assert f"{stored.total_ttc:.2f}" == order["total_ttc"]

    text = invoke("erp", "new-order", "--client", "CLI-00001", "--line", "GNK-MFX-200::3", "--db", seeded.url)
    assert text.returncode == 0, text.stderr
    assert "Total TTC" in text.stdout and "TVA 20 %" in text.stdout and "Livraison sous 24 h par DPD" in text.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--line", "GNK-CCS-100:6.4:0"], "au moins 1"),
        (["--line", "GNK-CCS-100:6.4:-5"], "au moins 1"),
        (["--line", "GNK-CCS-100:6.4:10000000"], "9 999"),
        (["--line", "GNK-NOP-100::2"], "n'existe pas dans le catalogue"),
        (["--line", "GNK-CCS-100:6.4:quarante"], "n'est pas une quantité"),
        (["--line", "GNK-SHA-1000::1", "--line", "GNK-CCS-100:12.3:4"], "--line n° 2"),
        (["--line", "n'importe quoi"], "RÉFÉRENCE:NUANCE:QUANTITÉ"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(seeded, args, words) -> None:
    before = _counts(seeded)
    proc = invoke("erp", "new-order", "--client", "CLI-00042", *args, "--db", seeded.url)
    assert_one_line_error(proc, words)
    assert _counts(seeded) == before


def test_unknown_client_and_bad_date(seeded) -> None:
    before = _counts(seeded)
    assert_one_line_error(
        invoke("erp", "new-order", "--client", "CLI-77777", "--line", "GNK-SHA-1000::1", "--db", seeded.url),
        "CLI-77777",
    )
    assert_one_line_error(invoke("erp", "reminders", "--date", "2026-02-30", "--db", seeded.url), "--date")
    assert_one_line_error(invoke("erp", "clients", "--segment", "coiffeur", "--db", seeded.url), "--segment")
    assert _counts(seeded) == before
