"""A time limit for one piece of work in the main thread: SIGALRM raises DeadlineExceeded when it runs out.

Used around the extraction of one document, so that a pathological page becomes a recorded skip instead of
stopping the batch. Python delivers the signal between bytecodes: a single long call into C (one lxml parse)
is interrupted only when it returns, which is why the extractor also bounds its inputs. Outside the main
thread (the web server's workers) or with a limit of 0 the work runs unbounded.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from storyline.errors import StorylineError

__all__ = ["DeadlineExceeded", "deadline"]


class DeadlineExceeded(StorylineError):
    """The work took longer than its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise DeadlineExceeded inside the block once `seconds` have passed (0 or another thread: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise DeadlineExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
