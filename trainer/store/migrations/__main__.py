"""Developer entry point: ``python -m trainer.store.migrations revision -m "message" [--autogenerate]``."""

from __future__ import annotations

import sys

from alembic.config import CommandLine

from trainer.store.schema import alembic_config

if __name__ == "__main__":
    cli = CommandLine(prog="python -m trainer.store.migrations")
    options = cli.parser.parse_args(sys.argv[1:])
    cli.run_cmd(alembic_config(), options)
