"""assistant.build.warm_up: it builds the caches the first turn would build, results are the same with and without
it, and gc.freeze runs at most once per process (only from FREEZE_MIN_ITEMS items on unless asked)."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from assistant import build
from assistant.build import index_collection, warm_up
from catalog.types import Catalog, Dataset
from kg.graph import KnowledgeGraph
from kg.paths import find_paths
from retrieval.filters import SearchFilters


@pytest.fixture(scope="module")
def minilm():
    from retrieval.embedders import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def ml100k_scorer(ml100k, ml100k_kg, paths):
    from scorer.train import load_scorer

    return load_scorer(paths.scorer_dir(ml100k.name), ml100k.catalog, ml100k_kg)


@pytest.fixture
def no_freeze_yet(monkeypatch):
    """This process counts as not frozen yet; whatever a test freezes is unfrozen afterwards."""
    was = gc.get_freeze_count()
    monkeypatch.setattr(build, "_heap_frozen", False)
    yield
    if was == 0:
        gc.unfreeze()


def fresh(ml100k, ml100k_kg, paths, minilm):
    """New catalog, KG and index objects over the same ML-100K data: no cache built yet."""
    from retrieval.index import ItemIndex

    cat = Catalog(list(ml100k.catalog))
    ds = Dataset(ml100k.name, cat, ml100k.interactions, ml100k.meta)
    kg = KnowledgeGraph(ml100k_kg.g)
    index = ItemIndex.open(cat, persist_dir=paths.chroma_dir(ds.name), collection=index_collection(ds),
                           embedder=minilm, vectors_cache=paths.artifacts(ds.name) / "item_vectors.npz")
    return cat, kg, index


def caches(cat, kg, index) -> dict[str, bool]:
    return {"titles": cat._fuzzy_choices is not None, "degree": kg._degree is not None,
            "adjacency": kg._content_adj is not None, "labels": kg._labels is not None,
            "filter_index": index._filter_index is not None, "vectors": index._vectors_loaded}


def answers(cat, kg, index, scorer) -> list:
    """What the tool path reads from each component, for a few real ML-100K requests."""
    from scorer.base import Profile

    ids = {t: cat.find_title(t)[0] for t in ("Star Wars", "Alien", "Aliens", "Blade Runner", "Toy Story")}
    out = [cat.search_titles(q, limit=5) for q in ("star wars", "blade runer", "aliens 1986", "toy stroy")]
    out += [[(m.node, m.score) for m in kg.link_entity(q, limit=3)] for q in ("hitchcock", "harrison ford", "noir")]
    out += [[(p.nodes, p.relations, p.score) for p in find_paths(kg, [ids["Alien"], ids["Star Wars"]], ids[t],
                                                                    max_hops=h, limit=10)]
            for t in ("Aliens", "Blade Runner") for h in (2, 4)]
    out.append([kg.degree(n) for n in ("genre:Sci-Fi", "person:Harrison Ford", "no such node")])
    q = index.vectors[cat.index(ids["Alien"])]
    for f in (None, SearchFilters(genres=["Sci-Fi"]), SearchFilters(genres=["Film-Noir"], decades=["1940s"])):
        out.append([(h.item_id, round(h.score, 5), h.document) for h in index.search_vector(q, index.resolve(f), 20)])
    out.append(index.filter_ids(SearchFilters(people=["Alfred Hitchcock"])))
    profile = Profile(liked=[ids["Alien"], ids["Star Wars"]])
    got, scores = scorer.recommend(profile, k=10)
    out += [got, np.round(scores, 5).tolist()]
    got, scores = scorer.recommend(profile, k=5, candidates=[h.item_id for h in index.search_vector(q, None, 50)])
    out += [got, np.round(scores, 5).tolist()]
    return out


def test_warm_up_builds_the_caches_and_changes_no_result(ml100k, ml100k_kg, paths, minilm, ml100k_scorer,
                                                        no_freeze_yet):
    cold = fresh(ml100k, ml100k_kg, paths, minilm)
    assert not any(caches(*cold).values())
    cold_answers = answers(*cold, ml100k_scorer)

    warm = fresh(ml100k, ml100k_kg, paths, minilm)
    frozen = gc.get_freeze_count()
    took = warm_up(warm[0], warm[1], warm[2], ml100k_scorer)
    assert all(caches(*warm).values()), caches(*warm)
    assert {"titles", "kg", "index", "total"} <= set(took) and "gc_freeze" not in took  # ML-100K: no freeze
    assert gc.get_freeze_count() == frozen
    assert answers(*warm, ml100k_scorer) == cold_answers


def test_warm_up_skips_missing_components(tiny_dataset, no_freeze_yet):
    cat = Catalog(list(tiny_dataset.catalog))
    took = warm_up(cat)
    assert set(took) == {"titles", "total"} and cat._fuzzy_choices is not None


def test_freeze_runs_at_most_once_per_process(tiny_dataset, no_freeze_yet):
    kg = KnowledgeGraph.build(tiny_dataset)
    took = warm_up(tiny_dataset.catalog, kg, freeze=True)  # asked for, on a small catalog
    assert "gc_freeze" in took
    n = gc.get_freeze_count()
    assert n > 0 and kg._content_adj is not None
    assert build.freeze_heap() is False  # second time: nothing happens
    again = warm_up(tiny_dataset.catalog, kg, freeze=True)
    assert "gc_freeze" not in again and gc.get_freeze_count() <= n
    assert find_paths(kg, ["alien"], "blade", max_hops=2)  # frozen objects still work


def test_large_catalogs_freeze_by_default(tiny_dataset, no_freeze_yet, monkeypatch):
    monkeypatch.setattr(build, "FREEZE_MIN_ITEMS", len(tiny_dataset.catalog))
    assert "gc_freeze" in warm_up(tiny_dataset.catalog)
    assert gc.get_freeze_count() > 0


def test_build_assistant_runs_the_warm_up(ml100k_assistant):
    a = ml100k_assistant
    assert {"titles", "kg", "index", "open_reader", "total"} <= set(a.warm_up_s), a.warm_up_s
    assert "gc_freeze" not in a.warm_up_s  # ML-100K is below FREEZE_MIN_ITEMS
    assert all(caches(a.catalog, a.kg, a.index).values())
    assert a.nlu.open_reader._vectors is not None
