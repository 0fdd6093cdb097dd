"""Any OpenAI-compatible /v1 chat server (llama_cpp.server, vLLM, Ollama, ...) via the openai client.

JSON mode sends `response_format={"type": "json_object", "schema": ...}`:
llama_cpp.server turns the schema into a grammar (its `json_schema` type
answers HTTP 500), other servers may ignore the schema, so callers validate
the object they get. Calls are serialised per process; errors and timeouts
raise LLMUnavailable.
"""

from __future__ import annotations

import threading
from typing import Iterator

from assistant.llm import LLMUnavailable, Message, parse_json_object


class OpenAICompatBackend:
    def __init__(self, base_url: str, model: str = "local", api_key: str = "not-needed", timeout_s: float = 30.0):
        import openai

        self.base_url = base_url
        self.model = model
        self.name = f"openai:{model}@{base_url}"
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0)
        self._lock = threading.Lock()

    def _create(self, **kw):
        import openai

        with self._lock:
            try:
                return self.client.chat.completions.create(model=self.model, temperature=0.0, **kw)
            except openai.OpenAIError as e:
                raise LLMUnavailable(f"LLM server {self.base_url} failed: {type(e).__name__}: {e}") from e

    def complete_json(self, messages: list[Message], schema: dict, max_tokens: int = 200) -> dict:
        resp = self._create(messages=messages, max_tokens=max_tokens,
                            response_format={"type": "json_object", "schema": schema})
        return parse_json_object(resp.choices[0].message.content or "", f"LLM server {self.base_url}")

    def complete_text(self, messages: list[Message], max_tokens: int = 100) -> str:
        resp = self._create(messages=messages, max_tokens=max_tokens)
        return (resp.choices[0].message.content or "").strip()

    def stream_text(self, messages: list[Message], max_tokens: int = 100) -> Iterator[str]:
        import openai

        with self._lock:
            try:
                for chunk in self.client.chat.completions.create(model=self.model, temperature=0.0, messages=messages,
                                                                 max_tokens=max_tokens, stream=True):
                    if chunk.choices and chunk.choices[0].delta.content:
                        yield chunk.choices[0].delta.content
            except openai.OpenAIError as e:
                raise LLMUnavailable(f"LLM server {self.base_url} failed: {e}") from e
