"""Typed configuration of the assistant. No env vars are read here (only at the CLI/app edge).

`AssistantConfig` names the dataset, where data lives, which LLM backend phrases
and parses (in-process llama.cpp, any OpenAI-compatible server, or none =
deterministic rules + templates), and the execution mode ("plan": one
constrained JSON call + tools run in code, for small local models; "native":
LangChain `create_agent` tool calling, for capable OpenAI-compatible models).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from catalog.paths import Paths


class AssistantConfig(BaseModel):
    dataset: str = "ml-100k"  # ml-100k | ml-1m | BYO directory
    home: Path  # required: the edge (CLI, app, tests) resolves it once, from --home / $RECASSIST_HOME
    llm: Literal["llama_cpp", "openai", "none"] = "llama_cpp"
    mode: Literal["plan", "native"] = "plan"
    # llama_cpp backend
    model_name: str = "qwen2.5-coder-0.5b"  # a name from assistant.models.MODELS
    model_path: Path | None = None  # explicit .gguf (overrides model_name)
    n_threads: int = 2
    n_ctx: int = 2048
    # openai-compatible backend
    base_url: str | None = None
    api_key: str = "not-needed"
    openai_model: str = "local"
    # retrieval / ranking
    chroma_url: str | None = None  # None = embedded persistent Chroma under artifacts/
    k: int = 5  # cards per reply
    n_candidates: int = 60  # retrieved before ranking
    # limits
    llm_timeout_s: float = 30.0  # one LLM call; on timeout the template fallback answers
    plan_max_tokens: int = 160
    answer_max_tokens: int = 40
    # tokens for an LLM-phrased "why N" answer; 0 = the template answers. Off by default: with the local 0.5B model
    # the checker accepted 20-30% of answers and several accepted ones swapped who liked what
    # (docs/results/why_llm_ml-100k.md); a capable server model can be given e.g. 48.
    why_max_tokens: int = 0
    feedback_db: Path | None = None  # default artifacts/<dataset>/feedback.sqlite
    # session/feedback database URL (postgresql://user:pass@host:port/db, or sqlite:///path); None = the SQLite file
    # above. See assistant.feedback_store.open_store.
    db_url: str | None = None
    # act-classifier probability below which the LLM (if any) reads the message. On the dev split the local 0.5B
    # model was right on 25 of the 56 messages the classifier scored below 0.5 (the classifier on 53), so the
    # default leaves it almost always to the classifier; a capable server model can be given a higher value.
    nlu_threshold: float = 0.15

    model_config = {"arbitrary_types_allowed": True}

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.home).expanduser())
