"""Renderers: a Brief (and the articles it cites) as JSON, Markdown, standalone HTML or terminal text.

Each takes an optional `StoryContext` (the story's status and the stories it follows or is followed by), which the
pipeline reads from the store; renderers never read the store themselves.
"""

from storyline.render.html import render_html
from storyline.render.json import brief_json, render_json
from storyline.render.markdown import render_markdown
from storyline.render.story import StoryContext, StoryLink
from storyline.render.text import render_text

__all__ = ["StoryContext", "StoryLink", "brief_json", "render_html", "render_json", "render_markdown", "render_text"]
