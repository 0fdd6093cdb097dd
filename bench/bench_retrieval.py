"""Chroma item index: add throughput and query latency, next to an exact numpy top-k on the same vectors.

Run (both parts, as committed in docs/results/retrieval.md):
  .venv/bin/python bench/bench_retrieval.py --part ml --dataset ml-1m --queries 200
  .venv/bin/python bench/bench_retrieval.py --part synthetic --synthetic 1000000 --max-add-s 1500 --queries 100

Part "ml": the real ML-1M catalog in a fresh embedded Chroma (PersistentClient)
with MiniLM vectors (from the shared item_vectors.npz cache); query vectors are
MiniLM embeddings of short templated requests ("dark sci-fi from the 1980s").
Part "synthetic": N L2-normalised 384-d vectors (default: 1,000 Gaussian topic clusters, queries near
an item; --vectors random: uniform directions, where no index can find neighbours) with synthetic metadata
(year/decade, 1-3 of 20 genres, 1-2 of 30 countries, 3 people from 50k names);
adds stop early when --max-add-s is exceeded and the size actually reached is
reported.

Each query is timed in Chroma (`collection.query`, query vector given, k=10)
and, side by side in the same loop, as exact brute force in numpy
(`V @ q`, the same filter as a boolean mask, argpartition top-k). Reported:
p50/p95 per filter kind, ratio chroma_p50 / numpy_p50, and recall@10 of
Chroma's HNSW answer against the exact answer. Results are merged into
docs/results/retrieval.json (one key per part) and retrieval.md is rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# One BLAS thread: on a small shared machine OpenBLAS threads spin against each
# other (a 5k x 384 mat-vec took ~18 ms with the default, ~0.3 ms with one thread).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "docs" / "results"
K = 10


def machine() -> dict:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    import chromadb

    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0], "chromadb": chromadb.__version__,
            "numpy": np.__version__, "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "commit": commit, "loadavg_1m_at_start": load,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def pct(ms: list[float]) -> dict:
    a = np.asarray(ms, dtype=np.float64)
    return {"p50_ms": round(float(np.percentile(a, 50)), 3), "p95_ms": round(float(np.percentile(a, 95)), 3), "n": int(a.size)}


def numpy_topk(V: np.ndarray, q: np.ndarray, mask: np.ndarray | None, k: int) -> list[int]:
    """Exact top-k rows by dot product (= cosine on normalised rows), restricted to mask."""
    s = V @ q  # (n,)
    if mask is not None:
        s = np.where(mask, s, -np.inf)
        k = min(k, int(mask.sum()))
    if k <= 0:
        return []
    top = np.argpartition(-s, k - 1)[:k]
    return top[np.argsort(-s[top])].tolist()


def time_queries(col, V, ids, queries, where_fn, mask_fn) -> dict:
    """queries: list of (qvec (d,), filter spec); both engines see the same query, interleaved."""
    chroma_ms, numpy_ms, recalls, sizes = [], [], [], []
    for q, spec in queries:
        where = where_fn(spec)
        t = time.perf_counter()
        mask = mask_fn(spec)  # filter evaluation is part of the numpy cost
        exact = numpy_topk(V, q, mask, K)
        numpy_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        res = col.query(query_embeddings=[q], n_results=K, where=where, include=["distances"])
        chroma_ms.append((time.perf_counter() - t) * 1000)
        got = set(res["ids"][0])
        want = {ids[r] for r in exact}
        if want:
            recalls.append(len(got & want) / len(want))
        sizes.append(int(mask.sum()) if mask is not None else len(ids))
    c, n = pct(chroma_ms), pct(numpy_ms)
    return {"chroma": c, "numpy": n, "ratio_p50": round(c["p50_ms"] / max(n["p50_ms"], 1e-9), 2),
            "recall_at_10": round(float(np.mean(recalls)), 4) if recalls else None,
            "median_matching_items": int(np.median(sizes))}


def add_all(col, client, ids, V, metas, docs=None, max_s: float | None = None, log=print) -> dict:
    step = client.get_max_batch_size()
    step = min(step, 5000)
    t0 = time.perf_counter()
    n = 0
    for i in range(0, len(ids), step):
        col.add(ids=ids[i : i + step], embeddings=V[i : i + step], metadatas=metas[i : i + step],
                documents=docs[i : i + step] if docs else None)
        n = min(i + step, len(ids))
        el = time.perf_counter() - t0
        if (i // step) % 10 == 0:
            log(f"  added {n:,} in {el:.0f}s ({n / el:.0f}/s)")
        if max_s is not None and el > max_s:
            log(f"  stopping adds at {n:,} items: {el:.0f}s > --max-add-s {max_s}")
            break
    el = time.perf_counter() - t0
    return {"items": n, "seconds": round(el, 1), "items_per_s": round(n / el, 1), "batch": step}


def part_ml(a) -> dict:
    from catalog import load_dataset_by_name
    from assistant.cli import paths_from_env
    from retrieval.documents import item_document
    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from retrieval.filters import SearchFilters, Vocabulary, item_metadata, to_where
    from retrieval.index import make_client

    paths = paths_from_env()
    ds = load_dataset_by_name(a.dataset, paths)
    cat = ds.catalog
    emb = MiniLMEmbedder()
    t = time.perf_counter()
    V = item_embeddings(cat, emb, paths.artifacts(ds.name) / "item_vectors.npz")  # (n_items, 384)
    vec_s = time.perf_counter() - t
    docs = [item_document(it) for it in cat]
    sample = docs[:256]
    emb.embed(sample[:8])  # warm up
    t = time.perf_counter()
    emb.embed(sample)
    embed_rate = len(sample) / (time.perf_counter() - t)

    tmp = Path(tempfile.mkdtemp(prefix="bench-chroma-"))
    try:
        client = make_client(persist_dir=tmp)
        col = client.get_or_create_collection("bench-ml", embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
        metas = [item_metadata(it) for it in cat]
        add = add_all(col, client, cat.ids, V, metas, docs)

        vocab = Vocabulary.from_catalog(cat)
        rng = random.Random(a.seed)
        genres = sorted(vocab.values["genres"].values())
        decades = sorted(vocab.decades)
        people = [p for it in cat for p in it.directors]  # directors weighted by #films
        moods = ["dark", "funny", "feel-good", "tense", "romantic", "epic", "quirky", "violent"]
        texts, specs = [], []
        for _ in range(a.queries):
            g, d = rng.choice(genres), rng.choice(decades)
            texts.append(f"{rng.choice(moods)} {g.lower()} from the {d}")
            specs.append((g, d, rng.choice(people)))
        t = time.perf_counter()
        Q = emb.embed(texts)  # (n_queries, 384)
        query_embed_ms = (time.perf_counter() - t) * 1000 / len(texts)

        # boolean masks per value, as a fair in-memory "metadata index" for numpy
        def col_mask(pred):
            return np.fromiter((pred(it) for it in cat), bool, len(cat))

        gm = {g: col_mask(lambda it, g=g: g in it.genres) for g in genres}
        dm = {d: col_mask(lambda it, d=d: it.decade == d) for d in decades}
        pm: dict[str, np.ndarray] = {}

        def person_mask(p):
            if p not in pm:
                pm[p] = col_mask(lambda it: p in it.directors or p in it.writers or p in it.cast)
            return pm[p]

        kinds = {
            "none": (lambda s: None, lambda s: None),
            "genre": (lambda s: to_where(SearchFilters(genres=[s[0]])), lambda s: gm[s[0]]),
            "genre+decade": (lambda s: to_where(SearchFilters(genres=[s[0]], decades=[s[1]])), lambda s: gm[s[0]] & dm[s[1]]),
            "person": (lambda s: to_where(SearchFilters(people=[s[2]])), lambda s: person_mask(s[2])),
        }
        queries = list(zip(Q, specs))
        for spec in specs:
            person_mask(spec[2])  # build masks before timing (Chroma's metadata index is also prebuilt)
        out = {}
        for kind, (wf, mf) in kinds.items():
            out[kind] = time_queries(col, V, cat.ids, queries, wf, mf)
            print(f"  {kind}: {out[kind]}")
        return {"dataset": ds.name, "items": len(cat), "dim": int(V.shape[1]), "item_vectors_s": round(vec_s, 1),
                "minilm_docs_per_s": round(embed_rate, 1), "query_embed_ms_mean": round(query_embed_ms, 2),
                "add": add, "queries": out}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def part_synthetic(a) -> dict:
    from retrieval.index import make_client

    n, d = a.synthetic, 384
    rng = np.random.default_rng(a.seed)
    log_t0 = time.perf_counter()

    def log(msg):
        print(f"[{time.perf_counter() - log_t0:7.0f}s] {msg}", flush=True)

    if a.vectors == "clustered":  # like real text embeddings: items gather around topics
        centers = rng.standard_normal((1000, d), dtype=np.float32)
        V = centers[rng.integers(0, 1000, n)] + 0.8 * rng.standard_normal((n, d), dtype=np.float32)
    else:
        V = rng.standard_normal((n, d), dtype=np.float32)
    V /= np.linalg.norm(V, axis=1, keepdims=True)  # (n, 384) float32, unit rows
    genres = [f"genre{i:02d}" for i in range(20)]
    countries = [f"country{i:02d}" for i in range(30)]
    n_people = 50_000
    years = rng.integers(1920, 2021, n)
    g_idx = [rng.choice(20, rng.integers(1, 4), replace=False) for _ in range(n)]
    c_idx = [rng.choice(30, rng.integers(1, 3), replace=False) for _ in range(n)]
    p_idx = rng.zipf(1.3, (n, 3)) % n_people  # a few prolific people, a long tail
    ids = [f"s{i}" for i in range(n)]
    metas = [{"item_id": ids[i], "year": int(years[i]), "decade": f"{years[i] // 10 * 10}s",
              "genres": [genres[j] for j in g_idx[i]], "countries": [countries[j] for j in c_idx[i]],
              "people": sorted({f"person{j}" for j in p_idx[i]})} for i in range(n)]
    log(f"generated {n:,} items")
    tmp = Path(a.workdir or tempfile.mkdtemp(prefix="bench-chroma-syn-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        client = make_client(persist_dir=tmp)
        col = client.get_or_create_collection("bench-synthetic", embedding_function=None,
                                              configuration={"hnsw": {"space": "cosine"}})
        add = add_all(col, client, ids, V, metas, None, a.max_add_s, log)
        m = add["items"]
        log(f"added {m:,} items at {add['items_per_s']}/s; collection count {col.count():,}")
        V, ids = V[:m], ids[:m]
        gmask = {g: np.zeros(m, bool) for g in genres}
        dmask: dict[str, np.ndarray] = {}
        for i in range(m):
            for j in g_idx[i]:
                gmask[genres[j]][i] = True
        decs = (years[:m] // 10 * 10)
        for dec in np.unique(decs):
            dmask[f"{dec}s"] = decs == dec
        people_of = p_idx[:m]
        if a.vectors == "clustered":  # a query lies near some item, as a text query lies near its topic
            Q = V[rng.integers(0, m, a.queries)] + 0.8 * rng.standard_normal((a.queries, d), dtype=np.float32)
        else:
            Q = rng.standard_normal((a.queries, d), dtype=np.float32)
        Q /= np.linalg.norm(Q, axis=1, keepdims=True)
        specs = []
        for _ in range(a.queries):
            r = int(rng.integers(m))
            specs.append((genres[int(rng.integers(20))], f"{years[r] // 10 * 10}s", f"person{p_idx[r][0]}"))

        def person_mask(p):
            j = int(p[len("person"):])
            return (people_of == j).any(axis=1)

        from retrieval.filters import SearchFilters, to_where

        kinds = {
            "none": (lambda s: None, lambda s: None),
            "genre": (lambda s: to_where(SearchFilters(genres=[s[0]])), lambda s: gmask[s[0]]),
            "genre+decade": (lambda s: to_where(SearchFilters(genres=[s[0]], decades=[s[1]])), lambda s: gmask[s[0]] & dmask[s[1]]),
            "person": (lambda s: to_where(SearchFilters(people=[s[2]])), lambda s: person_mask(s[2])),
        }
        out = {}
        for kind, (wf, mf) in kinds.items():
            out[kind] = time_queries(col, V, ids, list(zip(Q, specs)), wf, mf)
            log(f"{kind}: {out[kind]}")
        return {"requested_items": n, "items": m, "dim": d, "vectors": a.vectors, "add": add, "queries": out,
                "note": "numpy person mask is computed per query from a (n, 3) int array (a scan), genre/decade masks are precomputed"}
    finally:
        if not a.workdir:
            shutil.rmtree(tmp, ignore_errors=True)


def write_md(data: dict) -> None:
    lines = ["# Retrieval: Chroma item index vs exact numpy top-k", ""]
    for part, title in (("ml", "Real catalog (MiniLM vectors)"), ("synthetic", "Synthetic collection (384-d)")):
        r = data.get(part)
        if not r:
            continue
        m = r["machine"]
        lines += [f"## {title}", "", f"Command: `{r['command']}`", "",
                  f"Machine: {m['cpu']}, {m['cores']} cores (shared with other jobs; 1-min load average at start "
                  f"{m['loadavg_1m_at_start']:.1f}), Python {m['python']}, chromadb {m['chromadb']}, commit {m['commit']}, {m['date']}", ""]
        if part == "ml":
            lines += [f"{r['dataset']}: {r['items']:,} items, {r['dim']}-d. MiniLM document embedding "
                      f"{r['minilm_docs_per_s']} docs/s; query embedding {r['query_embed_ms_mean']} ms/query (mean, batched)."]
        else:
            note = "" if r["items"] == r["requested_items"] else \
                f" **Adds were stopped at {r['items']:,} of the requested {r['requested_items']:,} items by the time cap; the query numbers are for {r['items']:,} items.**"
            lines += [f"{r['items']:,} items, {r['dim']}-d, {r.get('vectors', 'random')} vectors.{note}"]
        ad = r["add"]
        lines += [f"Add throughput (embedded PersistentClient, batches of {ad['batch']}, vectors given): "
                  f"**{ad['items_per_s']:,} items/s** ({ad['items']:,} items in {ad['seconds']} s).", "",
                  "| filter | matching items (median) | Chroma p50 ms | Chroma p95 ms | numpy p50 ms | numpy p95 ms | Chroma/numpy p50 | Chroma recall@10 |",
                  "|---|---|---|---|---|---|---|---|"]
        for kind, q in r["queries"].items():
            lines.append(f"| {kind} | {q['median_matching_items']:,} | {q['chroma']['p50_ms']} | {q['chroma']['p95_ms']} | "
                         f"{q['numpy']['p50_ms']} | {q['numpy']['p95_ms']} | {q['ratio_p50']} | {q['recall_at_10']} |")
        lines += ["", f"{q['chroma']['n']} queries per row, k=10, both engines timed on the same query in the same loop.", ""]
    lines += ["Recall@10 = overlap of Chroma's top-10 with the exact numpy top-10 for the same query and filter. "
              "numpy cost includes combining the filter masks (per-value boolean masks are built once before timing, "
              "as Chroma's metadata index is; the synthetic person mask is a scan of an (n, 3) array per query). "
              "OpenBLAS runs one thread (see the script).", ""]
    notes = RESULTS / "retrieval_notes.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    (RESULTS / "retrieval.md").write_text("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["ml", "synthetic"])
    ap.add_argument("--dataset", default="ml-1m")
    ap.add_argument("--synthetic", type=int, default=1_000_000)
    ap.add_argument("--max-add-s", type=float, default=1500.0, help="stop adding synthetic items after this many seconds")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--vectors", choices=["clustered", "random"], default="clustered",
                    help="synthetic vectors: 1,000 Gaussian topic clusters (default) or uniform random directions")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="keep the synthetic Chroma here instead of a temp dir")
    ap.add_argument("--md-only", action="store_true", help="only rewrite retrieval.md from retrieval.json")
    a = ap.parse_args()
    if a.md_only:
        write_md(json.loads((RESULTS / "retrieval.json").read_text()))
        return
    if not a.part:
        ap.error("--part is required")
    cmd = ".venv/bin/python bench/bench_retrieval.py " + " ".join(sys.argv[1:])
    mach = machine()
    r = part_ml(a) if a.part == "ml" else part_synthetic(a)
    r = {"command": cmd, "machine": mach, **r}
    RESULTS.mkdir(parents=True, exist_ok=True)
    jp = RESULTS / "retrieval.json"
    data = json.loads(jp.read_text()) if jp.exists() else {}
    data[a.part] = r
    jp.write_text(json.dumps(data, indent=2))
    write_md(data)
    print(f"wrote {jp} and retrieval.md")


if __name__ == "__main__":
    main()
