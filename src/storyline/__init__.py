"""storyline: turn a flood of news coverage into grounded story briefs."""

import logging

from storyline.errors import StorylineError
from storyline.records import Article, Brief, Document, Evidence, Skip, Story

__all__ = ["Article", "Brief", "Document", "Evidence", "Skip", "Story", "StorylineError", "__version__"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
