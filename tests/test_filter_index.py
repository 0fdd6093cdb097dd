"""Filtered retrieval without Chroma's `where`: the FilterIndex (inverted index over the filter fields)
and ItemIndex's exact-scan / over-fetching-ANN paths.

Real components: chromadb 1.5.9 PersistentClient in tmp_path, numpy, the ML-100K catalog with its real
MiniLM item vectors (read from the artifacts cache, which is never written), and a
hand-written catalog for the edge cases (no year, year 0, a year BC, a value listed twice, two spellings).
"""

from __future__ import annotations

import hashlib

import math

import numpy as np
import pytest

from catalog.types import Catalog, Item
from retrieval.documents import item_documents
from retrieval.embedders import MiniLMEmbedder, item_embeddings
from retrieval.filter_index import FilterIndex
from retrieval.filters import FilterError, SearchFilters, to_where
from retrieval.index import ItemIndex


class LookupEmbedder:
    """Item documents -> precomputed vectors (no model run for the catalog); any other text (a query) goes to
    the real MiniLM."""

    name = "minilm-lookup"
    dim = 384

    def __init__(self, docs: list[str], vectors: np.ndarray):
        self.row_of: dict[str, int] = {}
        for r, d in enumerate(docs):
            self.row_of.setdefault(d, r)  # an identical document gets the first one's vector
        self.vectors = vectors  # (n_items, 384)
        self.minilm = MiniLMEmbedder()

    def embed(self, texts: list[str]) -> np.ndarray:
        if all(t in self.row_of for t in texts):
            return self.vectors[[self.row_of[t] for t in texts]].reshape(len(texts), self.dim)
        return self.minilm.embed(texts)


