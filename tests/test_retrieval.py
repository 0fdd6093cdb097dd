"""Retrieval: grounded documents, typed filters -> Chroma `where`, the real Chroma item index
(embedded, across processes, and against a real `chroma run` server), incremental upsert,
and the optional llama.cpp / OpenAI-compatible embedders.

Everything here uses real components: chromadb 1.5.9, all-MiniLM-L6-v2, llama.cpp.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catalog.types import Catalog, Item, RecassistError
from retrieval.documents import item_document, item_documents
from retrieval.embedders import MiniLMEmbedder, item_embeddings
from retrieval.filters import FilterError, SearchFilters, Vocabulary, item_metadata, to_where
from retrieval.index import ItemIndex, RetrievalError
from tests.servers import free_port, stop, wait_http

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


class CountingEmbedder:
    """Real MiniLM, recording every text it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.seen: list[str] = []

    def config(self) -> dict:
        return self.inner.config()

    def embed(self, texts):
        self.seen.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def tiny_index(tiny_dataset, minilm, tmp_path_factory):
    idx = ItemIndex.open(tiny_dataset.catalog, persist_dir=tmp_path_factory.mktemp("chroma"), embedder=minilm)
    assert idx.build() == {"added": 8, "updated": 0, "deleted": 0, "unchanged": 0}
    return idx


# -- documents ------------------------------------------------------------------

def test_documents_mention_only_fields_the_item_has(tiny_dataset):
    cat = tiny_dataset.catalog
    bare = item_document(cat["nometa"])
    assert bare == "Obscure Film (1990). A 1990 drama film. Genres: Drama."
    for word in ("Directed", "Written", "Cast", "Studio", "Language", " from "):
        assert word not in bare
    amelie = item_document(cat["amelie"])
    assert "from France" in amelie and "Language: French" in amelie
    assert "Written by" not in amelie and "Studio" not in amelie  # Amelie has no writers/studios in the catalog
    empire = item_document(cat["empire"])
    assert empire.startswith("The Empire Strikes Back (1980).")  # article moved back for reading
    for it in cat:
        doc = item_document(it)
        for name in it.directors + it.writers + it.cast + it.countries + it.studios:
            assert name in doc
        assert "starring" not in doc.lower() and "stars " not in doc.lower() and "lead" not in doc.lower()
        if it.cast:
            assert "Cast includes" in doc


def test_long_cast_names_the_most_prominent_members_as_cast_not_billing():
    cast = tuple(f"Actor {c}" for c in "ABCDEFGHIJ") + ("Zed Star",)  # alphabetical, prolific one last
    items = [Item("x", "Big Film", 1990, cast=cast)] + [Item(f"o{i}", f"Other {i}", 1991, cast=("Zed Star",)) for i in range(3)]
    docs = item_documents(Catalog(items))
    assert "Zed Star" in docs[0] and docs[0].endswith("and others.")
    assert "Cast includes" in docs[0]
    assert "Zed Star" not in item_document(items[0])  # without catalog context: first 8 as listed


# -- filters -------------------------------------------------------------------

def test_filters_map_to_chroma_where():
    assert to_where(None) is None
    assert to_where(SearchFilters()) is None
    assert to_where(SearchFilters(genres=["Sci-Fi"])) == {"genres": {"$contains": "Sci-Fi"}}
    w = to_where(SearchFilters(genres=["Sci-Fi", "Horror"], year_min=1970, year_max=1989, decades=["1980s"],
                               countries=["France", "Italy"], languages=["French"], people=["Ridley Scott"],
                               exclude_ids=["alien"]))
    assert w == {"$and": [
        {"genres": {"$contains": "Sci-Fi"}}, {"genres": {"$contains": "Horror"}},
        {"people": {"$contains": "Ridley Scott"}},
        {"$or": [{"countries": {"$contains": "France"}}, {"countries": {"$contains": "Italy"}}]},
        {"languages": {"$contains": "French"}},
        {"decade": {"$in": ["1980s"]}},
        {"year": {"$gte": 1970}}, {"year": {"$lte": 1989}},
        {"item_id": {"$nin": ["alien"]}},
    ]}


