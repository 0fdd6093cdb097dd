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
    Filtered searches take one of these paths (`last_path` records which ran):
      "ann"            no filter: Chroma's HNSW index;
      "exact"          the filter (a `FilterIndex` over the catalog) leaves at most
                       `exact_max` items, or more but the scan is estimated cheaper than the
                       over-fetch (`path_costs_ms`): an exact scan of their vectors, exact top-k;
      "ann_overfetch"  otherwise: an unfiltered HNSW query for
                       ~k * n / matches * `overfetch` items, kept if they match;
      "exact_fallback" that over-fetch kept fewer than k: the exact scan after all;
      "chroma_where"   no item vectors at hand (none passed in, no `vectors_cache` holding
                       every current document, and a Chroma server or a collection
                       missing catalog items): Chroma's own metadata filter.
    Item vectors come from (first that applies) `ItemIndex(..., vectors=V)`, the
    `vectors_cache` file, or the embedded collection itself; read once, lazily.
    An HNSW query with a `where` took 0.77 s p50 at 1M items (docs/results/scale_1m.md).
  * `filter_ids(filters)` selects items by metadata alone (the `FilterIndex`).
  * `query_spread(text)` says how much a text singles out some items: the 99th-percentile cosine of its vector
    against a fixed sample of item vectors, minus the median. "submarine" or "time travel" stand out from the rest
    (0.18-0.19 on ML-100K); "usually", "help" or "wants" are about as near every item (0.085-0.118).
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
import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from catalog.types import Catalog, RecassistError
from retrieval.documents import item_documents
from retrieval.embedders import Embedder, MiniLMEmbedder, embedder_from_config, item_embeddings
from retrieval.filter_index import FilterIndex, in_sorted
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


class _CacheMiss(Exception):
    pass


class _CacheOnly:
    """An embedder that refuses to embed: `item_embeddings` through it reads the cache or raises _CacheMiss."""

    def __init__(self, inner: Embedder):
        self.name = inner.name
        self.dim = 0  # read only when there is nothing to embed and no cache, which we never ask for

    def embed(self, texts: list[str]) -> np.ndarray:
        if texts:
            raise _CacheMiss
        return np.zeros((0, self.dim), np.float32)


def cached_item_vectors(catalog: Catalog, embedder: Embedder, cache_path: Path | None) -> np.ndarray | None:
    """(n_items, dim) float32 item vectors in catalog order from the `item_embeddings` cache, when it holds
    every current document (facts=True, as `build` writes it); None otherwise. Never embeds anything."""
    if cache_path is None or len(catalog) == 0 or not Path(cache_path).exists():
        return None
    try:
        return item_embeddings(catalog, _CacheOnly(embedder), cache_path, facts=True)  # type: ignore[arg-type]
    except _CacheMiss:
        return None


def _scan(V: np.ndarray, q: np.ndarray, rows: np.ndarray, out: np.ndarray, chunk: int, einsum: bool) -> None:
    """out[j] = V[rows[j]] . q, gathering `chunk` rows at a time into one small reused buffer. V (n, dim),
    q (dim,), rows (m,) int32, out (m,) float32."""
    buf = np.empty((min(chunk, len(rows)), V.shape[1]), V.dtype)  # (<= chunk, dim)
    for s in range(0, len(rows), chunk):
        r = rows[s : s + chunk]
        np.take(V, r, axis=0, out=buf[: len(r)])
        if einsum:
            np.einsum("ij,j->i", buf[: len(r)], q, out=out[s : s + len(r)])
        else:
            np.matmul(buf[: len(r)], q, out=out[s : s + len(r)])


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    """`vectors` (n, dim) as float32 with L2-normalised rows (normalised in a copy only when some row is not)."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", v, v))  # (n,), no (n, dim) temporary
    if np.allclose(norms, 1.0, atol=1e-3):
        return v
    return v / np.maximum(norms, 1e-12)[:, None]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest scores, best first; ties broken by position (so results are deterministic)."""
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]  # k-th largest value
        cand = np.flatnonzero(scores >= kth)  # (>= k,)
    else:
        cand = np.arange(len(scores))
    return cand[np.lexsort((cand, -scores[cand]))[:k]]


