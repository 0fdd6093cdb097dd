"""In-process GGUF model via llama-cpp-python, serialised by a lock, warmed up after load.

Two llama.cpp contexts share one memory-mapped model file: one for JSON calls (the turn plan),
one for free text (the answer sentence). llama.cpp reuses the longest prompt prefix that a
context evaluated last, so keeping plan and answer calls apart keeps the ~670-token plan prompt
cached across turns instead of re-evaluating it after every answer (the KV cache of a second
context costs ~25 MB at n_ctx 2048; the weights are not loaded twice).

JSON output is constrained with llama.cpp's grammar from a JSON schema
(`response_format={"type": "json_object", "schema": ...}`), which works
reliably even for 0.5B models. Calls stream so a deadline can stop a slow
generation; a timeout or any error raises LLMUnavailable.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Iterator

from assistant.llm import LLMUnavailable, Message, parse_json_object


class LlamaCppBackend:
    def __init__(self, model_path: Path, n_threads: int = 2, n_ctx: int = 2048, timeout_s: float = 30.0, seed: int = 0):
        from llama_cpp import Llama  # heavy: imported only when a model is loaded

        self.model_path = Path(model_path)
        self.name = f"llama_cpp:{self.model_path.stem}"
        self.timeout_s = timeout_s
        self._lock = threading.Lock()  # one generation at a time per process
        t0 = time.perf_counter()
        self.llm = Llama(model_path=str(self.model_path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
        # the free-text context (answers, onboarding); same mmapped weights
        self.llm_text = Llama(model_path=str(self.model_path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
        # No LlamaRAMCache: its saved states copy the logits (tokens x 151k vocab floats, ~0.4 GB per
        # state for the plan prompt) and grew a test process to 8.7 GB. llama.cpp still reuses the
        # longest common prefix with the previous call, so consecutive plan calls share the prompt.
        self.load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for llm in (self.llm, self.llm_text):  # warm-up: the first call of each context pays setup costs
            "".join(self._stream([{"role": "user", "content": "Hi"}], 1, None, llm))
        self.warmup_s = time.perf_counter() - t0

    def prime(self, messages: list[Message]) -> None:
        """Evaluate a plan-prompt prefix in the JSON context now, so the first turn starts from the cache."""
        "".join(self._stream(messages, 1, None, self.llm))

    def _stream(self, messages: list[Message], max_tokens: int, response_format: dict | None, llm=None) -> Iterator[str]:
        deadline = time.monotonic() + self.timeout_s
        llm = llm or (self.llm if response_format is not None else self.llm_text)
        with self._lock:
            try:
                chunks = llm.create_chat_completion(
                    messages=messages, temperature=0.0, max_tokens=max_tokens, stream=True,
                    response_format=response_format,
                )
                for chunk in chunks:
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
                    if time.monotonic() > deadline:
                        raise LLMUnavailable(f"local LLM exceeded {self.timeout_s:.0f}s")
            except LLMUnavailable:
                raise
            except Exception as e:  # llama.cpp errors (context overflow, grammar) -> fallback
                raise LLMUnavailable(f"local LLM failed: {e}") from e

    def complete_json(self, messages: list[Message], schema: dict, max_tokens: int = 200) -> dict:
        text = "".join(self._stream(messages, max_tokens, {"type": "json_object", "schema": schema}))
        return parse_json_object(text, f"local LLM (max_tokens={max_tokens})")

    def complete_text(self, messages: list[Message], max_tokens: int = 100) -> str:
        return "".join(self._stream(messages, max_tokens, None)).strip()

    def stream_text(self, messages: list[Message], max_tokens: int = 100) -> Iterator[str]:
        yield from self._stream(messages, max_tokens, None)
