"""A whole class writes at once: 20 writers x 50 orders on each engine, nothing lost, numbers unique."""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from store_helpers import NOW, cached_company

from trainer.domain.orders import price_order
from trainer.store import repositories as repo
from trainer.store.tables import OrderLineRow, OrderRow

WRITERS = 20
ORDERS_EACH = 50
CLIENTS = ["CLI-00001", "CLI-00002", "CLI-00003", "CLI-00005", "CLI-00020", "CLI-00042"]
SHADES = ["5", "6", "6.4", "7.44", "8.1", "9.1"]


def order_lines(rng: random.Random) -> list[dict]:
    """A plausible order: colour creams across shades (around the promotion tiers) plus a product."""
    lines = [
        {"reference": "GNK-CCS-100", "shade": shade, "quantity": rng.randint(1, 30)}
        for shade in rng.sample(SHADES, rng.randint(1, 3))
    ]
    lines.append({"reference": rng.choice(["GNK-SHA-1000", "GNK-OXC-1000", "GNK-SPB-300"]), "quantity": rng.randint(1, 6)})
    return lines


@pytest.mark.slow
def test_twenty_writers_fifty_orders_each(seeded) -> None:
    generik = cached_company("generik", NOW.date())
    with seeded.read() as session:
        orders_before = session.execute(select(func.count()).select_from(OrderRow)).scalar_one()
    plans = []
    for writer in range(WRITERS):
        rng = random.Random(writer)
        plans.append([(rng.choice(CLIENTS), order_lines(rng)) for _ in range(ORDERS_EACH)])

    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(plan) -> None:
        start.wait()
        try:
            for client, lines in plan:
                order = seeded.run(lambda s, c=client, ls=lines: repo.create_order(s, client_number=c, lines=ls, now=NOW))
                with lock:
                    numbers.append(order.number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(plan,)) for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    total = WRITERS * ORDERS_EACH
    assert len(numbers) == total
    assert len(set(numbers)) == total
    first = orders_before + 1
    assert sorted(numbers) == [f"CMD-{NOW.year}-{n:06d}" for n in range(first, first + total)]

    expected_ttc = Decimal("0")
    expected_units = 0
    for plan in plans:
        for client_number, lines in plan:
            client = generik.client(client_number)
            priced = price_order(
                lines, generik.catalogue, generik.promotions, client_name=client.name, segment=client.segment, now=NOW
            )
            expected_ttc += priced.total_ttc
            expected_units += sum(line.quantity for line in priced.lines)
    with seeded.read() as session:
        new_orders = session.execute(select(OrderRow).where(OrderRow.number.in_(numbers))).scalars().all()
        units = session.execute(
            select(func.sum(OrderLineRow.quantity)).join(OrderRow).where(OrderRow.number.in_(numbers))
        ).scalar_one()
    assert len(new_orders) == total
    assert sum((o.total_ttc for o in new_orders), Decimal("0")) == expected_ttc
    assert all(o.total_ttc == o.total_ht + o.total_tva for o in new_orders)
    assert units == expected_units
