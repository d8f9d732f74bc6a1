"""Renderers: a Brief (and the articles it cites) as JSON, Markdown, standalone HTML or terminal text."""

from storyline.render.html import render_html
from storyline.render.json import brief_json, render_json
from storyline.render.markdown import render_markdown
from storyline.render.text import render_text

__all__ = ["brief_json", "render_html", "render_json", "render_markdown", "render_text"]
