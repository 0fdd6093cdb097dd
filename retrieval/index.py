"""The Chroma item index: one vector per catalog item, searchable by text with metadata filters.

What it does:
  * `ItemIndex.open(catalog, persist_dir=..., url=...)` opens an embedded
    `chromadb.PersistentClient(persist_dir)`, or a `chromadb.HttpClient` when a
    `url` is given (a `chroma run` server) — the rest of the code path is the same.
  * `build()` upserts incrementally: each item's metadata carries a hash of its
    document + metadata; only new or changed items are embedded and written,
    items no longer in the catalog are deleted. Writes go in batches no larger
    than `client.get_max_batch_size()`.
  * `search(query, filters, k)` embeds the query with the same embedder and
    returns `Hit(item_id, score, document)`, best first, score = cosine similarity.
  * `filter_ids(filters)` selects items by metadata alone.
What it does not do: decide what to recommend (the scorer and the agent do),
or read env vars (the CLI passes `url`).

Embeddings are computed by our own `Embedder` (never Chroma's default, which
downloads a model). The collection records a registered embedding function
("recassist") whose config rebuilds that embedder, so a collection can be
reopened in a new process or by a plain chromadb client.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from catalog.types import Catalog, RecassistError
from retrieval.documents import item_documents
from retrieval.embedders import Embedder, MiniLMEmbedder, embedder_from_config, item_embeddings
from retrieval.filters import SearchFilters, Vocabulary, item_metadata, to_where


class RetrievalError(RecassistError):
    """The index cannot be opened or used as asked (server down, embedder mismatch)."""


@dataclass(frozen=True)
class Hit:
    item_id: str
    score: float  # cosine similarity in [-1, 1]
    document: str


@lru_cache(maxsize=1)
def chroma_embedding_function_class():
    """The registered Chroma embedding function wrapping our embedders (imports chromadb lazily)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class RecassistEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Embedder):
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed(list(input)))

        @staticmethod
        def name() -> str:
            return "recassist"

        def default_space(self):
            return "cosine"

        def supported_spaces(self):
            return ["cosine"]

        def get_config(self) -> dict:
            cfg = getattr(self.embedder, "config", None)
            return dict(cfg()) if callable(cfg) else {"kind": "custom", "embedder": self.embedder.name}

        @staticmethod
        def build_from_config(config: dict) -> "RecassistEmbeddingFunction":
            return RecassistEmbeddingFunction(embedder_from_config(config))

        @staticmethod
        def validate_config(config: dict) -> None:
            return None

        def validate_config_update(self, old_config: dict, new_config: dict) -> None:
            return None

    return RecassistEmbeddingFunction


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


def make_client(persist_dir: Path | None = None, url: str | None = None):
    """chromadb.HttpClient for `url` ("http://127.0.0.1:8000"), else PersistentClient(persist_dir)."""
    import chromadb

    if url:
        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
                                         ssl=u.scheme == "https", settings=_settings())
            client.heartbeat()
        except Exception as e:  # connection refused, DNS, HTTP errors: all mean "no server there"
            raise RetrievalError(f"cannot reach Chroma server at {url} ({type(e).__name__}); start it with "
                              f"`chroma run --path <dir>` or unset RECASSIST_CHROMA_URL") from e
        return client
    if persist_dir is None:
        raise RetrievalError("ItemIndex needs persist_dir (embedded Chroma) or url (Chroma server)")
    Path(persist_dir).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=_settings())


def _slug(text: str) -> str:
    s = re.sub(r"[^a-zA-Z0-9._-]+", "-", text).strip("-._")
    return s[:200] or "x"