def test_item_metadata_encoding(tiny_dataset):
    md = item_metadata(tiny_dataset.catalog["blade"])
    assert md["year"] == 1982 and md["decade"] == "1980s" and md["genres"] == ["Film-Noir", "Sci-Fi"]
    assert md["people"] == ["Ridley Scott", "Hampton Fancher", "David Peoples", "Harrison Ford", "Sean Young"]
    bare = item_metadata(tiny_dataset.catalog["nometa"])
    assert "people" not in bare and "countries" not in bare  # Chroma rejects empty arrays; missing never matches


def test_filter_values_resolve_to_catalog_spelling(tiny_dataset):
    vocab = Vocabulary.from_catalog(tiny_dataset.catalog)
    f = vocab.resolve(SearchFilters(genres=["sci fi", "FILM NOIR"], people=["harrison ford"], decades=["80s"],
                                    countries=["united kingdom"], languages=["french"]))
    assert f.genres == ["Sci-Fi", "Film-Noir"] and f.people == ["Harrison Ford"] and f.decades == ["1980s"]
    assert f.countries == ["United Kingdom"] and f.languages == ["French"]


@pytest.mark.parametrize("kwargs, needle", [
    ({"genres": ["Scifi horror"]}, "unknown genre 'Scifi horror' in filter 'genres'; did you mean"),
    ({"people": ["Harison Frod"]}, "did you mean 'Harrison Ford'"),
    ({"countries": ["Atlantis"]}, "unknown country 'Atlantis'"),
    ({"languages": ["Klingon"]}, "unknown language 'Klingon'"),
    ({"decades": ["1850s"]}, "no catalog item is from the 1850s"),
])
def test_unknown_filter_value_is_a_clear_error(tiny_dataset, kwargs, needle):
    vocab = Vocabulary.from_catalog(tiny_dataset.catalog)
    with pytest.raises(FilterError) as e:
        vocab.resolve(SearchFilters(**kwargs))
    assert needle in str(e.value)
    assert isinstance(e.value, RecassistError)


@pytest.mark.parametrize("kwargs, needle", [
    ({"genres": [""]}, "filter 'genres' has an empty value"),
    ({"people": ["  "]}, "filter 'people' has an empty value"),
    ({"year_min": 2000, "year_max": 1990}, "year_min 2000 is after year_max 1990"),
    ({"decades": ["the eighties"]}, "is not a decade"),
])
def test_empty_or_impossible_filter_is_a_clear_error(kwargs, needle):
    with pytest.raises(FilterError, match=needle):
        SearchFilters(**kwargs)


def test_catalog_without_a_field_says_so():
    vocab = Vocabulary.from_catalog(Catalog([Item("a", "A", 2000, genres=("Drama",))]))
    with pytest.raises(FilterError, match="this catalog has no countries data"):
        vocab.resolve(SearchFilters(countries=["France"]))


# -- the index (real Chroma, real MiniLM) --------------------------------------

FILTER_CASES = [
    SearchFilters(genres=["sci-fi"]),
    SearchFilters(genres=["Sci-Fi", "Action"]),
    SearchFilters(people=["Ridley Scott"]),
    SearchFilters(people=["harrison ford"], year_min=1978),
    SearchFilters(decades=["1970s", "2000s"]),
    SearchFilters(countries=["France", "United Kingdom"]),
    SearchFilters(languages=["English"], year_max=1980),
    SearchFilters(genres=["Sci-Fi"], exclude_ids=["alien", "blade"]),
    SearchFilters(genres=["Comedy"], people=["Ridley Scott"]),  # valid values, no item has both
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: json.dumps(f.model_dump(exclude_defaults=True)))
def test_filtered_search_returns_only_matching_items(tiny_index, tiny_dataset, filters):
    cat = tiny_dataset.catalog
    resolved = tiny_index.resolve(filters)
    expected = [it.id for it in cat if resolved.matches(it)]
    assert tiny_index.filter_ids(filters) == expected
    hits = tiny_index.search("a film", filters, k=8)
    assert sorted(h.item_id for h in hits) == sorted(expected)  # k >= matches: exactly the matching set
    for h in hits:  # check directly against catalog fields too, not only via matches()
        it = cat[h.item_id]
        people = it.directors + it.writers + it.cast
        assert all(g in it.genres for g in resolved.genres)
        assert all(p in people for p in resolved.people)
        assert resolved.year_min is None or it.year >= resolved.year_min
        assert resolved.year_max is None or it.year <= resolved.year_max
        assert h.item_id not in resolved.exclude_ids


