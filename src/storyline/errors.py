"""The exception tree. Library code raises these; `cli.py` turns them into exit codes.

* StorylineError
  + InvalidRecord      (a record that breaks its own invariants, or bad serialized data)
  + IngestError        (an input that cannot become a Document: binary, empty, undecodable, too big, bad XML)
    - FetchError       (network, HTTP status, content type, robots.txt, refused address)
  + ExtractError       (no main text)
  + AnalyzeError       (a model that cannot load)
  + ClusterError
  + SynthesizeError
    - GroundingError   (a brief cites text that is not in its sources)
  + StoreError         (migration, integrity, unknown id)
"""

__all__ = [
    "AnalyzeError",
    "ClusterError",
    "ExtractError",
    "FetchError",
    "GroundingError",
    "IngestError",
    "InvalidRecord",
    "StoreError",
    "StorylineError",
    "SynthesizeError",
    "unexpected_reason",
]


class StorylineError(Exception):
    """Root of every error storyline raises on purpose."""


class InvalidRecord(StorylineError):
    """A record breaks its invariants, or serialized data does not fit the record."""


class IngestError(StorylineError):
    """An input could not become a Document."""

    def __init__(self, message: str, *, source: str = "") -> None:
        super().__init__(message)
        self.source = source


class FetchError(IngestError):
    """A URL could not be fetched: network, status, content type, size, robots.txt or a refused address."""

    def __init__(self, message: str, *, url: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, source=url)
        self.url = url
        self.status = status  # the HTTP status when the server answered with an error
        self.retry_after = retry_after  # seconds the server asked us to wait (429 / 503 with Retry-After)


class ExtractError(StorylineError):
    """A document holds no usable article text."""


class AnalyzeError(StorylineError):
    """An analysis step could not run (a model failed to load, for example)."""


class ClusterError(StorylineError):
    """Story clustering could not run."""


class SynthesizeError(StorylineError):
    """A brief could not be written."""


class GroundingError(SynthesizeError):
    """A brief item is not supported by the spans it cites."""


class BriefsFailed(SynthesizeError):
    """Some briefs of a batch could not be written (every other one was): `failures` maps story id to reason."""

    def __init__(self, failures: dict[str, str]) -> None:
        listed = "; ".join(f"{story}: {reason}" for story, reason in failures.items())
        super().__init__(f"{len(failures)} brief(s) could not be written (every other one was): {listed}")
        self.failures = failures


class StoreError(StorylineError):
    """The store failed: a migration, an integrity check, or an unknown id."""


def unexpected_reason(error: BaseException) -> str:
    """The skip reason for an exception nobody expected (a bug): its type and the start of its message."""
    message = str(error)[:300]
    return f"unexpected error: {type(error).__name__}" + (f": {message}" if message else "")
