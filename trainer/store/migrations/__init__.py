"""Alembic environment of the shared database (run programmatically by ``trainer.store``)."""
