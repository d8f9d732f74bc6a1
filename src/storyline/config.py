"""Settings: one frozen dataclass per stage, built from storyline.toml, then STORYLINE_* variables, then flags."""

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.analyze.article import AnalyzeSettings
from storyline.cluster import ClusterSettings
from storyline.errors import StorylineError
from storyline.extract.article import ExtractSettings
from storyline.ingest.fetch import FetchSettings
from storyline.ingest.sources import IngestSettings
from storyline.store import DEFAULT_DB
from storyline.synthesize.brief import BriefSettings
from storyline.synthesize.writer import WriterSettings
from storyline.watch import WatchSettings

__all__ = ["DEFAULT_DB", "Settings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB
    ingest: IngestSettings = field(default_factory=IngestSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    analyze: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    brief: BriefSettings = field(default_factory=BriefSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)


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
    fetch = _build(FetchSettings, data.get("fetch", {}), "fetch")
    ingest = _build(IngestSettings, {**data.get("ingest", {}), "fetch": fetch}, "ingest")
    extract = _build(ExtractSettings, data.get("extract", {}), "extract")
    analyze = _build(AnalyzeSettings, data.get("analyze", {}), "analyze")
    cluster = _build(ClusterSettings, data.get("cluster", {}), "cluster")
    watch = _build(WatchSettings, data.get("watch", {}), "watch")
    writer = _build(WriterSettings, data.get("llm", {}), "llm").from_env(env)
    db = env.get("STORYLINE_DB") or data.get("db", DEFAULT_DB)
    brief = BriefSettings(writer=writer)
    return Settings(db=db, ingest=ingest, extract=extract, analyze=analyze, cluster=cluster, brief=brief, watch=watch)


def _build(cls: Any, values: Mapping[str, Any], table: str) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise StorylineError(f"unknown settings in [{table}]: {', '.join(sorted(unknown))}")
    return cls(**values)
