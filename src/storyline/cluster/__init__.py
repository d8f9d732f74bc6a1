"""Story clustering: online assignment of articles to stories, lineage inside each story, and coverage.

`cluster_articles(articles, state, settings, embedder)` is the stage; see docs/clustering.md for the method.
"""

from .embed import Embedder, distill_static_table
from .settings import ClusterSettings
from .state import ClusterState
from .stories import ClusterResult, cluster_articles, story_record

__all__ = [
    "ClusterResult",
    "ClusterSettings",
    "ClusterState",
    "Embedder",
    "cluster_articles",
    "distill_static_table",
    "story_record",
]
