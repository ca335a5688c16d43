"""Pre-signing review: gating, Word comments, draft comparison, reviewer decisions, playbooks.

Each module is small and imports its heavy dependencies (python-docx, jinja2, yaml) lazily so the
command line stays fast to start.
"""
