"""A scripted OpenAI-compatible chat-completions endpoint on loopback, for the model writer's tests.

`ModelDouble(script)` serves POST /v1/chat/completions; `script(body)` gets the request's JSON and returns a
`Reply` (status, the assistant's content or a raw body, headers, a delay before answering). Every request
body is kept in `requests`.
"""

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str | None = None  # the assistant message's content (wrapped in a chat-completions answer)
    status: int = 200
    body: str | None = None  # a raw body instead of a chat-completions answer
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Script = Callable[[dict[str, Any]], Reply]


class ModelDouble:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                double.requests.append(body)
                reply = double.script(body)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body
                if payload is None:
                    message = {"role": "assistant", "content": reply.content}
                    payload = json.dumps({"choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})
                data = payload.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "ModelDouble":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def evidence_lines(body: dict[str, Any]) -> dict[int, str]:
    """The numbered evidence lines of a writer request: {n: sentence} (the outlet prefix cut)."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    lines = {}
    for match in re.finditer(r"^\[(\d+)\] \([^)]*\) (.+)$", user, re.MULTILINE):
        lines[int(match.group(1))] = match.group(2)
    return lines


def wanted(body: dict[str, Any]) -> dict[str, int]:
    """How many items the schema allows per section."""
    schema = body.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return {k: v.get("maxItems", 0) for k, v in schema.get("properties", {}).items() if k != "headline"}


def faithful(body: dict[str, Any]) -> Reply:
    """A model that rewords nothing away: each item is an evidence line, lightly trimmed, citing it."""
    lines = evidence_lines(body)
    numbers = sorted(lines)
    answer: dict[str, Any] = {"headline": {"text": _trim(lines[numbers[0]]), "cites": [numbers[0]]}}
    for section, count in wanted(body).items():
        answer[section] = [{"text": _trim(lines[n]), "cites": [n]} for n in numbers[:count]]
    return Reply(json.dumps(answer))


def _trim(sentence: str) -> str:
    """The sentence with a leading "But"/"And" and a trailing clause after the last comma dropped."""
    sentence = re.sub(r"^(?:But|And|So)\s+", "", sentence)
    head, _, tail = sentence.rpartition(", ")
    return (head + ".") if head and len(head.split()) >= 6 and len(tail.split()) <= 6 else sentence
