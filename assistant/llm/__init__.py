"""One seam for every LLM backend: `LLMBackend` with JSON-constrained and text completion.

Backends: `LlamaCppBackend` (in-process GGUF via llama-cpp-python),
`OpenAICompatBackend` (any OpenAI-compatible /v1 server) and `ScriptedBackend`
(replies from a script, for control-flow tests). Every failure or timeout
surfaces as `LLMUnavailable`, which callers answer with a deterministic
fallback. Backends never see catalog data beyond what the prompt holds.
"""

from __future__ import annotations

from typing import Iterator, Protocol

from catalog.types import RecassistError

Message = dict  # {"role": "system"|"user"|"assistant", "content": str}


class LLMUnavailable(RecassistError):
    """The LLM failed, timed out or returned unusable output; use the fallback."""


def parse_json_object(text: str, source: str) -> dict:
    """The JSON object a constrained call returned, or LLMUnavailable naming `source` and what was wrong."""
    import json

    try:
        out = json.loads(text)
    except json.JSONDecodeError as e:
        raise LLMUnavailable(f"{source} returned invalid JSON ({e.msg}): {text[:80]!r}") from e
    if not isinstance(out, dict):
        raise LLMUnavailable(f"{source} returned JSON that is not an object")
    return out


class LLMBackend(Protocol):
    name: str

    def complete_json(self, messages: list[Message], schema: dict, max_tokens: int = 200) -> dict: ...

    def complete_text(self, messages: list[Message], max_tokens: int = 100) -> str: ...

    def stream_text(self, messages: list[Message], max_tokens: int = 100) -> Iterator[str]: ...


def load_backend(config) -> LLMBackend | None:
    """The backend named by an AssistantConfig (None for llm="none"). Loads the model now."""
    if config.llm == "none":
        return None
    if config.llm == "openai":
        from assistant.llm.openai_compat import OpenAICompatBackend

        if not config.base_url:
            raise RecassistError("llm=openai needs a base URL (set OPENAI_BASE_URL, e.g. http://127.0.0.1:8080/v1)")
        return OpenAICompatBackend(config.base_url, config.openai_model, api_key=config.api_key, timeout_s=config.llm_timeout_s)
    from assistant.llm.llama_cpp import LlamaCppBackend

    path = config.model_path
    if path is None:
        from assistant.models import MODELS

        if config.model_name not in MODELS:
            raise RecassistError(f"unknown model {config.model_name!r}; choose one of {', '.join(MODELS)} or pass a .gguf path")
        path = config.paths.models_dir / MODELS[config.model_name].filename
    if not path.exists():
        raise RecassistError(f"{path}: model file not found; run `recassist model fetch` (or use --backend none)")
    return LlamaCppBackend(path, n_threads=config.n_threads, n_ctx=config.n_ctx, timeout_s=config.llm_timeout_s)