def test_search_ranks_by_cosine_similarity(tiny_index, tiny_dataset, minilm):
    hits = tiny_index.search("animated toys come to life", k=3)
    assert len(hits) == 3 and hits[0].item_id == "toystory"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    q = minilm.embed(["animated toys come to life"])[0]
    d = minilm.embed([hits[0].document])[0]
    assert hits[0].score == pytest.approx(float(q @ d), abs=1e-3)
    assert hits[0].document == item_documents(tiny_dataset.catalog)[tiny_dataset.catalog.index("toystory")]


@pytest.mark.parametrize("exact_max", [50_000, 1])  # the exact scan; the HNSW over-fetch
@pytest.mark.parametrize("filters", [None, SearchFilters(genres=["Sci-Fi"]), SearchFilters(people=["Harrison Ford"])],
                         ids=["none", "genre", "person"])
def test_search_without_documents_gives_the_same_hits(tiny_index, filters, exact_max, monkeypatch):
    monkeypatch.setattr(tiny_index, "exact_max", exact_max)
    monkeypatch.setattr(tiny_index, "exact_us_per_row", 0.5 if exact_max > 1 else 1e9)  # 1: always the over-fetch
    full = tiny_index.search("space adventure", filters, k=3)
    bare = tiny_index.search("space adventure", filters, k=3, documents=False)
    assert [(h.item_id, round(h.score, 5)) for h in bare] == [(h.item_id, round(h.score, 5)) for h in full] != []
    assert all(h.document for h in full) and not any(h.document for h in bare)


def test_embedded_count_is_kept_until_build_writes(tiny_dataset, minilm, tmp_path):
    idx = ItemIndex.open(tiny_dataset.catalog, persist_dir=tmp_path / "db", embedder=minilm)
    assert idx.count() == 0
    idx.build()
    assert idx._count is None and idx.count() == 8 and idx._count == 8
    idx.collection.delete(ids=["alien"])  # behind the index's back: the kept count does not see it
    assert idx.count() == 8
    assert idx.build()["added"] == 1 and idx.count() == 8


def test_search_rejects_unknown_filter_and_empty_text(tiny_index):
    with pytest.raises(FilterError, match="did you mean 'Ridley Scott'"):
        tiny_index.search("space", SearchFilters(people=["Ridly Scot"]))
    with pytest.raises(RetrievalError, match="empty search text"):
        tiny_index.search("   ")


def test_incremental_upsert_reembeds_only_changed_items(tiny_dataset, minilm, tmp_path):
    emb = CountingEmbedder(minilm)
    cache = tmp_path / "item_vectors.npz"
    idx = ItemIndex.open(tiny_dataset.catalog, persist_dir=tmp_path / "db", embedder=emb, vectors_cache=cache)
    assert idx.build()["added"] == 8 and len(emb.seen) == 8
    emb.seen.clear()
    assert idx.build() == {"added": 0, "updated": 0, "deleted": 0, "unchanged": 8} and emb.seen == []

    items = list(tiny_dataset.catalog)
    items[0] = dataclasses.replace(items[0], text="A crew in deep space meets a deadly creature.")
    items = [it for it in items if it.id != "amelie"] + [Item("new", "New Film", 2010, genres=("Western",))]
    cat2 = Catalog(items)
    idx2 = ItemIndex.open(cat2, persist_dir=tmp_path / "db", embedder=emb, vectors_cache=cache)
    assert idx2.build() == {"added": 1, "updated": 1, "deleted": 1, "unchanged": 6}
    docs2 = item_documents(cat2)
    assert sorted(emb.seen) == sorted([docs2[0], docs2[-1]])  # only the edited and the new item
    assert idx2.count() == 8
    assert idx2.search("deadly creature in deep space", k=1)[0].item_id == "alien"
    assert "amelie" not in {h.item_id for h in idx2.search("French romantic comedy", k=8)}
    # the shared vector cache agrees with the index and holds fresh vectors
    vecs = item_embeddings(cat2, emb, cache)
    assert vecs.shape == (8, 384) and np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)
    # the index's documents (with facts) and the scorer's (without) share the file: neither evicts the other
    cat3 = Catalog(list(cat2)[:-1] + [dataclasses.replace(list(cat2)[-1], attributes={"rated": "PG", "runtime_min": 95})])
    assert item_documents(cat3, facts=True) != item_documents(cat3)
    item_embeddings(cat3, emb, cache, facts=True); item_embeddings(cat3, emb, cache, facts=False)
    emb.seen.clear()
    item_embeddings(cat3, emb, cache, facts=True)
    item_embeddings(cat3, emb, cache, facts=False)
    assert emb.seen == []


