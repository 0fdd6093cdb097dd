"""A backend that replays scripted outputs: for control-flow tests and UI development only.

Each call pops the next scripted entry: a dict (returned by complete_json), a
str (returned by complete_text) or an Exception instance (raised). `calls`
records every request so tests can assert what the agent asked.
"""

from __future__ import annotations

from typing import Iterator

from assistant.llm import LLMUnavailable, Message


class ScriptedBackend:
    name = "scripted"

    def __init__(self, script: list | None = None):
        self.script = list(script or [])
        self.calls: list[tuple[str, list[Message]]] = []

    def _next(self, kind: str, messages: list[Message]):
        self.calls.append((kind, messages))
        if not self.script:
            raise LLMUnavailable("scripted backend: script exhausted")
        out = self.script.pop(0)
        if isinstance(out, BaseException):
            raise out
        return out

    def complete_json(self, messages: list[Message], schema: dict, max_tokens: int = 200) -> dict:
        out = self._next("json", messages)
        if not isinstance(out, dict):
            raise LLMUnavailable(f"scripted backend: expected a dict, got {type(out).__name__}")
        return out

    def complete_text(self, messages: list[Message], max_tokens: int = 100) -> str:
        out = self._next("text", messages)
        if not isinstance(out, str):
            raise LLMUnavailable(f"scripted backend: expected text, got {type(out).__name__}")
        return out

    def stream_text(self, messages: list[Message], max_tokens: int = 100) -> Iterator[str]:
        words = self.complete_text(messages, max_tokens).split(" ")
        for i, w in enumerate(words):
            yield w if i == len(words) - 1 else w + " "
