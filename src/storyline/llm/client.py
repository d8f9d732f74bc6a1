"""A small client for OpenAI-compatible chat completions (Ollama, llama.cpp server, vLLM, hosted APIs).

Why httpx and not the `openai` package: httpx is already a dependency (the fetcher), the client needs one
endpoint, and owning the loop keeps retries, Retry-After, the JSON-mode fallbacks and the cache in one place
that tests drive with a plain HTTP double.

- Timeouts: one deadline per request (`timeout` seconds, connect included).
- Retries with exponential backoff on connection errors, timeouts, 429 and 5xx (`Retry-After` honoured, capped).
- JSON mode: the request asks for `response_format` json_schema; an endpoint that refuses it with 400 is asked
  again with json_object, then with no response_format (the answer is parsed defensively either way). The
  endpoint's choice is remembered for the client's life.
- Concurrency limit: at most `concurrency` requests in flight across threads.
- Cache: answers are kept in `cache_dir` under the sha256 of (model, messages, schema, sampling); a re-run with
  the same evidence costs nothing. Failures are never cached.
- Circuit breaker: after an endpoint failed every retry, later calls fail at once for `cooldown` seconds, so a
  run with the endpoint down costs one timeout, not one per story.
"""

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ChatClient", "LLMError"]

RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0


class LLMError(Exception):
    """The endpoint gave no usable answer (after retries); the writer falls back to the extractive brief."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    base_url: str  # e.g. http://127.0.0.1:8080/v1 (a trailing /v1 is added when missing)
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    concurrency: int = 2
    cache_dir: str | None = None  # None: no cache
    max_tokens: int = 1024
    temperature: float = 0.0
    cooldown: float = 300.0  # seconds the circuit stays open after a failed call


class ChatClient:
    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = endpoint
        base = endpoint.base_url.rstrip("/")
        self.url = f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"
        headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
        self._http = httpx.Client(timeout=endpoint.timeout, headers=headers, transport=transport)
        self._slots = threading.BoundedSemaphore(max(1, endpoint.concurrency))
        self._format = "json_schema"  # json_schema | json_object | none: what the endpoint accepts
        self._open_until = 0.0
        self.calls = 0  # requests sent (cache hits send none)
        self.cache_hits = 0

    def close(self) -> None:
        self._http.close()

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        """The assistant message's content for `messages`, asking for JSON matching `schema`."""
        key = _cache_key(self.endpoint, messages, schema)
        cached = self._cached(key)
        if cached is not None:
            self.cache_hits += 1
            return cached
        if time.monotonic() < self._open_until:
            raise LLMError("the endpoint failed a moment ago; not asked again yet")
        with self._slots:
            try:
                content = self._ask(messages, schema)
            except LLMError:
                self._open_until = time.monotonic() + self.endpoint.cooldown
                raise
        self._store(key, content)
        return content

    def _ask(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        attempt = 0
        while True:
            body: dict[str, Any] = {
                "model": self.endpoint.model,
                "messages": messages,
                "temperature": self.endpoint.temperature,
                "max_tokens": self.endpoint.max_tokens,
                "stream": False,
            }
            if self._format == "json_schema":
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "brief", "strict": True, "schema": schema},
                }
            elif self._format == "json_object":
                body["response_format"] = {"type": "json_object"}
            try:
                self.calls += 1
                response = self._http.post(self.url, json=body)
            except httpx.HTTPError as error:  # connection refused, timeout, broken answer
                delay = None
                reason = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 400 and self._format != "none":
                    self._format = "json_object" if self._format == "json_schema" else "none"
                    continue  # a 400 for the JSON mode: ask again without it (not counted as a retry)
                if response.status_code == 200:
                    return _content(response)
                if response.status_code not in RETRY_STATUSES:
                    raise LLMError(f"HTTP {response.status_code}: {response.text[:200]}")
                delay = _retry_after(response)
                reason = f"HTTP {response.status_code}"
            attempt += 1
            if attempt > self.endpoint.retries:
                raise LLMError(f"no answer after {attempt} attempts ({reason})")
            time.sleep(delay if delay is not None else self.endpoint.backoff * 2 ** (attempt - 1))

    def _cached(self, key: str) -> str | None:
        if not self.endpoint.cache_dir:
            return None
        try:
            return (Path(self.endpoint.cache_dir) / f"{key}.txt").read_text(encoding="utf-8")
        except OSError:
            return None

    def _store(self, key: str, content: str) -> None:
        if not self.endpoint.cache_dir:
            return
        folder = Path(self.endpoint.cache_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{key}.{os.getpid()}.{threading.get_ident()}"
            partial.write_text(content, encoding="utf-8")
            partial.replace(folder / f"{key}.txt")  # atomic: a reader never sees half an answer
        except OSError:
            pass  # a cache that cannot be written costs a request next time, nothing more


def _content(response: httpx.Response) -> str:
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise LLMError(f"not a chat-completions answer: {response.text[:200]!r}") from error
    if not isinstance(content, str) or not content.strip():
        raise LLMError("the model answered nothing")
    return content


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None


def _cache_key(endpoint: Endpoint, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
    material = json.dumps(
        [endpoint.model, endpoint.temperature, endpoint.max_tokens, messages, schema],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
