"""KG build time and path-query latency (2-hop vs 4-hop) on a dataset's real graph.

Run: .venv/bin/python bench/bench_kg.py --dataset ml-1m --queries 300
Each query: 5 random liked items of a random user and one random target item
with named entities; the same queries are timed at max_hops=2 and 4.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import pct, write  # noqa: E402
from catalog import load_dataset_by_name  # noqa: E402
from assistant.cli import paths_from_env  # noqa: E402
from kg.graph import KnowledgeGraph  # noqa: E402
from kg.paths import find_paths, verify_path  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-1m")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    ds = load_dataset_by_name(a.dataset, paths_from_env())
    t0 = time.perf_counter()
    kg = KnowledgeGraph.build(ds)
    build_s = time.perf_counter() - t0
    rng = random.Random(a.seed)
    with_entities = [it.id for it in ds.catalog if it.directors]
    inter = ds.interactions
    queries = []
    for _ in range(a.queries):
        u = rng.randrange(inter.n_users)
        rows = [int(i) for i in inter.items[inter.users == u]]
        liked = [ds.catalog.at(r).id for r in rng.sample(rows, min(5, len(rows)))]
        queries.append((liked, rng.choice(with_entities)))
    results, rows = {}, []
    for hops in (2, 4):
        times, found, verified, total = [], 0, 0, 0
        for liked, target in queries:
            t = time.perf_counter()
            ps = find_paths(kg, liked, target, max_hops=hops, limit=5)
            times.append((time.perf_counter() - t) * 1000)
            found += bool(ps)
            total += len(ps)
            verified += sum(verify_path(kg, p) for p in ps)
        r = {**pct(times), "queries_with_a_path": found / len(queries), "paths_verified": f"{verified}/{total}"}
        results[f"max_hops={hops}"] = r
        rows.append([hops, r["p50_ms"], r["p95_ms"], f"{r['queries_with_a_path']:.1%}", r["paths_verified"]])
    st = kg.stats()
    cmd = f".venv/bin/python bench/bench_kg.py --dataset {a.dataset} --queries {a.queries}"
    notes = (f"Graph: {st['nodes']:,} nodes, {st['edges']:,} edges, built in {build_s:.1f} s. "
             "Each query = 5 random items of a random user -> a random target with named entities; top-5 paths.")
    write(f"kg_paths_{a.dataset}", {"build_s": round(build_s, 2), "stats": st, "results": results}, rows,
          ["max hops", "p50 ms", "p95 ms", "queries with a path", "paths verified"], cmd, notes)
    print((Path(__file__).resolve().parent.parent / "docs" / "results" / f"kg_paths_{a.dataset}.md").read_text())


if __name__ == "__main__":
    main()