def test_persistence_across_processes_via_cli(tiny_dataset, tmp_path):
    from catalog.byo import write_dataset

    data = tmp_path / "tinyds"
    write_dataset(data, list(tiny_dataset.catalog), [], {})
    env = {**os.environ, "RECASSIST_HOME": str(tmp_path / "home")}
    env.pop("RECASSIST_CHROMA_URL", None)
    cli = [PY, "-m", "assistant.cli"]
    r = subprocess.run(cli + ["index", "build", "--dataset", str(data)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "8 added" in r.stderr
    assert (tmp_path / "home" / "artifacts" / "tinyds" / "chroma").is_dir()
    r = subprocess.run(cli + ["search", "space adventure", "--dataset", str(data), "--genre", "sci-fi",
                              "--person", "Harrison Ford", "-k", "5", "--json"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert {g["item_id"] for g in got} == {"blade", "starwars", "empire"}
    r = subprocess.run(cli + ["search", "space", "--dataset", str(data), "--genre", "Spaghetti"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.startswith("error: unknown genre 'Spaghetti'") and r.stderr.count("\n") == 1


@pytest.mark.server
def test_server_mode_against_real_chroma_server(tiny_dataset, minilm, tmp_path):
    port = free_port()
    chroma = Path(PY).parent / "chroma"
    log = (tmp_path / "chroma.log").open("w")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, timeout=60)
        url = f"http://127.0.0.1:{port}"
        idx = ItemIndex.open(tiny_dataset.catalog, url=url, embedder=minilm, collection="tiny-items")
        assert idx.build()["added"] == 8
        hits = idx.search("space adventure", SearchFilters(genres=["Sci-Fi"], decades=["1970s", "1980s"]), k=8)
        assert {h.item_id for h in hits} == {"alien", "blade", "starwars", "empire"}
        assert idx.filter_ids(SearchFilters(people=["Ridley Scott"], countries=["United Kingdom"])) == ["alien"]
        again = ItemIndex.open(tiny_dataset.catalog, url=url, embedder=minilm, collection="tiny-items")
        assert again.count() == 8 and again.build()["unchanged"] == 8  # a second client sees the same data
    finally:
        stop(proc)
    with pytest.raises(RetrievalError, match="cannot reach Chroma server"):
        ItemIndex.open(tiny_dataset.catalog, url=url, embedder=minilm)


# -- real data -------------------------------------------------------------------

@pytest.mark.slow
def test_semantic_search_on_ml100k(ml100k, paths, minilm, tmp_path):
    cat = ml100k.catalog
    idx = ItemIndex.open(cat, persist_dir=tmp_path / "db", embedder=minilm,
                         vectors_cache=paths.artifacts("ml-100k") / "item_vectors.npz")
    assert idx.build()["added"] == len(cat)
    top = [cat[h.item_id] for h in idx.search("space opera directed by George Lucas", k=5)]
    assert any("George Lucas" in it.directors for it in top), [it.display_title for it in top]
    top = [cat[h.item_id] for h in idx.search("animated film for children", k=10)]
    assert sum("Animation" in it.genres for it in top) >= 5, [it.display_title for it in top]
    f = SearchFilters(genres=["Film-Noir"], decades=["1940s"])
    assert idx.filter_ids(f) == [it.id for it in cat if idx.resolve(f).matches(it)] != []
    hits = idx.search("detective mystery", SearchFilters(people=["Alfred Hitchcock"]), k=10)
    assert hits and all("Alfred Hitchcock" in cat[h.item_id].directors + cat[h.item_id].writers + cat[h.item_id].cast
                        for h in hits)


@pytest.mark.slow
def test_query_spread_tells_a_topic_from_a_filler_word(ml100k_assistant):
    """A topic singles out some items (its 99th-percentile cosine is far above the median); a filler word is about as
    near every item. The words are my own, not taken from the request sets."""
    from assistant.dialogue.nlu import QUERY_MIN_SPREAD

    idx = ml100k_assistant.index
    spread = {w: idx.query_spread(w) for w in ("submarine", "ghosts", "road trip", "poker", "usually", "maybe",
                                               "honestly", "both", "wants")}
    for topic in ("submarine", "ghosts", "road trip", "poker"):
        assert spread[topic] >= QUERY_MIN_SPREAD, spread
    for filler in ("usually", "maybe", "honestly", "both", "wants"):
        assert spread[filler] < QUERY_MIN_SPREAD, spread
    assert idx.query_spread("   ") is None and idx.query_spread("submarine") == spread["submarine"]  # repeatable


def test_query_spread_without_item_vectors_is_none(tiny_dataset, minilm, tmp_path):
    idx = ItemIndex.open(tiny_dataset.catalog, persist_dir=tmp_path / "db", embedder=minilm)  # nothing built
    assert idx.query_spread("submarine") is None


# -- optional embedders (real llama.cpp) ----------------------------------------

def smollm_path(paths) -> Path:
    p = paths.models_dir / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not p.exists():
        pytest.skip("run `python -m assistant.cli model fetch --name smollm2-135m` first")
    return p


@pytest.mark.slow
@pytest.mark.llm
def test_llamacpp_embedder(paths, tiny_dataset, tmp_path):
    from retrieval.embedders import LlamaCppEmbedder, embedder_from_config

    emb = LlamaCppEmbedder(smollm_path(paths), n_ctx=256, n_threads=2)
    v = emb.embed(["a science fiction film in space", "a space science fiction movie", "a recipe for lemon cake"])
    assert v.shape == (3, emb.dim) and emb.dim == 576 and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert embedder_from_config(emb.config()).name == emb.name
    idx = ItemIndex.open(tiny_dataset.catalog, persist_dir=tmp_path / "db", embedder=emb)
    assert idx.build()["added"] == 8
    assert idx.filter_ids(SearchFilters(people=["Mark Hamill"])) == ["starwars", "empire"]
    assert len(idx.search("space", SearchFilters(genres=["Sci-Fi"]), k=3)) == 3


@pytest.mark.slow
@pytest.mark.llm
@pytest.mark.server
def test_openai_compatible_embedder_against_llama_cpp_server(paths, tmp_path):
    from retrieval.embedders import LlamaCppEmbedder, OpenAIEmbedder

    model = smollm_path(paths)
    port = free_port()
    log = (tmp_path / "llama_server.log").open("w")  # llama.cpp logs a lot; a pipe would fill and block it
    proc = subprocess.Popen([PY, "-m", "llama_cpp.server", "--model", str(model), "--embedding", "true",
                             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "512"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", proc, timeout=120)
        # batch_size=1: llama_cpp.server 0.3.36 without pooling returns wrong vectors for every input after
        # the first of a multi-input request (measured: cosine ~0 to the in-process vector), one per request is exact
        emb = OpenAIEmbedder(f"http://127.0.0.1:{port}/v1", model="smollm2", batch_size=1)
        texts = ["a science fiction film in space", "a space science fiction movie", "a recipe for lemon cake"]
        v = emb.embed(texts)
        assert v.shape == (3, 576) and emb.dim == 576
        assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
        local = LlamaCppEmbedder(model, n_ctx=512, n_threads=2).embed(texts)  # same model in-process, mean-pooled
        assert np.all((v * local).sum(axis=1) > 0.999)
    finally:
        stop(proc)
