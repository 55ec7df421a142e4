"""The shared database: tables, migrations, numbering, repositories, seeding (SQLAlchemy 2.0).

```python
from trainer.store import ensure_ready, repositories as repo
store = ensure_ready(db_url)               # schema up to date and reference data seeded
with store.unit_of_work() as session:      # one transaction, committed at the end of the block
    order = repo.create_order(session, client_number="CLI-00042", lines=[...], now=now)
```
"""

from trainer.store.core import Store, open_store


def ensure_ready(url: str | None = None, **kwargs):  # noqa: ANN201 - see trainer.store.seeding.ensure_ready
    """Open, migrate and seed the database if needed (``trainer.store.seeding.ensure_ready``)."""
    from trainer.store.seeding import ensure_ready as _ensure_ready

    return _ensure_ready(url, **kwargs)


__all__ = ["Store", "ensure_ready", "open_store"]
