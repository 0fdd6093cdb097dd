"""Tool-path latency on a synthetic 1M-item catalog: the stages whose cost grows with the catalog.

Usage:  .venv/bin/python bench/bench_scale.py [--items 1000000] [--chroma-dir DIR] [--queries 50]
Writes docs/results/scale_1m.json and docs/results/scale_1m.md.

A turn's tool path is: link the titles the user named (fuzzy catalog search), retrieve candidates
(Chroma, with metadata filters), rank them (the scorer's signals over the candidate set), and
explain each shown card with verified KG paths. This script builds the real `Catalog` and
`KnowledgeGraph` (NetworkX) for N synthetic items (titles, years, 1-3 of 18 genres, a director
and two cast members from 50,000 Zipf-distributed people, 1-2 countries) and times each stage
with the real code. Retrieval uses the persisted collection that
`bench/bench_retrieval.py --part synthetic --workdir DIR` leaves behind (same ids s0..sN-1);
without --chroma-dir that stage is skipped. Ranking is timed as the text signal's work in
numpy (profile vector . item vectors, top-k) over the whole catalog and over a 60-item candidate
set: the trained fusion scorer itself cannot be fitted at 1M items (its EASE term is a dense
n x n matrix, 4 TB at 1M), which the results say.

What it does not do: run the LLM (its cost does not depend on the catalog size; see agent_turns.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GENRES = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
          "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"]
WORDS = ["night", "river", "silent", "golden", "last", "city", "dream", "storm", "shadow", "winter", "king", "road",
         "blue", "lost", "star", "fire", "garden", "secret", "iron", "summer", "ghost", "heart", "ocean", "wild"]


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def synthetic_items(n: int, seed: int):
    from catalog.types import Item

    rng = np.random.default_rng(seed)
    years = rng.integers(1920, 2021, n)
    people = rng.zipf(1.3, (n, 3)) % 50_000  # a few prolific people, a long tail
    w = rng.integers(0, len(WORDS), (n, 3))
    n_gen = rng.integers(1, 4, n)
    gen = rng.integers(0, len(GENRES), (n, 3))
    ctry = rng.integers(0, 30, (n, 2))
    items = []
    for i in range(n):
        items.append(Item(
            id=f"s{i}", title=f"The {WORDS[w[i, 0]].title()} {WORDS[w[i, 1]].title()} of {WORDS[w[i, 2]].title()} {i}",
            year=int(years[i]), genres=tuple(dict.fromkeys(GENRES[g] for g in gen[i, : n_gen[i]])),
            directors=(f"Person {people[i, 0]}",), cast=tuple(sorted({f"Person {p}" for p in people[i, 1:]})),
            countries=tuple(dict.fromkeys(f"Country {c}" for c in ctry[i, : 1 + i % 2]))))
    return items


def timed(fn, reps) -> tuple[dict, list]:
    from bench.common import pct

    ms, out = [], []
    for r in reps:
        t = time.perf_counter()
        out.append(fn(r))
        ms.append((time.perf_counter() - t) * 1000)
    return pct(ms), out


def main() -> int:
    from bench.common import write
    from catalog.types import Catalog, Dataset, Interactions
    from kg.graph import KnowledgeGraph, node_id
    from kg.paths import find_paths, verify_path

    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--chroma-dir", help="workdir of bench_retrieval.py --part synthetic (collection bench-synthetic)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed + 1)
    stages, build = {}, {}

    t = time.perf_counter()
    items = synthetic_items(a.items, a.seed)
    cat = Catalog(items)
    build["catalog_s"] = round(time.perf_counter() - t, 1)
    print(f"catalog {len(cat):,} items in {build['catalog_s']} s, rss {rss_gb():.1f} GB", flush=True)

    # 1. title linking: a named title with a typo (a dropped letter), as users type them. Every synthetic
    #    title ends in its unique number, a rare word, so the word-narrowed search compares a handful of titles.
    picks = rng.integers(0, a.items, a.queries)

    def typo(i):
        t = items[i].title
        j = len(t) // 2
        return t[:j] + t[j + 1:]

    t = time.perf_counter()
    cat.search_titles("warm up")  # builds the word index of the large-catalog path once
    build["title_word_index_s"] = round(time.perf_counter() - t, 1)
    stages["link_title"], found = timed(lambda i: cat.search_titles(typo(i), limit=3, min_score=80), picks)
    stages["link_title"]["found_rate"] = round(float(np.mean([items[i].id in [h[0] for h in f] for i, f in zip(picks, found)])), 3)
    print("link_title", stages["link_title"], flush=True)
    from rapidfuzz import fuzz, process

    from catalog.types import normalise_title

    # what the same lookup costs when every title is scanned (catalogs up to Catalog.FULL_SCAN_MAX titles,
    # or a query none of whose words is in the catalog)
    stages["link_title_full_scan"], _ = timed(
        lambda i: process.extract(normalise_title(typo(i)), cat._fuzzy_choices, scorer=fuzz.WRatio, limit=9,
                                  score_cutoff=80), picks[:5])
    print("link_title_full_scan", stages["link_title_full_scan"], flush=True)

    # 2. KG build + verified 2-hop explanation paths between items that share a person
    t = time.perf_counter()
    empty = Interactions([], np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.int64))
    kg = KnowledgeGraph.build(Dataset("synthetic", cat, empty, {}), include_users=False)
    build["kg_s"] = round(time.perf_counter() - t, 1)
    st = kg.stats()
    build["kg_nodes"], build["kg_edges"] = st.get("nodes"), st.get("edges")
    print(f"kg {build} rss {rss_gb():.1f} GB", flush=True)
    pairs = []
    for i in picks:  # liked item i, candidate = another item of i's director (the explanation case)
        others = [x for x in kg.items_of_entity(node_id("person", items[i].directors[0])) if x != items[i].id][:50]
        if others:
            pairs.append((items[i].id, others[int(rng.integers(len(others)))]))
    stages["kg_paths_2hop"], paths = timed(lambda p: find_paths(kg, [p[0]], p[1], max_hops=2, limit=3), pairs)
    stages["kg_paths_2hop"]["verified"] = f"{sum(verify_path(kg, q) for ps in paths for q in ps)}/{sum(len(ps) for ps in paths)}"
    print("kg_paths_2hop", stages["kg_paths_2hop"], flush=True)
    stages["kg_paths_4hop"], paths4 = timed(lambda p: find_paths(kg, [p[0]], p[1], max_hops=4, limit=3), pairs[:20])
    print("kg_paths_4hop", stages["kg_paths_4hop"], flush=True)

    # 3. retrieval on the persisted synthetic Chroma collection
    if a.chroma_dir:
        from retrieval.filters import SearchFilters, to_where
        from retrieval.index import make_client

        col = make_client(persist_dir=Path(a.chroma_dir)).get_collection("bench-synthetic", embedding_function=None)
        n_col = col.count()
        probe = col.get(ids=[f"s{int(i) % n_col}" for i in picks], include=["embeddings"])["embeddings"]
        Q = np.asarray(probe, np.float32) + 0.8 * rng.standard_normal((len(probe), 384)).astype(np.float32) / np.sqrt(384)
        Q /= np.linalg.norm(Q, axis=1, keepdims=True)
        gq = [f"genre{int(rng.integers(20)):02d}" for _ in Q]
        stages["retrieve_60"], _ = timed(lambda q: col.query(query_embeddings=[q.tolist()], n_results=60), Q)
        stages["retrieve_60_genre_filter"], _ = timed(
            lambda j: col.query(query_embeddings=[Q[j].tolist()], n_results=60,
                                where=to_where(SearchFilters(genres=[gq[j]]))), range(len(Q)))
        build["chroma_items"] = n_col
        print("retrieve", stages["retrieve_60"], stages["retrieve_60_genre_filter"], flush=True)

    # 4. ranking: the text signal over the whole catalog vs over a 60-item candidate set
    V = rng.standard_normal((a.items, 384), dtype=np.float32)
    V /= np.linalg.norm(V, axis=1, keepdims=True)  # (n, 384) float32
    profiles = [V[rng.integers(0, a.items, 3)].mean(0) for _ in range(a.queries)]

    def full(p):
        s = V @ p  # (n,)
        return np.argpartition(-s, 60)[:60]

    cand = [rng.integers(0, a.items, 60) for _ in range(a.queries)]
    stages["rank_full_catalog_numpy"], _ = timed(full, profiles)
    stages["rank_60_candidates_numpy"], _ = timed(lambda j: np.argsort(-(V[cand[j]] @ profiles[j]))[:10], range(a.queries))
    build["peak_rss_gb"] = round(rss_gb(), 1)

    per_turn = sum(stages[s]["p50_ms"] for s in ("link_title", "retrieve_60_genre_filter", "rank_60_candidates_numpy")
                   if s in stages) + 5 * stages["kg_paths_2hop"]["p50_ms"]
    command = " ".join(["python", "bench/bench_scale.py"] + sys.argv[1:])
    table = [[s, f"{v['p50_ms']:.2f}", f"{v['p95_ms']:.2f}", v["n"]] for s, v in stages.items()]
    notes = (f"{a.items:,} synthetic items; build: {build}. 1-min load average at the end {os.getloadavg()[0]:.1f} "
             f"(2 cores). Tool path per turn at this size, from the medians (link one title + filtered retrieval of 60 "
             f"+ rank 60 candidates + 2-hop paths for 5 cards): **{per_turn:.0f} ms**. The trained fusion scorer is "
             "not fitted at this size: its EASE signal needs a dense n x n item matrix (4 TB at 1M items); at this "
             "scale the collaborative term would have to come from a sparse model (ItemKNN) or embeddings (BPR-MF / "
             "LightGCN), restricted to the retrieved candidates as above.")
    write("scale_1m", {"items": a.items, "build": build, "stages": stages, "tool_path_per_turn_p50_ms": round(per_turn, 1)},
          table, ["stage", "p50 ms", "p95 ms", "n"], command, notes)
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
