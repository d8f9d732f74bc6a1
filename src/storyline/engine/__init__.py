"""Engines: *how* the pipeline's stages run; `pipeline.py` still says *what* runs and in which order.

* `local` (the default): `pipeline.ingest`, `pipeline.analyze` (a forked process pool) and `pipeline.write_briefs`
  in this process. Nothing of this package is imported for it.
* `ray` (`engine/ray_engine.py`): extraction, analysis and brief writing as ordered parallel maps over Ray
  actors, each loading its models once; the driver alone writes the store and clusters. Imported only when
  `run --engine ray` is given: `ray` is never loaded on the default path.
"""
