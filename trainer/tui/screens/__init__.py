"""Screens of the Textual application (one module per screen)."""
