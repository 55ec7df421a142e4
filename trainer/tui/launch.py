"""``trainer`` with no sub-command: open the Textual application.

On a fresh machine the embedded SQLite database does not exist yet: the app creates and seeds it in
a background worker while the home screen is already usable (see ``AppContext.prepare``).
"""

from __future__ import annotations


def launch(db_url: str | None = None) -> None:
    """Run the app on ``db_url`` (``--db``; else ``TRAINER_DB_URL``; else the embedded SQLite file)."""
    from trainer.tui.app import make_app

    make_app(db_url).run()