class ItemIndex:
    """A Chroma collection holding one document + vector + metadata per catalog item."""

    # Which path answers a filtered search is a cost comparison. Measured on this 2-core machine (idle; numpy 2.4,
    # chromadb 1.5.9, 384-d): the exact scan (gather rows of a 1M x 384 matrix, dot, top-k) costs ~0.5 us a row
    # (25 ms for 50k rows, 104 ms for 200k); an unfiltered HNSW query costs a fixed ~10 ms at 1M items plus
    # 6-9 us a result (100k items: 2.5 ms for 100 results, 23 ms for 3,000). The over-fetch asks for
    # k * n / m * overfetch results, so its cost falls as the m matches grow while the scan's rises: up to
    # `exact_max` matches the scan is always taken (exact, <= ~25 ms; every MovieLens-sized catalog), above it
    # whichever `path_costs_ms` says is cheaper. For the tool path's k = 500 at 1M items the scan wins up to
    # ~200k matches, where a fixed 50k limit had sent 15,000-result HNSW queries (597 ms p95, scale_1m.md).
    # The per-result HNSW cost is the 1M index's: 20 over-fetch queries of 4,000-8,800 results in two bench runs
    # took 8-18 us a result above the fixed 10 ms, median 12 (the 100k index's 6-9 us had underestimated it).
    exact_max: int = 50_000
    overfetch: float = 3.0  # HNSW over-fetch factor on top of k * n / matches
    exact_us_per_row: float = 0.5
    # a scan of at least this many rows runs in two halves on two threads (np.take and einsum release the GIL):
    # 1M x 384 on this 2-core machine, 200k rows: 68-82 ms on one thread, 37-51 ms on two (bench note in
    # docs/scaling.md). Smaller scans stay on one thread, where a thread hand-off costs more than it saves.
    parallel_min_rows: int = 32_768
    # The estimate keeps the one-thread rate for two-thread scans too. Costing them at the microbenchmark's 0.25 us a
    # row moved 235k-285k-match queries to the scan, which then took 86-131 ms in the 1M bench against 43-66 ms for
    # their over-fetch (docs/results/scale_1m_two_thread_estimate.md, docs/scaling.md), so it was reverted.
    ann_fixed_ms: float = 10.0
    ann_us_per_result: float = 12.0

    def __init__(self, catalog: Catalog, client, collection, embedder: Embedder, vectors_cache: Path | None,
                 url: str | None = None, vectors: np.ndarray | None = None):
        self.catalog = catalog
        self.url = url  # the Chroma server's URL, None for embedded Chroma
        self.client = client
        self.collection = collection
        self.embedder = embedder
        self.vectors_cache = vectors_cache
        self.vocab = Vocabulary.from_catalog(catalog)
        self.last_path: str | None = None  # "ann" | "exact" | "ann_overfetch" | "exact_fallback" | "chroma_where"
        self._lazy_lock = threading.Lock()  # one thread builds the FilterIndex / reads the vectors (served UI)
        self._filter_index: FilterIndex | None = None  # built on first use
        self._vectors: np.ndarray | None = None  # (n_items, dim) float32, unit rows, catalog order
        self._vectors_given = vectors is not None
        self._vectors_loaded = False  # whether _vectors is up to date (reset by build)
        self._count: int | None = None  # embedded Chroma's item count, kept until build writes
        self._spread_rows: tuple[int, np.ndarray] | None = None  # (n_items, (<= SPREAD_SAMPLE,) rows) for query_spread
        self._scan_pool = None  # concurrent.futures.ThreadPoolExecutor(1) for the second half of big scans, lazily
        if vectors is not None:
            if vectors.ndim != 2 or vectors.shape[0] != len(catalog):
                raise RetrievalError(f"vectors must be (n_items={len(catalog)}, dim), got {vectors.shape}")
            self._vectors = _unit_rows(vectors)
            self._vectors_loaded = True

    @property
    def filter_index(self) -> FilterIndex:
        with self._lazy_lock:
            if self._filter_index is None:
                self._filter_index = FilterIndex.from_catalog(self.catalog)
            return self._filter_index

    @property
    def vectors(self) -> np.ndarray | None:
        """(n_items, dim) unit item vectors in catalog order, found once: passed in; else `vectors_cache` when it
        holds every current document; else, for embedded Chroma, the collection's own vectors when it holds
        every catalog item (one read: ~4 s per 100k items); else None (filtered searches use Chroma's `where`)."""
        with self._lazy_lock:
            if not self._vectors_loaded:
                v = cached_item_vectors(self.catalog, self.embedder, self.vectors_cache)
                if v is None and self.url is None:
                    v = self._collection_vectors()
                self._vectors = None if v is None else _unit_rows(v)
                self._vectors_loaded = True
            return self._vectors

    def _collection_vectors(self) -> np.ndarray | None:
        """(n_items, dim) float32 the collection stores for the catalog items; None if any item is missing."""
        ids = self.catalog.ids
        step = self._read(self.client.get_max_batch_size)
        out: np.ndarray | None = None
        for s in range(0, len(ids), step):
            batch = ids[s : s + step]
            got = self._read(self.collection.get, ids=batch, include=["embeddings"])
            if len(got["ids"]) != len(batch):
                return None
            emb = np.asarray(got["embeddings"], np.float32)  # (len(batch), dim), in Chroma's order
            if out is None:
                out = np.empty((len(ids), emb.shape[1]), np.float32)
            out[[self.catalog.index(i) for i in got["ids"]]] = emb
        return out

    @classmethod
    def open(cls, catalog: Catalog, persist_dir: Path | None = None, url: str | None = None,
             embedder: Embedder | None = None, collection: str | None = None,
             vectors_cache: Path | None = None, vectors: np.ndarray | None = None) -> "ItemIndex":
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
        return cls(catalog, client, col, embedder, vectors_cache, url=url, vectors=vectors)

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
        # Memory at 1M items: the documents (~0.6 GB) and one hash per item are held for the whole build; the
        # metadata dicts (~1 GB for all items) are made again per written batch, and vectors are gathered per
        # batch, never as one (n_todo, dim) copy (the build's peak was 9.9 GB before).
        docs = item_documents(self.catalog, facts=True)  # with rating, runtime, awards, critic scores
        hashes = [_item_hash(d, item_metadata(it)) for d, it in zip(docs, self.catalog)]
        self._count = None
        existing = self._existing_hashes()
        todo = [r for r, it in enumerate(self.catalog) if existing.get(it.id) != hashes[r]]
        ids = self.catalog.ids
        stale = sorted(set(existing) - set(ids))
        counts = {"added": sum(1 for r in todo if ids[r] not in existing),
                  "updated": sum(1 for r in todo if ids[r] in existing),
                  "deleted": len(stale), "unchanged": len(ids) - len(todo)}
        del existing
        step = self.client.get_max_batch_size()
        for i in range(0, len(stale), step):
            self.collection.delete(ids=stale[i : i + step])
        if todo:
            if self.vectors_cache is not None:  # shared cache: embeds only documents it has not seen
                vecs = item_embeddings(self.catalog, self.embedder, self.vectors_cache, facts=True, docs=docs)  # (n_items, dim)
                rows_of = np.asarray(todo)  # vecs rows by todo position
            else:
                vecs = self.embedder.embed([docs[r] for r in todo])  # (n_todo, dim)
                rows_of = np.arange(len(todo))
            for i in range(0, len(todo), step):
                rows = todo[i : i + step]
                metas = [item_metadata(self.catalog.at(r)) for r in rows]
                for r, m in zip(rows, metas):
                    m["hash"] = hashes[r]
                self.collection.upsert(ids=[ids[r] for r in rows],
                                       embeddings=np.asarray(vecs[rows_of[i : i + step]], np.float32),
                                       documents=[docs[r] for r in rows], metadatas=metas)
        if not self._vectors_given:
            self._vectors_loaded = False  # the cache and the collection may have changed: read again when needed
        self._count = None
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

    def warm_up(self) -> None:
        """Do now what the first search would: build the FilterIndex, read the item vectors, load the text
        model and let Chroma load its HNSW index (one 1-result query) and open its document store (one get).
        Reads only: results afterwards are the same. Called by assistant.build.warm_up."""
        _ = self.filter_index
        V = self.vectors
        q = V[0] if V is not None and len(V) else self.embedder.embed(["warm-up"])[0]
        self.embedder.embed(["warm-up"])
        if self.count():
            self._query(np.asarray(q, np.float32), 1)
            self._read(self.collection.get, ids=[self.catalog.ids[0]], include=["documents"])

    def count(self) -> int:
        """Items in the collection. Embedded Chroma counts its rows on every call (~0.1 s at 1M items), so the
        count is kept until `build` writes; a Chroma server is asked every time (and its failure surfaces)."""
        if self.url is None and self._count is not None:
            return self._count
        n = int(self._read(self.collection.count))
        self._count = n if self.url is None else None
        return n

    def resolve(self, filters: SearchFilters | None) -> SearchFilters | None:
        """Filters with canonical spellings (FilterError for unknown values)."""
        return None if filters is None else self.vocab.resolve(filters)

    SPREAD_SAMPLE = 4096  # query_spread compares a text with at most this many items (a fixed sample: any catalog size)

    def query_spread(self, text: str) -> float | None:
        """The 99th-percentile cosine between `text` and the item vectors minus their median (over a fixed sample
        of at most SPREAD_SAMPLE items, seed 0); None when the item vectors are not at hand. A description names
        something some items have and most do not; a filler word is about as near all of them."""
        if not text or not text.strip() or self.vectors is None:
            return None
        V = self.vectors  # (n_items, dim) unit rows
        n = len(V)
        with self._lazy_lock:
            if self._spread_rows is None or self._spread_rows[0] != n:  # (catalog size it was drawn for, rows)
                rows = np.arange(n) if n <= self.SPREAD_SAMPLE else np.sort(
                    np.random.default_rng(0).choice(n, self.SPREAD_SAMPLE, replace=False))
                self._spread_rows = (n, rows)
            rows = self._spread_rows[1]
        sims = V[rows] @ self.embedder.embed([text.strip()])[0]  # (n_sample,)
        return float(np.quantile(sims, 0.99) - np.median(sims))

    def search(self, query: str, filters: SearchFilters | None = None, k: int = 10,
               documents: bool = True) -> list[Hit]:
        if not query or not query.strip():
            raise RetrievalError("empty search text; describe what you are looking for")
        if k < 1:
            raise RetrievalError(f"k must be at least 1, got {k}")
        resolved = self.resolve(filters)  # FilterError for unknown values, before any work
        qvec = self.embedder.embed([query.strip()])  # (1, dim)
        return self.search_vector(qvec[0], resolved, k, documents=documents)

    def search_vector(self, qvec: np.ndarray, filters: SearchFilters | None, k: int,
                      documents: bool = True) -> list[Hit]:
        """Top-k by cosine for a ready query vector (dim,) and resolved filters (None = all); see the
        module docstring for the paths, `last_path` for the one taken. documents=False leaves `Hit.document`
        empty and skips reading the documents from Chroma (~0.6 s for 500 hits at 1M items); the exact paths
        then do not check that each hit is in the collection (build_assistant brings it in line at start)."""
        n = self.count()
        if n == 0:
            raise RetrievalError("the item index is empty; run `recassist index build` first")
        q = np.asarray(qvec, np.float32).ravel()  # (dim,)
        if filters is None or filters.is_empty():
            self.last_path = "ann"
            return self._query(q, min(k, n), documents=documents)
        if self.vectors is None:
            self.last_path = "chroma_where"
            return self._query(q, min(k, n), where=to_where(filters), documents=documents)
        rows = self.filter_index.rows(filters)  # (m,) int32, sorted catalog rows
        exact_ms, ann_ms = self.path_costs_ms(len(rows), k)
        if len(rows) > self.exact_max and ann_ms < exact_ms:
            hits = self._ann_overfetch(q, rows, k, n, documents)
            if len(hits) >= k:
                self.last_path = "ann_overfetch"
                return hits
            self.last_path = "exact_fallback"
        else:
            self.last_path = "exact"
        return self._exact(q, rows, k, documents)

    def overfetch_results(self, m: int, k: int) -> int:
        """How many unfiltered HNSW results the over-fetch asks for when m items match: ~k * n / m * overfetch."""
        return min(len(self.catalog), math.ceil(k * len(self.catalog) / max(m, 1) * self.overfetch))

    def path_costs_ms(self, m: int, k: int) -> tuple[float, float]:
        """Estimated (exact scan, HNSW over-fetch) milliseconds for top-k among m matching items (see exact_max)."""
        return (m * self.exact_us_per_row / 1000,
                self.ann_fixed_ms + self.overfetch_results(m, k) * self.ann_us_per_result / 1000)

    def _query(self, q: np.ndarray, n_results: int, where: dict | None = None, documents: bool = True) -> list[Hit]:
        """One Chroma HNSW query, best first; catalog items only (documents "" unless asked for)."""
        res = self._read(self.collection.query, query_embeddings=[q], n_results=n_results, where=where,
                         include=["documents", "distances"] if documents else ["distances"])
        ids, dists = res["ids"][0], res["distances"][0]
        docs = res["documents"][0] if documents else [""] * len(ids)
        return [Hit(i, 1.0 - float(d), doc) for i, d, doc in zip(ids, dists, docs)
                if i in self.catalog]  # off-catalog items never leave the index

    def _ann_overfetch(self, q: np.ndarray, rows: np.ndarray, k: int, n: int, documents: bool = True) -> list[Hit]:
        """Top-k among `rows` (sorted (m,) int32) from an unfiltered HNSW query for ~k * n / m * overfetch
        results; fewer than k when too few of those match."""
        res = self._read(self.collection.query, query_embeddings=[q], n_results=min(n, self.overfetch_results(len(rows), k)),
                         include=["distances"])
        ids, dists = res["ids"][0], res["distances"][0]  # thousands of results: Hits only for the kept ones
        hit_rows = self.catalog.rows_of(ids)  # (len(ids),) int64, -1 off the catalog (never matches `rows`)
        kept = np.flatnonzero(in_sorted(hit_rows, rows))[:k]
        hits = [Hit(ids[j], 1.0 - float(dists[j]), "") for j in kept]
        return self._with_documents(hits) if documents else hits

    def _exact(self, q: np.ndarray, rows: np.ndarray, k: int, documents: bool = True, chunk: int = 1024) -> list[Hit]:
        """Exact cosine top-k over `rows` (sorted (m,) int32): V[rows] @ q, gathered chunk by chunk into one small
        buffer. A fresh (32768, dim) temporary per chunk had to be faulted in page by page on every query, and
        made the scan 2.5x slower where the process's memory had no huge pages (1.2-1.5 against 0.5-0.6 us a row
        at 1M items, bench note in docs/scaling.md); the reused 1.5 MB buffer stays in cache."""
        V = self.vectors  # (n_items, dim), unit rows
        q = (q / max(float(np.linalg.norm(q)), 1e-12)).astype(V.dtype, copy=False)
        scores = np.empty(len(rows), np.float32)  # (m,)
        if len(rows) >= self.parallel_min_rows and (os.cpu_count() or 1) > 1:
            # two halves on two threads; einsum, not matmul, so that BLAS does not start threads of its own
            half = len(rows) // 2
            if self._scan_pool is None:
                with self._lazy_lock:
                    if self._scan_pool is None:
                        self._scan_pool = ThreadPoolExecutor(1, thread_name_prefix="exact-scan")
            other = self._scan_pool.submit(_scan, V, q, rows[half:], scores[half:], chunk, True)
            _scan(V, q, rows[:half], scores[:half], chunk, True)
            other.result()
        else:
            _scan(V, q, rows, scores, chunk, False)
        hits = [Hit(self.catalog.at(int(rows[j])).id, float(scores[j]), "") for j in _top(scores, k)]
        return self._with_documents(hits) if documents else hits

    def _with_documents(self, hits: list[Hit]) -> list[Hit]:
        """`hits` with their documents read from the collection; items missing from it are dropped."""
        if not hits:
            return hits
        got = self._read(self.collection.get, ids=[h.item_id for h in hits], include=["documents"])
        docs = dict(zip(got["ids"], got["documents"] or []))
        return [replace(h, document=docs[h.item_id]) for h in hits if h.item_id in docs]

    def filter_ids(self, filters: SearchFilters, limit: int | None = None) -> list[str]:
        """Ids of items matching the filters, in catalog order (metadata only, no query text)."""
        rows = self.filter_index.rows(self.resolve(filters))
        if rows is None:
            ids = self.catalog.ids
            return ids[:limit] if limit is not None else ids
        if limit is not None:
            rows = rows[:limit]
        return [self.catalog.at(int(r)).id for r in rows]
