"""A fake Anthropic Messages API on loopback, scriptable per test, that logs every request.

Standard library only. The client (real-client-testing.md) calls ``HEAD /`` and then
``POST /v1/messages?beta=true`` with ``stream: true``; the answer is a server-sent-event stream
(``message_start``, per block ``content_block_start`` / ``content_block_delta`` /
``content_block_stop``, ``message_delta`` with the stop reason, ``message_stop``). Message lists may
hold ``role: "system"`` entries; nothing here validates roles, so they are accepted as they come.

A test passes a *script*: a function from the parsed request body to the assistant's content blocks,
e.g. ``[text_block("hi")]`` or ``[tool_use_block("Agent", {...})]``. Every request (any method, any
path) is appended to :attr:`FakeApi.requests` before it is answered.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import urlsplit

Block = dict[str, Any]
Script = Callable[[dict[str, Any]], list[Block]]
Hold = Callable[[dict[str, Any]], None]


class LoggedRequest(NamedTuple):
    method: str
    path: str
    """The path without the query string (``/v1/messages``)."""
    query: str
    body: Any
    """The parsed JSON body, ``None`` when there was none, the raw text when it was not JSON."""


def text_block(text: str) -> Block:
    return {"type": "text", "text": text}


_ids = itertools.count(1)


def tool_use_block(name: str, tool_input: dict[str, Any]) -> Block:
    return {
        "type": "tool_use",
        "id": f"toolu_fake{next(_ids):04d}",
        "name": name,
        "input": tool_input,
    }


def always_text(text: str = "Done.") -> Script:
    return lambda _request: [text_block(text)]


def sse_events(
    model: str, blocks: list[Block], delta_extra: dict[str, Any] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The event stream of one assistant message made of ``blocks``; ``delta_extra`` goes into the
    ``message_delta`` event's ``delta``."""
    stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": f"msg_fake{next(_ids):04d}",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 10, "output_tokens": 1},
                },
            },
        )
    ]
    for index, block in enumerate(blocks):
        if block["type"] == "tool_use":
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            start = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        events += [
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            ),
            (
                "content_block_delta",
                {"type": "content_block_delta", "index": index, "delta": delta},
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": index}),
        ]
    events += [
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None, **(delta_extra or {})},
                "usage": {"output_tokens": 5},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return events


def safeguard_verdicts(request: dict[str, Any], blocks: list[Block]) -> dict[str, Any]:
    """Auto mode's server-side safety check, answered as a server that flags nothing.

    Interactive 2.1.332 in auto mode asks the API (request ``safeguards``, type
    ``dangerous_tool_use``) to judge each tool call; the verdicts come back in ``message_delta``'s
    ``delta.safeguard_results``. Without one, a call such as Agent opens "Auto mode can't check
    actions in this session". Empty when the request did not ask.
    """
    asked = any(
        isinstance(s, dict) and s.get("type") == "dangerous_tool_use"
        for s in request.get("safeguards") or []
    )
    ids = [b["id"] for b in blocks if b["type"] == "tool_use"]
    if not asked or not ids:
        return {}
    verdicts = {i: {"type": "evaluated", "outcome": "not_flagged"} for i in ids}
    status = {"type": "available", "tool_uses": verdicts}
    return {"safeguard_results": [{"type": "dangerous_tool_use", "status": status}]}


def whole_message(model: str, blocks: list[Block]) -> dict[str, Any]:
    """The same message as one JSON object, for a request sent without ``stream: true``."""
    stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    return {
        "id": f"msg_fake{next(_ids):04d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }


class FakeApi:
    """``with FakeApi(script) as api:`` serves on ``api.base_url`` until the block ends."""

    def __init__(
        self, script: Script | None = None, hold: Hold | None = None, verdicts: bool = False
    ) -> None:
        self.script: Script = script or always_text()
        self.verdicts = verdicts
        """Answer auto mode's server-side safety check (:func:`safeguard_verdicts`)."""
        self.hold = hold
        """Called with each logged message request before it is answered, outside the lock: a test
        may block there to keep a request in flight (a slow model) while it acts on the client."""
        self.requests: list[LoggedRequest] = []
        self.script_errors: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.05)  # a short poll makes shutdown quick

    def __enter__(self) -> FakeApi:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def log(self, request: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, body: dict[str, Any]) -> list[Block]:
        """Run the script under the lock: a script may keep state, requests come on many threads."""
        with self._lock:
            try:
                return self.script(body)
            except Exception as error:
                # a broken script must show up in the test, not hang the client
                self.script_errors.append(f"{type(error).__name__}: {error}")
                return [text_block(f"fake API script error: {error}")]

    def message_requests(self) -> list[dict[str, Any]]:
        """Bodies of every ``POST /v1/messages`` so far, in arrival order."""
        with self._lock:
            return [
                r.body
                for r in self.requests
                if r.method == "POST" and r.path == "/v1/messages" and isinstance(r.body, dict)
            ]


def _handler_for(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def _read_body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not raw:
                return None
            text = raw.decode("utf-8", "replace")
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                return text

        def _log(self, body: Any) -> str:
            parts = urlsplit(self.path)
            api.log(LoggedRequest(self.command, parts.path, parts.query, body))
            return parts.path

        def _send_json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_HEAD(self) -> None:
            self._log(None)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self._log(None)
            self._send_json(404, _error("not_found_error", f"the fake API has no GET {self.path}"))

        def do_POST(self) -> None:
            body = self._read_body()
            path = self._log(body)
            if path == "/v1/messages/count_tokens":
                size = len(json.dumps(body)) if body is not None else 0
                self._send_json(200, {"input_tokens": max(1, size // 4)})
                return
            if path != "/v1/messages" or not isinstance(body, dict):
                self._send_json(404, _error("not_found_error", f"the fake API has no POST {path}"))
                return
            model = str(body.get("model") or "claude-fake")
            if api.hold is not None:
                api.hold(body)
            blocks = api.answer(body)
            if not body.get("stream"):
                self._send_json(200, whole_message(model, blocks))
                return
            extra = safeguard_verdicts(body, blocks) if api.verdicts else None
            stream = "".join(
                f"event: {name}\ndata: {json.dumps(data)}\n\n"
                for name, data in sse_events(model, blocks, extra)
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Content-Length", str(len(stream)))
            self.end_headers()
            self.wfile.write(stream)

    return Handler


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}
