"""A small, bounded, time-limited cache for story cards, owned by the app (no module-level state).

The story list shows one card per story, and a card needs the story's brief: parsing twenty briefs per page
view is most of the page's cost. Cards are kept under (story id, story updated_at), so a story that changes
gets a new card at once; a brief rewritten for an unchanged story shows after at most `ttl` seconds.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["CardCache"]


class CardCache:
    """Least-recently-used cache of JSON-ready dicts with a time limit per entry."""

    def __init__(self, ttl: float = 30.0, size: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._entries: OrderedDict[tuple[str, str], tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The cached value for `key`, or `build()` (stored) when it is missing or older than `ttl`."""
        now = self.clock()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and now - found[0] < self.ttl:
                self._entries.move_to_end(key)
                return found[1]
        value = build()
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
