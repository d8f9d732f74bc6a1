"""Story clustering: online assignment of articles to stories, lineage inside each story, and coverage.

`cluster_articles(articles, state, settings, embedder)` is the stage; see docs/clustering.md for the method.

The embedder module is imported here, first, and the other names on first use (PEP 562): loading the embedder
(in a thread while a short run extracts and analyses) then does not import the assignment and lineage modules
(scipy, datasketch) with it. `.embed` must come first: onnxruntime 1.31 imported after usearch 2.26 (numkong)
crashes the interpreter (segmentation fault), and every module of this package that imports usearch is imported
after this file has run.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .embed import Embedder, distill_static_table
from .settings import ClusterSettings

if TYPE_CHECKING:
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

_MODULES = {
    "ClusterResult": ".stories",
    "ClusterState": ".state",
    "cluster_articles": ".stories",
    "story_record": ".stories",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
