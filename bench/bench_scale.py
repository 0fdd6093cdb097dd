"""Tool-path latency, retrieval recall and memory on a synthetic 1M-item catalog that `recassist build` built.

Usage:
  python bench/synth.py --items 1000000 --users 200000 --interactions 10000000 --out /work/synth1m
  RECASSIST_HOME=/work/home1m recassist build --dataset /work/synth1m      # writes build_report.json
  python bench/bench_scale.py --data /work/synth1m --home /work/home1m [--queries 100]
Writes docs/results/scale_1m.json and scale_1m.md; top-level fields `tool_path_p95_ms` (this path),
`tool_path_p95_ms_before` (the path before issue #17, measured in the same run on the same queries) and
`build_peak_rss_gb` (from the build's build_report.json; with --extra-build-report, stages that build did not run
are taken from an earlier build's report and the headline is the larger stage peak).

One query of the stated mix is one turn's tool path, each stage timed with the real code on the built artifacts:
  embed       the MiniLM embedding of the request text (the synthetic item vectors are not MiniLM vectors, so
              retrieval then uses a vector near a random item of a cluster the user likes instead)
  link_title  catalog.search_titles for one liked title with a typo (rare-word narrowing; the full scan of all
              titles is reported separately, it is what a query with no known word costs)
  retrieve    500 candidates under the query's filters: ItemIndex.search_vector (inverted index, exact scan of
              the matches or HNSW over-fetch, whichever ItemIndex.path_costs_ms estimates cheaper; per query in
              `retrieve_queries`), ids and scores only, as tools/search_items asks;
              before: Chroma's `where` filter (with documents, as before issue #17)
  score       the trained scorer (scorer.sparse at this size) ranks the 500 candidates for a profile of 5 liked
              items of a training user
  explain     verified KG paths of <= 2 hops from the liked items to each of the 5 cards (kg.paths.find_paths)
Query mix (drawn per query): one genre 30%, genre + decade 25%, one person (a director or cast member of a liked
item) 20%, country + decade 15%, no filter 10%. Recall@10 of each path's filtered top-10 against the exact top-10
(a brute-force scan of every matching item) is measured on the same queries.
The scorer before issue #17 could not be fitted at this size (dense n x n matrices), so "before" uses the same
scorer; the ratio measures retrieval and everything else on the path.
Before the queries it runs assistant.build.warm_up, the function the app runs after loading (--warm-up app: title,
KG, filter and Chroma indices, scorer tables, then gc.freeze), and reports its seconds; --warm-up none reproduces the
bench before that function existed. The queries' tool paths run back to back first (the headline: turns as a serving
process runs them); then, per query, the before path, the exact top-10 and the tool path again (`passes`:
back_to_back, after_before_path). Around every stage `Kernel` reads the process's CPU time and faults, steal,
compaction stalls and pressure stall time; stages over 3x their median are listed with them (`passes.*.stalls`).
gc.callbacks time every collection, charged to the stage it interrupted
(`gc_pauses`); time in Chroma calls is reported per stage (`chroma_reads_ms`); title links where the typo left no
rare word and every title was scanned are counted, and the tool path is also reported over the other queries.
What it does not do: run the LLM (its cost does not depend on the catalog size; see agent_turns.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

K_CANDIDATES = 500
PATH_STAGES = ("embed", "link_title", "retrieve", "score", "explain")
MIX = (("genre", 0.30), ("genre+decade", 0.25), ("person", 0.20), ("country+decade", 0.15), ("none", 0.10))


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def make_queries(ds, vectors, n: int, seed: int) -> list[dict]:
    """n queries of the stated mix: liked items of one training user, a filter, a query vector and text."""
    from retrieval.filters import SearchFilters

    rng = np.random.default_rng(seed)
    cat, inter = ds.catalog, ds.interactions
    starts = np.r_[0, np.cumsum(np.bincount(inter.users, minlength=inter.n_users))]
    order = np.argsort(inter.users, kind="stable")
    kinds, p = zip(*MIX)
    out = []
    while len(out) < n:
        u = int(rng.integers(inter.n_users))
        items = inter.items[order[starts[u] : starts[u + 1]]]
        if len(items) < 5:
            continue
        liked = [cat.at(int(i)) for i in rng.choice(items, 5, replace=False)]
        anchor = liked[0]
        kind = kinds[int(rng.choice(len(kinds), p=p))]
        decade = f"{(anchor.year or 2000) // 10 * 10}s"
        f = {"genre": dict(genres=list(anchor.genres[:1])),
             "genre+decade": dict(genres=list(anchor.genres[:1]), decades=[decade]),
             "person": dict(people=[(anchor.directors + anchor.cast)[int(rng.integers(len(anchor.directors + anchor.cast)))]]),
             "country+decade": dict(countries=list(anchor.countries[:1]), decades=[decade]),
             "none": {}}[kind]
        if any(not v for v in f.values()):
            continue
        q = vectors[cat.index(anchor.id)] + 0.9 * rng.standard_normal(vectors.shape[1]).astype(np.float32) / np.sqrt(vectors.shape[1])
        t = anchor.title
        j = len(t) // 2
        out.append({"kind": kind, "filters": SearchFilters(**f), "qvec": (q / np.linalg.norm(q)).astype(np.float32),
                    "text": f"{' '.join(anchor.genres[:1]).lower()} films like {anchor.title}",
                    "typo": t[:j] + t[j + 1:], "title_id": anchor.id, "liked": [it.id for it in liked]})
    return out


def exact_top(vectors, rows: np.ndarray | None, q: np.ndarray, k: int) -> list[int]:
    s = vectors @ q if rows is None else vectors[rows] @ q  # (n,) without copying all rows when unfiltered
    rows = np.arange(len(vectors)) if rows is None else rows
    top = np.argpartition(-s, min(k, len(s) - 1))[:k]
    return rows[top[np.argsort(-s[top])]].tolist()


class GCTimer:
    """gc.callbacks hook: every collection's pause, by generation, charged to the stage running when it ran."""

    def __init__(self):
        self.stage = "load"
        self.pauses: dict[str, list[tuple[int, float]]] = {}  # stage -> [(generation, ms)]
        self._t0 = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.pauses.setdefault(self.stage, []).append((info["generation"], ms(self._t0)))

    def summary(self) -> dict:
        out = {}
        for stage, p in self.pauses.items():
            full = [m for g, m in p if g == 2]
            out[stage] = {"total_ms": round(sum(m for _, m in p), 1), "collections": len(p),
                          "gen2": len(full), "gen2_total_ms": round(sum(full), 1),
                          "max_ms": round(max(m for _, m in p), 1)}
        return out