def _item_hash(doc: str, md: dict) -> str:
    return hashlib.sha1((doc + "\x00" + json.dumps(md, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()


class ItemIndex:
    """A Chroma collection holding one document + vector + metadata per catalog item."""

    def __init__(self, catalog: Catalog, client, collection, embedder: Embedder, vectors_cache: Path | None,
                 url: str | None = None):
        self.catalog = catalog
        self.url = url  # the Chroma server's URL, None for embedded Chroma
        self.client = client
        self.collection = collection
        self.embedder = embedder
        self.vectors_cache = vectors_cache
        self.vocab = Vocabulary.from_catalog(catalog)

    @classmethod
    def open(cls, catalog: Catalog, persist_dir: Path | None = None, url: str | None = None,
             embedder: Embedder | None = None, collection: str | None = None,
             vectors_cache: Path | None = None) -> "ItemIndex":
        embedder = embedder or MiniLMEmbedder()
        client = make_client(persist_dir, url)
        name = _slug(collection or f"items-{embedder.name}")
        if len(name) < 3:
            name = f"items-{name}"
        ef = chroma_embedding_function_class()(embedder)
        try:
            col = client.get_or_create_collection(
                name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": embedder.name},
            )
        except ValueError as e:  # chromadb raises ValueError on an embedding-function conflict
            raise RetrievalError(f"collection {name!r} was built with another embedding function ({e}); "
                              f"pick another collection name or rebuild with --force") from e
        built_with = (col.metadata or {}).get("embedder")
        if built_with and built_with != embedder.name:
            raise RetrievalError(f"collection {name!r} holds {built_with} vectors, not {embedder.name}; "
                              f"use another collection name or rebuild with --force")
        return cls(catalog, client, col, embedder, vectors_cache, url=url)

    # -- writing -------------------------------------------------------------
    def _existing_hashes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        step = self.client.get_max_batch_size()
        offset = 0
        while True:
            got = self.collection.get(include=["metadatas"], limit=step, offset=offset)
            for i, md in zip(got["ids"], got["metadatas"] or []):
                out[i] = (md or {}).get("hash", "")
            if len(got["ids"]) < step:
                return out
            offset += step

    def build(self, force: bool = False) -> dict:
        """Bring the collection in line with the catalog; returns {added, updated, deleted, unchanged}."""
        if force:
            name, md = self.collection.name, self.collection.metadata
            self.client.delete_collection(name)
            self.collection = self.client.get_or_create_collection(
                name, embedding_function=chroma_embedding_function_class()(self.embedder),
                configuration={"hnsw": {"space": "cosine"}}, metadata=md or {"embedder": self.embedder.name})
        docs = item_documents(self.catalog, facts=True)  # with rating, runtime, awards, critic scores
        metas = [item_metadata(it) for it in self.catalog]
        for d, m in zip(docs, metas):
            m["hash"] = _item_hash(d, m)
        existing = self._existing_hashes()
        todo = [r for r, it in enumerate(self.catalog) if existing.get(it.id) != metas[r]["hash"]]
        ids = self.catalog.ids
        stale = sorted(set(existing) - set(ids))
        counts = {"added": sum(1 for r in todo if ids[r] not in existing),
                  "updated": sum(1 for r in todo if ids[r] in existing),
                  "deleted": len(stale), "unchanged": len(ids) - len(todo)}
        step = self.client.get_max_batch_size()
        for i in range(0, len(stale), step):
            self.collection.delete(ids=stale[i : i + step])
        if todo:
            if self.vectors_cache is not None:  # shared cache: embeds only documents it has not seen
                vecs = item_embeddings(self.catalog, self.embedder, self.vectors_cache, facts=True)[todo]  # (n_todo, dim)
            else:
                vecs = self.embedder.embed([docs[r] for r in todo])  # (n_todo, dim)
            for i in range(0, len(todo), step):
                rows = todo[i : i + step]
                self.collection.upsert(ids=[ids[r] for r in rows], embeddings=np.asarray(vecs[i : i + step], np.float32),
                                       documents=[docs[r] for r in rows], metadatas=[metas[r] for r in rows])
        return counts

    # -- reading -------------------------------------------------------------
    def _read(self, fn, *args, **kw):
        """Run one read on the collection; a failure of the store itself (the Chroma server stopped,
        a broken connection) becomes a RetrievalError that says where and what to do."""
        try:
            return fn(*args, **kw)
        except RecassistError:
            raise
        except Exception as e:  # httpx / chromadb errors: the index cannot answer
            where = f"the Chroma server at {self.url}" if self.url else "the embedded Chroma index"
            fix = ("restart it with `chroma run --path <dir>` or unset RECASSIST_CHROMA_URL" if self.url
                   else "rebuild it with `recassist index build --force`")
            raise RetrievalError(f"{where} failed ({type(e).__name__}: {str(e)[:80]}); {fix}") from e

    def count(self) -> int:
        return int(self._read(self.collection.count))

    def resolve(self, filters: SearchFilters | None) -> SearchFilters | None:
        """Filters with canonical spellings (FilterError for unknown values)."""
        return None if filters is None else self.vocab.resolve(filters)

    def search(self, query: str, filters: SearchFilters | None = None, k: int = 10) -> list[Hit]:
        if not query or not query.strip():
            raise RetrievalError("empty search text; describe what you are looking for")
        if k < 1:
            raise RetrievalError(f"k must be at least 1, got {k}")
        where = to_where(self.resolve(filters))
        qvec = self.embedder.embed([query.strip()])  # (1, dim)
        return self.search_vector(qvec[0], where, k)

    def search_vector(self, qvec: np.ndarray, where: dict | None, k: int) -> list[Hit]:
        """Top-k by cosine for a ready query vector (dim,) and a Chroma `where` (None = all)."""
        n = self.count()
        if n == 0:
            raise RetrievalError("the item index is empty; run `recassist index build` first")
        res = self._read(self.collection.query, query_embeddings=[np.asarray(qvec, np.float32)], n_results=min(k, n), where=where,
                                    include=["documents", "distances"])
        hits = [Hit(i, 1.0 - float(d), doc) for i, d, doc in zip(res["ids"][0], res["distances"][0], res["documents"][0])]
        return [h for h in hits if h.item_id in self.catalog]  # off-catalog items never leave the index

    def filter_ids(self, filters: SearchFilters, limit: int | None = None) -> list[str]:
        """Ids of items matching the filters, in catalog order (metadata only, no query text)."""
        where = to_where(self.resolve(filters))
        found: set[str] = set()
        step = self._read(self.client.get_max_batch_size)
        offset = 0
        while True:
            got = self._read(self.collection.get, where=where, include=[], limit=step, offset=offset)
            found.update(got["ids"])
            if len(got["ids"]) < step:
                break
            offset += step
        ids = sorted((i for i in found if i in self.catalog), key=self.catalog.index)
        return ids[:limit] if limit is not None else ids
