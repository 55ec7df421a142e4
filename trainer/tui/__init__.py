"""The Textual application (``trainer`` with no sub-command)."""
