"""serve: the web UI, the JSON API under /api, and Atom / JSON feeds of story updates (FastAPI + Jinja2)."""

from storyline.serve.app import create_app, run_server

__all__ = ["create_app", "run_server"]
