"""Widgets of the Textual application."""
