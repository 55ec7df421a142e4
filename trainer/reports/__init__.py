"""Results for teachers: review arithmetic (``grading``) and gradebook exports (``gradebook``).

Nothing here imports Textual: the same functions serve the terminal screens and could serve a
command line export.
"""
