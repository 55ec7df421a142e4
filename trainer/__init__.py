"""trainer: an offline French phone-reception trainer (GENERIK, SERV'FAMILLES)."""

__version__ = "0.1.0"
