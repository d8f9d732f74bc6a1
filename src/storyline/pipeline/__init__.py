"""The only package that knows the stage order: ingest -> extract -> store (-> analyze -> cluster -> brief).

`ingesting` reads, extracts and stores documents; `analysing` analyses them, with the models a `run` loads beside
its stages (`RunModels`); `stories` clusters, checks the store and writes the briefs. The stages are imported
where they are used, not here: a command, or a short `run`, imports only the stages it runs, when it runs them
(`storyline run` on one document analyses in a process forked before it imports them).
"""

from storyline.pipeline.analysing import (
    AnalysisWorker,
    RunModels,
    analyze,
    few_documents,
    import_cluster_stage,
    load_embedder,
    load_in_background,
    ready_extractor,
)
from storyline.pipeline.ingesting import (
    SMALL_BATCH,
    IngestOutcome,
    guarded,
    ingest,
    record_skip,
    store_documents,
    store_in_parallel,
)
from storyline.pipeline.stories import (
    BriefOutcome,
    ClusterOutcome,
    Refresher,
    brief_outcome,
    check,
    cluster,
    story_context,
    story_input,
    write_briefs,
)

__all__ = [
    "SMALL_BATCH",
    "AnalysisWorker",
    "BriefOutcome",
    "ClusterOutcome",
    "IngestOutcome",
    "Refresher",
    "RunModels",
    "analyze",
    "brief_outcome",
    "check",
    "cluster",
    "few_documents",
    "guarded",
    "import_cluster_stage",
    "ingest",
    "load_embedder",
    "load_in_background",
    "ready_extractor",
    "record_skip",
    "store_documents",
    "store_in_parallel",
    "story_context",
    "story_input",
    "write_briefs",
]
