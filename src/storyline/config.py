"""Settings: one frozen dataclass per stage, built from storyline.toml, then STORYLINE_* variables, then flags.

Each stage's settings object is built when it is first read: a stage's settings class lives beside the stage and
importing it imports the stage (spaCy, scipy, httpx, ...), which a command that never runs the stage should not
pay for (`storyline stories`), and which `run` imports where it can overlap other work. A table present in the
settings file is still checked when the file is loaded (unknown keys are an error then, as before).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import StorylineError
from storyline.store import DEFAULT_DB

if TYPE_CHECKING:
    from storyline.analyze.settings import AnalyzeSettings
    from storyline.cluster import ClusterSettings
    from storyline.extract.article import ExtractSettings
    from storyline.ingest.sources import IngestSettings
    from storyline.synthesize.brief import BriefSettings
    from storyline.watch import WatchSettings

__all__ = ["DEFAULT_DB", "Settings", "load_settings"]

# settings table -> (module, class) of its settings; "fetch" is nested in ingest's, "llm" in brief's writer
_CLASSES = {
    "fetch": ("storyline.ingest.fetch", "FetchSettings"),
    "ingest": ("storyline.ingest.sources", "IngestSettings"),
    "extract": ("storyline.extract.article", "ExtractSettings"),
    "analyze": ("storyline.analyze.settings", "AnalyzeSettings"),
    "cluster": ("storyline.cluster.settings", "ClusterSettings"),
    "watch": ("storyline.watch", "WatchSettings"),
    "llm": ("storyline.synthesize.writer", "WriterSettings"),
    "brief": ("storyline.synthesize.brief", "BriefSettings"),
}
_STAGES = ("ingest", "extract", "analyze", "cluster", "brief", "watch")
_LLM_VARIABLES = ("STORYLINE_LLM_BASE_URL", "STORYLINE_LLM_MODEL", "STORYLINE_LLM_API_KEY", "STORYLINE_LLM_CACHE")


def _pending(stage: str) -> Callable[[], Any]:
    return lambda: _Pending(stage)


class _Pending:
    """A stage's settings not built yet: its table from the settings file, and the STORYLINE_LLM_* variables."""

    __slots__ = ("env", "stage", "tables")

    def __init__(
        self, stage: str, tables: Mapping[str, Mapping[str, Any]] | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        self.stage = stage
        self.tables = tables or {}
        self.env = env or {}

    def build(self) -> Any:
        if self.stage == "ingest":
            return _build("ingest", {**self.tables.get("ingest", {}), "fetch": _build("fetch", self._table("fetch"))})
        if self.stage == "brief":
            return _build("brief", {"writer": _build("llm", self._table("llm")).from_env(self.env)})
        return _build(self.stage, self._table(self.stage))

    def _table(self, name: str) -> Mapping[str, Any]:
        return self.tables.get(name, {})


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings of every stage. A stage not given is built from its table (or its defaults) when first read,
    then kept; `replace(stage=...)` copies without building the others (`dataclasses.replace` builds them all)."""

    db: str = DEFAULT_DB
    ingest: IngestSettings = field(default_factory=_pending("ingest"))
    extract: ExtractSettings = field(default_factory=_pending("extract"))
    analyze: AnalyzeSettings = field(default_factory=_pending("analyze"))
    cluster: ClusterSettings = field(default_factory=_pending("cluster"))
    brief: BriefSettings = field(default_factory=_pending("brief"))
    watch: WatchSettings = field(default_factory=_pending("watch"))

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if isinstance(value, _Pending):
            value = value.build()
            object.__setattr__(self, name, value)  # kept: built once
        return value

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given fields replaced; the other stages are built when the copy first reads them."""
        kept = {f.name: object.__getattribute__(self, f.name) for f in dataclasses.fields(self)}
        return Settings(**{**kept, **changes})


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read `path` (default ./storyline.toml when it exists), then STORYLINE_DB from `env`.

    The TOML file has one table per stage: [fetch] timeout = 5, [ingest] min_entry_words = 50, [extract] ...,
    and [watch] interval = 30 for the feed watcher; [llm] base_url / model / api_key for the model writer, which
    STORYLINE_LLM_BASE_URL, STORYLINE_LLM_MODEL, STORYLINE_LLM_API_KEY and STORYLINE_LLM_CACHE override.
    """
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    path = path or (Path("storyline.toml") if Path("storyline.toml").is_file() else None)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise StorylineError(f"cannot read settings {path}: {error}") from error
    tables = {name: data[name] for name in _CLASSES if name != "brief" and name in data}
    for name, values in tables.items():  # checked now, so a mistake stops a command before it does anything
        _check(name, values)
    db = env.get("STORYLINE_DB") or data.get("db", DEFAULT_DB)
    variables = {k: env[k] for k in _LLM_VARIABLES if k in env}
    stages: dict[str, Any] = {stage: _Pending(stage, tables, variables) for stage in _STAGES}
    return Settings(db, **stages)


def _class(table: str) -> Any:
    module, name = _CLASSES[table]
    return getattr(importlib.import_module(module), name)


def _check(table: str, values: Any) -> None:
    if not isinstance(values, Mapping):
        raise StorylineError(f"[{table}] must be a table")
    names = {f.name for f in dataclasses.fields(_class(table))}
    unknown = set(values) - names
    if unknown:
        raise StorylineError(f"unknown settings in [{table}]: {', '.join(sorted(unknown))}")


def _build(table: str, values: Mapping[str, Any]) -> Any:
    _check(table, values)
    return _class(table)(**values)
