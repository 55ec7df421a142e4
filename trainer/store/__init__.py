"""The shared database: tables, migrations, numbering, repositories, seeding (SQLAlchemy 2.0).

```python
from trainer.store import open_store, ensure_ready
store = ensure_ready(db_url)          # schema up to date and reference data seeded
with store.unit_of_work() as session:  # one transaction
    ...
```
"""

from trainer.store.core import Store, open_store

__all__ = ["Store", "open_store"]
