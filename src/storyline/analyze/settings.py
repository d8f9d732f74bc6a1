"""The analysis stage's settings and version, apart from the analysers so that reading them loads no model
library (spaCy, wordfreq): the CLI builds its settings, and `run` checks what needs analysing, before (or
without) importing the analysers."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from storyline.analyze.entities import EntitySettings

__all__ = ["ANALYSIS_VERSION", "AnalyzeSettings", "TopicSettings", "batches"]

T = TypeVar("T")

ANALYSIS_VERSION = "analysis.v1"


@dataclass(frozen=True, slots=True)
class TopicSettings:
    top: int = 8
    max_words: int = 3


@dataclass(frozen=True, slots=True)
class AnalyzeSettings:
    processes: int = 2  # worker processes for Analyzer.many; 1 analyses in this process
    batch_size: int = 16  # articles per task sent to a worker
    entities: EntitySettings = field(default_factory=EntitySettings)
    topics: TopicSettings = field(default_factory=TopicSettings)

    def forks(self, articles: int) -> bool:
        """Whether `Analyzer.many` analyses this many articles (a list of them) in worker processes."""
        return self.processes > 1 and articles > self.batch_size


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter): the batches analysis sends and stores."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