class HashEmbedder:
    """A deterministic 16-d vector per text (from its sha1), for the hand-written catalog."""

    name = "test-hash"
    dim = 16

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.stack([np.random.default_rng(int(hashlib.sha1(t.encode()).hexdigest()[:12], 16)).standard_normal(16)
                        for t in texts]).astype(np.float32) if texts else np.zeros((0, 16), np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def chroma_rows(index: ItemIndex, filters: SearchFilters) -> list[int]:
    """Sorted catalog rows of what Chroma's own `collection.get(where=to_where(filters))` returns."""
    where = to_where(filters)
    step = index.client.get_max_batch_size()
    ids: list[str] = []
    while True:
        got = index.collection.get(where=where, include=[], limit=step, offset=len(ids))
        ids += got["ids"]
        if len(got["ids"]) < step:
            return sorted(index.catalog.index(i) for i in ids)


# -- fixtures ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ml_index(ml100k, paths, tmp_path_factory) -> ItemIndex:
    """ML-100K in a fresh Chroma collection, vectors = the real MiniLM item vectors (passed in)."""
    cat = ml100k.catalog
    tmp = tmp_path_factory.mktemp("filter_index")
    shared = paths.artifacts("ml-100k") / "item_vectors.npz"
    V = np.load(shared)["vectors"] if shared.exists() else None  # MiniLM vectors of either document variant
    if V is None or V.shape[0] != len(cat):  # no usable cache: embed (slow), never writing the shared file
        V = item_embeddings(cat, MiniLMEmbedder(), tmp / "item_vectors.npz")  # (1682, 384)
    emb = LookupEmbedder(item_documents(cat, facts=True), V)
    idx = ItemIndex.open(cat, persist_dir=tmp / "chroma", embedder=emb)
    assert idx.build()["added"] == len(cat)
    return ItemIndex(cat, idx.client, idx.collection, emb, None, vectors=emb.embed(item_documents(cat, facts=True)))


# the over-fetch whatever the match count and the cost estimate (exact_max 0, a scan estimated dearer than any query)
FORCE_ANN = dict(exact_max=0, exact_us_per_row=1e9)


def fresh(index: ItemIndex, **attrs) -> ItemIndex:
    """Another ItemIndex on the same collection and vectors, with instance attributes set (exact_max, ...)."""
    other = ItemIndex(index.catalog, index.client, index.collection, index.embedder, None, vectors=index.vectors)
    for name, value in attrs.items():
        setattr(other, name, value)
    return other


EDGE_ITEMS = [
    Item("a", "A", 1979, genres=("Horror", "Sci-Fi"), directors=("Ann Lee",), writers=("Ann Lee",), cast=("Bo Li",),
         countries=("United Kingdom",), languages=("English",)),
    Item("b", "B", 1980, genres=("Sci-Fi",), cast=("Bo Li", "Cy Tan"), countries=("France",), languages=("French",)),
    Item("c", "C", 1989, genres=("Drama", "Drama"), countries=("France", "Italy"), languages=("French", "Italian")),
    Item("d", "D", None, genres=("Drama",), directors=("Ann Lee",), countries=("Italy",)),
    Item("e", "E", 0, genres=("Comedy",), languages=("English",)),  # year 0 counts as no year, as in item_metadata
    Item("f", "F", -350, genres=("Drama",), countries=("Greece",)),
    Item("g", "G", 2000, genres=("Sci Fi", "Comedy"), cast=("Cy Tan",), countries=("United States",)),  # 2nd spelling
    Item("h", "H", 1990, genres=("Comedy",), writers=("Cy Tan",), languages=("English", "French")),
    Item("i", "I", 1999, genres=("Horror",), directors=("Bo Li",), countries=("United Kingdom", "United States")),
]

EDGE_FILTERS = [
    SearchFilters(genres=["Sci-Fi"]),  # only the exact spelling, as Chroma's $contains
    SearchFilters(genres=["Drama"]),  # listed twice on one item
    SearchFilters(genres=["Horror", "Sci-Fi"]),
    SearchFilters(people=["Ann Lee"]),  # director and writer of one item
    SearchFilters(people=["Bo Li", "Cy Tan"]),
    SearchFilters(countries=["Italy", "Greece"]),
    SearchFilters(languages=["French"], countries=["United Kingdom"]),
    SearchFilters(decades=["1980s"]),
    SearchFilters(decades=["1970s", "1990s"], genres=["Horror"]),
    SearchFilters(year_min=1980, year_max=1989),
    SearchFilters(year_max=1985),  # the year BC matches, items without a year (or year 0) do not
    SearchFilters(year_min=1),
    SearchFilters(exclude_ids=["a", "d", "zz-not-in-catalog"]),
    SearchFilters(genres=["Comedy"], exclude_ids=["g"], year_min=1990),
]


@pytest.fixture(scope="module")
def edge_index(tmp_path_factory) -> ItemIndex:
    idx = ItemIndex.open(Catalog(EDGE_ITEMS), persist_dir=tmp_path_factory.mktemp("edge"), embedder=HashEmbedder())
    assert idx.build()["added"] == len(EDGE_ITEMS)
    return idx


# -- FilterIndex agrees with Chroma's metadata filter ------------------------------

ML_FILTERS = [
    SearchFilters(genres=["Drama"]),
    SearchFilters(genres=["Comedy", "Romance"]),
    SearchFilters(genres=["Film-Noir", "Sci-Fi"]),
    SearchFilters(people=["Alfred Hitchcock"]),
    SearchFilters(people=["Woody Allen", "Diane Keaton"]),
    SearchFilters(countries=["France", "Italy"]),
    SearchFilters(countries=["United Kingdom"]),
    SearchFilters(languages=["French", "German"]),
    SearchFilters(decades=["1950s", "1970s"]),
    SearchFilters(decades=["1990s"], genres=["Action"]),
    SearchFilters(decades=["1980s"], year_min=1985),
    SearchFilters(year_min=1995),
    SearchFilters(year_max=1939),
    SearchFilters(year_min=1960, year_max=1969),
    SearchFilters(year_max=3000),  # every item with a year: not the two without one
    SearchFilters(exclude_ids=["1", "2", "267"]),
    SearchFilters(genres=["Animation"], exclude_ids=["1"]),
    SearchFilters(genres=["Drama"], countries=["France", "Italy"], year_max=1980, exclude_ids=["1"]),
    SearchFilters(people=["Steve Buscemi"], languages=["English"], decades=["1990s"]),
    SearchFilters(genres=["Animation"], people=["Alfred Hitchcock"]),
]


@pytest.mark.parametrize("filters", ML_FILTERS, ids=lambda f: str(f.model_dump(exclude_defaults=True)))
def test_rows_agree_with_chroma_where_on_ml100k(ml_index, filters):
    resolved = ml_index.resolve(filters)
    rows = ml_index.filter_index.rows(resolved)
    assert rows.dtype == np.int32 and np.all(np.diff(rows) > 0)  # sorted, unique
    assert rows.tolist() == chroma_rows(ml_index, resolved)
    assert ml_index.filter_ids(filters) == [ml_index.catalog.at(r).id for r in rows.tolist()]


def test_battery_is_not_trivial(ml_index):
    sizes = [len(ml_index.filter_index.rows(ml_index.resolve(f))) for f in ML_FILTERS]
    assert 0 in sizes and max(sizes) > 1000 and sum(0 < s < 50 for s in sizes) >= 3


@pytest.mark.parametrize("filters", EDGE_FILTERS, ids=lambda f: str(f.model_dump(exclude_defaults=True)))
def test_rows_agree_with_chroma_where_on_edge_cases(edge_index, filters):
    resolved = edge_index.resolve(filters)
    rows = edge_index.filter_index.rows(resolved)
    assert rows.tolist() == chroma_rows(edge_index, resolved)


def test_edge_semantics_spelled_out(edge_index):
    def ids(**kw):
        return edge_index.filter_ids(SearchFilters(**kw))

    assert ids(genres=["Sci-Fi"]) == ["a", "b"]  # "Sci Fi" on g is another value in the metadata
    assert ids(year_max=1985) == ["a", "b", "f"]  # d (no year) and e (year 0) never match a range
    assert ids(decades=["1980s"]) == ["b", "c"]
    assert ids(countries=["Italy", "Greece"]) == ["c", "d", "f"]
    assert ids(exclude_ids=["a", "zz"]) == [it.id for it in EDGE_ITEMS if it.id != "a"]


def test_rows_is_none_without_constraints(edge_index):
    fi = edge_index.filter_index
    assert fi.rows(None) is None and fi.rows(SearchFilters()) is None
    assert edge_index.filter_ids(SearchFilters()) == [it.id for it in EDGE_ITEMS]
    assert edge_index.filter_ids(SearchFilters(), limit=2) == ["a", "b"]


def test_filter_index_is_compact_numpy(ml_index):
    fi = FilterIndex.from_catalog(ml_index.catalog)
    assert fi.years.dtype == np.int32 and fi.years.shape == (len(ml_index.catalog),)
    for p in fi.postings.values():
        assert p.rows.dtype == np.int32 and p.offsets[-1] == len(p.rows)
    hitchcock = fi.postings["people"].get("Alfred Hitchcock")
    assert hitchcock.base is not None  # a view into the field's flat rows array, not a copy per value


# -- search paths ----------------------------------------------------------------------

def brute_force(index: ItemIndex, q: np.ndarray, filters: SearchFilters, k: int) -> tuple[list[str], np.ndarray]:
    """Exact top-k by numpy over every row that satisfies the filter (plain-Python `matches`), ties by row."""
    resolved = index.resolve(filters)
    rows = np.array([r for r, it in enumerate(index.catalog) if resolved.matches(it)], np.int64)
    scores = index.vectors[rows] @ q
    order = np.argsort(-scores, kind="stable")[:k]
    return [index.catalog.at(int(r)).id for r in rows[order]], scores[order]


def queries(index: ItemIndex, n: int, seed: int = 0) -> np.ndarray:
    """(n, 384) unit query vectors: real item vectors, "more like this" queries."""
    rng = np.random.default_rng(seed)
    return index.vectors[rng.choice(len(index.catalog), n, replace=False)]


@pytest.mark.parametrize("filters", ML_FILTERS, ids=lambda f: str(f.model_dump(exclude_defaults=True)))
def test_exact_path_is_the_brute_force_top_k(ml_index, filters):
    idx = fresh(ml_index)
    resolved = idx.resolve(filters)
    for q in queries(idx, 5):
        hits = idx.search_vector(q, resolved, 10)
        assert idx.last_path == "exact"
        want_ids, want_scores = brute_force(idx, q, filters, 10)
        assert [h.item_id for h in hits] == want_ids
        assert [h.score for h in hits] == pytest.approx(want_scores.tolist(), abs=1e-5)
    docs = dict(zip(idx.catalog.ids, item_documents(idx.catalog, facts=True)))
    assert all(h.document == docs[h.item_id] for h in hits)


@pytest.mark.parametrize("chunk", [1, 7, 1024])
@pytest.mark.parametrize("two_threads", [False, True])
def test_exact_scan_chunks_agree_with_brute_force(ml_index, chunk, two_threads):
    """The scan gathers rows chunk by chunk into one reused buffer: chunk borders and a short last chunk must not
    change a score (ML-100K's Drama has 725 rows: 103 full chunks of 7 and a last one of 4). A big scan runs in two
    halves on two threads (forced here for any size): the halves' border must not change one either."""
    idx = fresh(ml_index, parallel_min_rows=1 if two_threads else 10**9)
    filters = SearchFilters(genres=["Drama"])
    rows = idx.filter_index.rows(idx.resolve(filters))
    assert len(rows) % 7 and len(rows) > 7
    for q in queries(idx, 3, seed=1):
        hits = idx._exact(q, rows, 25, documents=False, chunk=chunk)
        want_ids, want_scores = brute_force(idx, q, filters, 25)
        assert [h.item_id for h in hits] == want_ids
        assert [h.score for h in hits] == pytest.approx(want_scores.tolist(), abs=1e-5)
    assert idx._exact(queries(idx, 1)[0], rows[:0], 5, documents=False) == []


def test_forced_ann_path_has_high_recall_and_only_matching_items(ml_index):
    idx = fresh(ml_index, **FORCE_ANN)
    big = [SearchFilters(genres=["Drama"]), SearchFilters(genres=["Comedy"]), SearchFilters(genres=["Action"]),
           SearchFilters(countries=["United Kingdom"]), SearchFilters(decades=["1990s"]),
           SearchFilters(languages=["English"], year_min=1980)]
    recalls, paths = [], []
    for filters in big:
        resolved = idx.resolve(filters)
        for q in queries(idx, 25, seed=1):
            hits = idx.search_vector(q, resolved, 10)
            paths.append(idx.last_path)
            assert len(hits) == 10 and all(resolved.matches(idx.catalog[h.item_id]) for h in hits)
            assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
            want, _ = brute_force(idx, q, filters, 10)
            recalls.append(len({h.item_id for h in hits} & set(want)) / 10)
    assert paths.count("ann_overfetch") >= 0.8 * len(paths), paths  # the ANN path really ran
    assert np.mean(recalls) >= 0.95, np.mean(recalls)


def test_overfetch_scores_are_cosine(ml_index):
    idx = fresh(ml_index, **FORCE_ANN)
    q = queries(idx, 1, seed=2)[0]
    hits = idx.search_vector(q, idx.resolve(SearchFilters(genres=["Drama"])), 5)
    assert idx.last_path == "ann_overfetch"
    for h in hits:
        assert h.score == pytest.approx(float(idx.vectors[idx.catalog.index(h.item_id)] @ q), abs=1e-3)


def test_overfetch_falls_back_to_exact_when_too_few_match(ml_index):
    q = queries(ml_index, 1, seed=3)[0]
    small = ml_index.resolve(SearchFilters(people=["Alfred Hitchcock"]))  # 11 items < k: cannot fill k
    idx = fresh(ml_index, **FORCE_ANN)
    hits = idx.search_vector(q, small, 15)
    assert idx.last_path == "exact_fallback"
    assert [h.item_id for h in hits] == brute_force(idx, q, small, 15)[0]
    # enough items match, but a tiny over-fetch (a single HNSW result) keeps fewer than k of them
    drama = ml_index.resolve(SearchFilters(genres=["Drama"]))
    idx = fresh(ml_index, **FORCE_ANN, overfetch=0.01)
    hits = idx.search_vector(q, drama, 10)
    assert idx.last_path == "exact_fallback"
    assert [h.item_id for h in hits] == brute_force(idx, q, drama, 10)[0]


def test_path_is_chosen_by_estimated_cost_above_exact_max(ml_index):
    """Above exact_max the cheaper estimate wins: the scan of ~700 dramas beats a 10 ms HNSW query, and an
    over-fetch estimated cheaper than the scan is taken."""
    q = queries(ml_index, 1, seed=5)[0]
    drama = ml_index.resolve(SearchFilters(genres=["Drama"]))
    m = len(ml_index.filter_index.rows(drama))
    idx = fresh(ml_index, exact_max=0)
    exact_ms, ann_ms = idx.path_costs_ms(m, 10)
    assert exact_ms < ann_ms
    assert [h.item_id for h in idx.search_vector(q, drama, 10)] == brute_force(idx, q, drama, 10)[0]
    assert idx.last_path == "exact"
    idx = fresh(ml_index, exact_max=0, ann_fixed_ms=0.0, exact_us_per_row=100.0)
    exact_ms, ann_ms = idx.path_costs_ms(m, 10)
    assert ann_ms < exact_ms
    assert idx.overfetch_results(m, 10) == math.ceil(10 * len(idx.catalog) / m * idx.overfetch)
    idx.search_vector(q, drama, 10)
    assert idx.last_path == "ann_overfetch"
    # 1M items, the tool path's k = 500: a scan for 100k matches, the over-fetch for 300k
    big = fresh(ml_index)
    big.catalog = type("C", (), {"__len__": lambda self: 1_000_000})()
    assert big.path_costs_ms(100_000, 500)[0] < big.path_costs_ms(100_000, 500)[1]
    assert big.path_costs_ms(300_000, 500)[1] < big.path_costs_ms(300_000, 500)[0]


def test_last_path_for_no_filter_and_empty_result(ml_index):
    idx = fresh(ml_index)
    q = queries(idx, 1, seed=4)[0]
    assert len(idx.search_vector(q, None, 7)) == 7 and idx.last_path == "ann"
    assert len(idx.search_vector(q, SearchFilters(), 7)) == 7 and idx.last_path == "ann"
    none = idx.resolve(SearchFilters(genres=["Animation"], people=["Alfred Hitchcock"]))
    assert idx.filter_index.rows(none).size == 0
    assert idx.search_vector(q, none, 7) == [] and idx.last_path == "exact"


def test_search_by_text_and_unknown_filter_value(ml_index):
    idx = fresh(ml_index)
    hits = idx.search("a suspense thriller", SearchFilters(people=["alfred hitchcock"]), k=5)  # real MiniLM query
    assert idx.last_path == "exact" and len(hits) == 5
    assert all("Alfred Hitchcock" in idx.catalog[h.item_id].directors + idx.catalog[h.item_id].writers
               + idx.catalog[h.item_id].cast for h in hits)
    idx.last_path = None
    with pytest.raises(FilterError, match="did you mean 'Alfred Hitchcock'"):
        idx.search("a suspense thriller", SearchFilters(people=["Alfred Hitchcok"]))
    with pytest.raises(FilterError, match="unknown genre"):
        idx.filter_ids(SearchFilters(genres=["Spaghetti Western"]))
    assert idx.last_path is None  # rejected before any search ran


# -- where the item vectors come from -----------------------------------------------------

def test_vectors_from_collection_cache_or_chroma_where(ml_index, tmp_path):
    cat, emb = ml_index.catalog, ml_index.embedder
    V = ml_index.vectors
    # embedded Chroma, no cache: the collection's own vectors
    from_collection = ItemIndex(cat, ml_index.client, ml_index.collection, emb, None)
    assert from_collection.vectors is not None and np.allclose(from_collection.vectors, V, atol=1e-6)
    # a cache holding every current document
    cache = tmp_path / "item_vectors.npz"
    item_embeddings(cat, emb, cache, facts=True)
    from_cache = ItemIndex(cat, ml_index.client, ml_index.collection, emb, cache)
    from_cache._collection_vectors = lambda: pytest.fail("the matching cache should have been used")
    assert np.allclose(from_cache.vectors, V, atol=1e-6)
    # a catalog item missing from the collection (and no cache): Chroma's where, as before
    extra = Catalog(list(cat) + [Item("new-1", "Brand New", 1996, genres=("Drama",))])
    stale = ItemIndex(extra, ml_index.client, ml_index.collection, emb, cache)
    assert stale.vectors is None
    f = stale.resolve(SearchFilters(people=["Alfred Hitchcock"]))
    hits = stale.search_vector(V[0], f, 5)
    assert stale.last_path == "chroma_where"
    assert [h.item_id for h in hits] == brute_force(ml_index, V[0], f, 5)[0]