class Kernel:
    """What the kernel did while a stage ran: this process's CPU time, page faults and involuntary context switches
    (getrusage); CPU time the hypervisor gave to other guests (/proc/stat steal, 10 ms ticks); and, machine-wide from /proc/vmstat and /proc/pressure, direct-compaction stalls, transparent huge
    pages allocated on a fault, and microseconds some task stalled on memory or waited for a CPU. On an otherwise
    idle machine the machine-wide counters are this process's. Missing files (not Linux) read as zeros."""

    VMSTAT = ("compact_stall", "thp_fault_alloc", "pgmajfault")
    PRESSURE = (("memory", "mem_stall_us"), ("io", "io_stall_us"), ("cpu", "cpu_wait_us"))

    @staticmethod
    def _pressure(kind: str) -> int:
        try:
            line = Path(f"/proc/pressure/{kind}").read_text().splitlines()[0]  # some avg10=.. total=<us>
            return int(line.rsplit("total=", 1)[1])
        except (OSError, IndexError, ValueError):
            return 0

    @classmethod
    def snap(cls) -> dict[str, int]:
        r = resource.getrusage(resource.RUSAGE_SELF)
        out = {"cpu_us": int((r.ru_utime + r.ru_stime) * 1e6),  # this process's CPU time, all its threads
               "minflt": r.ru_minflt, "majflt": r.ru_majflt, "nivcsw": r.ru_nivcsw}
        try:  # time the hypervisor ran someone else on this VM's CPUs (USER_HZ ticks -> us)
            out["steal_us"] = int(Path("/proc/stat").read_text().split("\n", 1)[0].split()[8]) * 10_000
        except (OSError, IndexError, ValueError):
            out["steal_us"] = 0
        try:
            vm = dict(line.split() for line in Path("/proc/vmstat").read_text().splitlines())
        except OSError:
            vm = {}
        out |= {k: int(vm.get(k, 0)) for k in cls.VMSTAT}
        out |= {name: cls._pressure(kind) for kind, name in cls.PRESSURE}
        return out

    @staticmethod
    def delta(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        return {k: b[k] - a[k] for k in a}


class ReadTimer:
    """Wraps ItemIndex._read: time in each Chroma call (count / query / get), charged to the running stage."""

    def __init__(self, index, gct: GCTimer):
        self.gct, self.inner = gct, index._read
        self.calls: dict[str, dict[str, list[float]]] = {}  # stage -> call name -> [ms]
        index._read = self

    def __call__(self, fn, *args, **kw):
        t = time.perf_counter()
        try:
            return self.inner(fn, *args, **kw)
        finally:
            name = getattr(fn, "__name__", str(fn))
            self.calls.setdefault(self.gct.stage, {}).setdefault(name, []).append(ms(t))


def main() -> int:
    import gc

    from assistant.build import index_collection, warm_up
    from bench.common import pct, write
    from catalog import load_dataset_by_name
    from catalog.paths import Paths
    from kg.graph import KnowledgeGraph
    from kg.paths import find_paths, verify_path
    from retrieval.filters import to_where
    from retrieval.index import ItemIndex
    from scorer.base import Profile
    from scorer.train import load_scorer

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="the BYO dataset directory bench/synth.py wrote")
    ap.add_argument("--home", required=True, help="the RECASSIST_HOME `recassist build --dataset DATA` used")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--warm-up", choices=("app", "none"), default="app",
                    help="app: assistant.build.warm_up, what the app runs after loading (caches, gc.freeze); "
                         "none: the bench before it (title index, filter index and text model only; no freeze)")
    ap.add_argument("--name", default="scale_1m", help="results file name under docs/results")
    ap.add_argument("--extra-build-report", type=Path, action="append", default=[],
                    help="an earlier build_report.json for stages the home's last build did not run or found up to "
                         "date (e.g. the index); repeat for several")
    a = ap.parse_args()
    paths = Paths(Path(a.home))
    load = {"load_avg_at_start": round(os.getloadavg()[0], 2)}
    gct = GCTimer()
    gc.callbacks.append(gct)
    t0 = time.perf_counter(); ds = load_dataset_by_name(a.data, paths); load["dataset_s"] = round(ms(t0) / 1000, 1)
    t0 = time.perf_counter(); kg = KnowledgeGraph.load(paths.kg_path(ds.name)); load["kg_s"] = round(ms(t0) / 1000, 1)
    t0 = time.perf_counter()
    index = ItemIndex.open(ds.catalog, persist_dir=paths.chroma_dir(ds.name), collection=index_collection(ds),
                           vectors_cache=paths.artifacts(ds.name) / "item_vectors.npz")
    if a.warm_up == "none":
        _ = index.vectors, index.filter_index  # as the bench did before the app's warm-up existed
    load["index_s"] = round(ms(t0) / 1000, 1)
    t0 = time.perf_counter(); scorer = load_scorer(paths.scorer_dir(ds.name), ds.catalog, kg); load["scorer_s"] = round(ms(t0) / 1000, 1)
    load["rss_after_load_gb"] = round(rss_gb(), 2)
    print("loaded", load, flush=True)
    gct.stage = "warm_up"
    t0 = time.perf_counter()
    if a.warm_up == "app":
        warm = warm_up(ds.catalog, kg, index, scorer)  # the function build_assistant runs
    else:
        ds.catalog.search_titles("warm up")  # the rare-word index, built once
        index.embedder.embed(["warm up"])
        warm = {"total": round(ms(t0) / 1000, 3)}
    load["warm_up_s"] = warm
    load["rss_after_warm_up_gb"] = round(rss_gb(), 2)
    print("warm-up", warm, flush=True)
    reads = ReadTimer(index, gct)
    V = index.vectors  # (n_items, 384) float32, unit rows, catalog order

    gct.stage = "other"
    queries = make_queries(ds, V, a.queries, a.seed)
    stages = {s: [] for s in ("embed", "link_title", "retrieve", "retrieve_before", "score", "explain")}
    total, total_before, paths_used, recall, recall_before, linked = [], [], {}, {}, {}, 0
    verified = [0, 0]
    full_scan_link = []  # per query: the title link found no rare word of the typo and scanned every title
    by_path: dict[str, list[float]] = {}  # retrieve ms per retrieval path
    retrieve_rows = []  # per query: filter kind, matches m, path, estimated costs, measured ms
    from catalog.types import normalise_title

    passes = {p_: {"stages": {s: [] for s in PATH_STAGES}, "total": [], "kernel": {s: [] for s in PATH_STAGES}}
              for p_ in ("back_to_back", "after_before_path")}

    def tool_path(q, filters) -> tuple[dict[str, float], dict[str, dict[str, int]], list, list, list, str]:
        """One query's tool path, stage by stage: ms and kernel counters per stage, title hits, candidates,
        KG paths per card, the retrieval path taken."""
        t_ms, kern = {}, {}

        def timed(stage, fn):
            gct.stage = stage
            k0 = Kernel.snap(); t = time.perf_counter()
            out = fn()
            t_ms[stage] = ms(t); kern[stage] = Kernel.delta(k0, Kernel.snap())
            gct.stage = "other"
            return out

        timed("embed", lambda: index.embedder.embed([q["text"]]))
        hits = timed("link_title", lambda: ds.catalog.search_titles(q["typo"], limit=3, min_score=80))
        got = timed("retrieve", lambda: index.search_vector(q["qvec"], filters, K_CANDIDATES, documents=False))
        path = index.last_path
        profile = Profile(liked=q["liked"])
        cards = timed("score", lambda: scorer.recommend(profile, k=5, candidates=[h.item_id for h in got])[0])
        found = timed("explain", lambda: [find_paths(kg, q["liked"], c, max_hops=2, limit=3) for c in cards])
        return t_ms, kern, hits, got, found, path

    def record(pass_, t_ms, kern):
        for s_ in PATH_STAGES:
            passes[pass_]["stages"][s_].append(t_ms[s_]); passes[pass_]["kernel"][s_].append(kern[s_])
        passes[pass_]["total"].append(sum(t_ms.values()))

    # pass 1, the headline: the queries' tool paths back to back, as a serving process runs turns
    first = []
    for q in queries:
        filters = index.resolve(q["filters"]) if not q["filters"].is_empty() else None
        r = tool_path(q, filters)
        record("back_to_back", r[0], r[1])
        first.append(r)
    # pass 2: each query's before path (Chroma `where`, seconds) and exact top-10 first, then its tool path again,
    # the order the bench had before; the before path's total takes its other stages from this pass
    for qi, q in enumerate(queries):
        filters = index.resolve(q["filters"]) if not q["filters"].is_empty() else None
        pt, _, hits, got, found, last_path = first[qi]
        linked += q["title_id"] in [h[0] for h in hits]
        full_scan_link.append(len(ds.catalog.prepare_title_search()) > ds.catalog.FULL_SCAN_MAX
                              and not ds.catalog.find_title(q["typo"])
                              and ds.catalog._fuzzy_pool(normalise_title(q["typo"])) is ds.catalog._fuzzy_choices)
        paths_used[last_path] = paths_used.get(last_path, 0) + 1
        by_path.setdefault(last_path, []).append(pt["retrieve"])
        m = len(index.filter_index.rows(filters)) if filters else len(ds.catalog)
        est = index.path_costs_ms(m, K_CANDIDATES) if filters else (None, None)
        retrieve_rows.append({"kind": q["kind"], "matches": m, "path": last_path, "ms": round(pt["retrieve"], 1),
                              "est_exact_ms": est[0] and round(est[0], 1), "est_ann_ms": est[1] and round(est[1], 1)})
        gct.stage = "retrieve_before"
        t = time.perf_counter()
        before = index._query(q["qvec"], K_CANDIDATES, where=to_where(filters) if filters else None)
        ret_before = ms(t)
        gct.stage = "other"
        verified[0] += sum(verify_path(kg, p) for ps in found for p in ps); verified[1] += sum(len(ps) for ps in found)
        want = set(exact_top(V, index.filter_index.rows(filters) if filters else None, q["qvec"], 10))
        for store, hits_ in ((recall, got), (recall_before, before)):
            store.setdefault(q["kind"], []).append(len(want & {ds.catalog.index(h.item_id) for h in hits_[:10]}) / len(want))
        t2, k2 = tool_path(q, filters)[:2]
        record("after_before_path", t2, k2)
        total_before.append(sum(t2.values()) - t2["retrieve"] + ret_before)
        for s_ in PATH_STAGES:
            stages[s_].append(pt[s_])
        stages["retrieve_before"].append(ret_before)
        total.append(sum(pt.values()))
        if qi % 20 == 0:
            print(qi, q["kind"], last_path, f"{total[-1]:.0f} ms vs {total_before[-1]:.0f} ms", flush=True)

    from rapidfuzz import fuzz, process

    from catalog.types import normalise_title

    full_scan = []
    gct.stage = "link_title_full_scan"
    for q in queries[:5]:
        t = time.perf_counter()
        process.extract(normalise_title(q["typo"]), ds.catalog._fuzzy_choices, scorer=fuzz.WRatio, limit=9, score_cutoff=80)
        full_scan.append(ms(t))
    gct.stage = "full_gc_probe"  # what a full collection would cost a turn now (frozen objects are skipped)
    t = time.perf_counter(); gc.collect(); full_gc_ms = round(ms(t), 1)
    gct.stage = "other"
    gc.callbacks.remove(gct)
    narrowed = [i for i, f in enumerate(full_scan_link) if not f]
    report_file = paths.artifacts(ds.name) / "build_report.json"
    build = json.loads(report_file.read_text()) if report_file.exists() else {}
    build_peak, build_note = build.get("peak_rss_gb"), None
    # a stage the home's last build found up to date was not measured there: an extra report's run of it counts
    measured = [st["stage"] for st in build.get("stages", []) if "up to date" not in st.get("message", "")]
    have = set(measured)
    notes = []
    for extra_path in a.extra_build_report:
        extra = json.loads(extra_path.read_text())
        added = [st for st in extra.get("stages", []) if st["stage"] not in have and "up to date" not in st.get("message", "")]
        if added:
            have |= {st["stage"] for st in added}
            build_peak = max([build_peak or 0.0] + [st["stage_peak_rss_gb"] or 0.0 for st in added])
            notes.append(f"{', '.join(st['stage'] for st in added)} from {extra_path} (commit "
                         f"{str(extra.get('commit'))[:7]}: stage peak {', '.join(str(st['stage_peak_rss_gb']) for st in added)} GB)")
    if notes:
        build_note = (f"Stages measured in other builds: {'; '.join(notes)}. The home's last build (commit "
                      f"{str(build.get('commit'))[:7]}) measured {', '.join(measured)} "
                      f"with peak {build.get('peak_rss_gb')} GB. build_peak_rss_gb is the largest stage peak of all of them.")
    scorer_meta = json.loads((paths.scorer_dir(ds.name) / "meta.json").read_text())
    kernel_report = {}
    for pass_, d in passes.items():
        stalls = []  # a stage that took over 3x its median and over 20 ms, with what the kernel did meanwhile
        for s_ in PATH_STAGES:
            med = float(np.median(d["stages"][s_]))
            for qi, (v, k) in enumerate(zip(d["stages"][s_], d["kernel"][s_])):
                if v > max(3 * med, 20.0):
                    stalls.append({"query": qi, "stage": s_, "ms": round(v, 1), "median_ms": round(med, 1)} | k)
        kernel_report[pass_] = {
            "tool_path": pct(d["total"]),
            "queries_ms": [{s_: round(d["stages"][s_][i], 1) for s_ in PATH_STAGES} | {"total": round(d["total"][i], 1)}
                           for i in range(len(d["total"]))], "stages": {s_: pct(v) for s_, v in d["stages"].items()},
            "kernel_totals": {s_: {c: int(sum(k[c] for k in ks)) for c in ks[0]} for s_, ks in d["kernel"].items()},
            "stalls": stalls}
    res = {
        "items": len(ds.catalog), "interactions": len(ds.interactions),
        "tool_path_p95_ms": round(pct(total)["p95_ms"], 1),
        "tool_path_p95_ms_before": round(pct(total_before)["p95_ms"], 1),
        "build_peak_rss_gb": build_peak,
        "build_peak_rss_gb_measured_stages": build.get("peak_rss_gb"), "build_note": build_note,
        "tool_path": pct(total), "tool_path_before": pct(total_before),
        "ratio_p95_before_over_now": round(pct(total_before)["p95_ms"] / pct(total)["p95_ms"], 2),
        "stages": {s: pct(v) for s, v in stages.items()},
        "warm_up": a.warm_up, "warm_up_s": warm,
        "first_query_ms": {s: round(v[0], 1) for s, v in stages.items()} | {"tool_path": round(total[0], 1)},
        "tool_path_after_first": pct(total[1:]), "tool_path_before_after_first": pct(total_before[1:]),
        "link_title_full_scan_queries": int(sum(full_scan_link)),
        "tool_path_narrowed_link": pct([total[i] for i in narrowed]) if narrowed else None,
        "tool_path_before_narrowed_link": pct([total_before[i] for i in narrowed]) if narrowed else None,
        "link_title_narrowed": pct([stages["link_title"][i] for i in narrowed]) if narrowed else None,
        "retrieve_by_path": {p_: pct(v) for p_, v in by_path.items()},
        "retrieve_queries": retrieve_rows,
        "gc_pauses": gct.summary(), "gc_frozen_objects": gc.get_freeze_count(), "full_gc_after_queries_ms": full_gc_ms,
        "chroma_reads_ms": {st: {fn: {"total": round(sum(v), 1), "n": len(v), "p50": round(float(np.median(v)), 1)}
                                 for fn, v in d.items()} for st, d in reads.calls.items()},
        "link_title_full_scan": pct(full_scan), "link_title_found_rate": round(linked / len(queries), 3),
        "retrieval_paths": paths_used,
        "recall_at_10_vs_exact": {k: round(float(np.mean(v)), 4) for k, v in recall.items()},
        "recall_at_10_vs_exact_before": {k: round(float(np.mean(v)), 4) for k, v in recall_before.items()},
        "recall_at_10_vs_exact_all": round(float(np.mean([x for v in recall.values() for x in v])), 4),
        "kg_paths_verified": f"{verified[0]}/{verified[1]}",
        "query_mix": dict(MIX), "k_candidates": K_CANDIDATES,
        "build": build, "scorer": {k: scorer_meta.get(k) for k in ("path", "train_seconds", "path_reason", "positives")},
        "tool_path_after_before_path": kernel_report["after_before_path"]["tool_path"],
        "passes": kernel_report,
        "serving_load": load, "serving_peak_rss_gb": round(rss_gb(), 2),
        "load_avg_at_end": round(os.getloadavg()[0], 2),
    }
    command = " ".join(["python", "bench/bench_scale.py"] + sys.argv[1:])
    table = [[s, f"{v['p50_ms']:.1f}", f"{v['p95_ms']:.1f}", v["n"]] for s, v in res["stages"].items()]
    table += [["tool path (sum)", f"{res['tool_path']['p50_ms']:.1f}", f"{res['tool_path']['p95_ms']:.1f}", len(total)],
              ["tool path before (sum)", f"{res['tool_path_before']['p50_ms']:.1f}", f"{res['tool_path_before']['p95_ms']:.1f}", len(total)],
              ["tool path, each after its before path", f"{res['tool_path_after_before_path']['p50_ms']:.1f}",
               f"{res['tool_path_after_before_path']['p95_ms']:.1f}", len(total)],
              ["link_title_full_scan", f"{res['link_title_full_scan']['p50_ms']:.1f}", f"{res['link_title_full_scan']['p95_ms']:.1f}", len(full_scan)]]
    stages_rss = ", ".join(f"{s['stage']} {s['peak_rss_gb']} GB ({s['seconds']:.0f} s)" for s in build.get("stages", []))
    notes = (f"{len(ds.catalog):,} synthetic items, {len(ds.interactions):,} interactions (bench/synth.py). Tool path p95 "
             f"**{res['tool_path_p95_ms']} ms** against **{res['tool_path_p95_ms_before']} ms** before "
             f"({res['ratio_p95_before_over_now']}x), same queries, same run. Retrieval paths taken: {paths_used}. "
             f"Recall@10 of filtered retrieval against the exact top-10: {res['recall_at_10_vs_exact_all']} overall, "
             f"per filter kind {res['recall_at_10_vs_exact']} (before: {res['recall_at_10_vs_exact_before']}). "
             f"`recassist build` peak RSS {res['build_peak_rss_gb']} GB; peak RSS after each stage: {stages_rss}. "
             f"{build_note + ' ' if build_note else ''}"
             f"Scorer: {res['scorer']}. Serving process peak RSS {res['serving_peak_rss_gb']} GB. "
             f"1-min load average at the end {os.getloadavg()[0]:.1f} (2 cores).")
    gcs = res["gc_pauses"]
    gc_text = ", ".join(f"{st} {v['total_ms']:.0f} ms ({v['gen2']} full)" for st, v in gcs.items())
    notes += (f" Warm-up ({a.warm_up}): {warm} s. First query {res['first_query_ms']['tool_path']:.0f} ms. "
              f"GC pauses per stage: {gc_text}; one full collection after the queries took {full_gc_ms:.0f} ms "
              f"({res['gc_frozen_objects']:,} objects frozen). Title links that scanned every title (no rare word left by the "
              f"typo): {res['link_title_full_scan_queries']}/{len(queries)}; tool path p95 over the others "
              f"{(res['tool_path_narrowed_link'] or {}).get('p95_ms')} ms (before "
              f"{(res['tool_path_before_narrowed_link'] or {}).get('p95_ms')} ms). "
              f"1-min load average at the start {load['load_avg_at_start']}.")
    for m_, v in kernel_report.items():
        tot = {c: sum(st[c] for st in v["kernel_totals"].values()) for c in ("compact_stall", "thp_fault_alloc", "majflt")}
        notes += (f" Pass {m_}: {len(v['stalls'])} stage stalls (over 3x the stage median and 20 ms), "
                  f"{sum(x['compact_stall'] for x in v['stalls'])} direct-compaction stalls and "
                  f"{sum(x['mem_stall_us'] for x in v['stalls']) / 1000:.0f} ms of memory pressure stall inside them; "
                  f"over all path stages {tot['compact_stall']} compaction stalls, {tot['thp_fault_alloc']} huge pages "
                  f"faulted, {tot['majflt']} major faults.")
    write(a.name, res, table, ["stage", "p50 ms", "p95 ms", "n"], command, notes)
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
