"""`recassist build`: build every artifact the assistant needs for a dataset, idempotently.

Steps (each skipped when its artifact is up to date): knowledge graph, vector index, fusion scorer,
onboarding questionnaire; `--steps kg,index` runs a subset (always in this order).
Later layers append their step to STEPS (its name is the function's, less a build_/train_ prefix).

After loading the dataset (stage "catalog") and after each step it prints and records the seconds, the
process's current RSS and its peak RSS so far, and writes them to artifacts/<dataset>/build_report.json:
{"stages": [{"stage", "seconds", "rss_gb", "peak_rss_gb", "stage_peak_rss_gb", "message"}], "peak_rss_gb",
"commit", "n_items", "n_interactions", "steps"}. rss_gb is the RSS when the stage ended, peak_rss_gb the
process's peak so far, stage_peak_rss_gb the peak within the stage (Linux: each stage starts a new window by
resetting the kernel's high-water mark; null where that is not possible).

By default (`--isolate`, the CLI's default) each stage, the catalog load included, runs in its own child process
(multiprocessing "spawn"), which loads the dataset itself and exits when the stage ends. Whatever a stage leaves
resident (the 1M-item catalog, the embedded Chroma client, allocator arenas) is returned to the OS with the
process, so the build's peak is the largest single stage plus the small parent, not the sum of leftovers (one
process at 1M items: the scorer stage started on 3.5 GB the index stage left behind, and peaked at 8.9 GB).
In that mode stage_peak_rss_gb is the child's own peak, parent_rss_gb the parent's RSS while it waited,
peak_rss_gb the largest sum of the two, and seconds include the child's start and its own dataset load
(load_seconds: the price of isolation, about a minute per stage at 1M items). A step whose `skip_reason` says it
would do nothing for this many items (the questionnaire above QUESTIONNAIRE_MAX_ITEMS) starts no child: its record
has "child": false and stage_peak_rss_gb null. `--no-isolate` (and callers of run() that pass no `isolate`) run
every stage in this process, as before.

A BYO dataset directory may ship precomputed item vectors as item_vectors.npz in the format of the vector
cache (`retrieval.embedders.item_embeddings`: one hash per document next to its vector; bench/synth.py writes
one): the catalog stage copies it to artifacts/<dataset>/item_vectors.npz when that is missing or
older, so the index step embeds only the documents the file does not cover.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

VECTORS_FILE = "item_vectors.npz"
REPORT_FILE = "build_report.json"


def register(sub) -> None:
    p = sub.add_parser("build", help="build KG, vector index and scorer for a dataset (skips what is up to date)")
    p.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m | BYO directory")
    p.add_argument("--force", action="store_true", help="rebuild everything")
    p.add_argument("--steps", default="all",
                   help=f"comma-separated subset of {','.join(step_names())} (default all; run in that order)")
    p.add_argument("--isolate", action=argparse.BooleanOptionalAction, default=True,
                   help="run each stage in its own child process so no stage starts on another's leftovers "
                        "(default on; --no-isolate runs all stages in one process)")
    p.set_defaults(func=run)


def build_kg(ds, paths, force: bool) -> str:
    from kg.graph import MAX_USER_EDGES, KnowledgeGraph, dataset_key, rated_edge_count

    path = paths.kg_path(ds.name)
    if not force and KnowledgeGraph.is_current(path, ds):
        return f"kg: up to date ({path})"
    n_rated = rated_edge_count(ds)
    include_users = n_rated <= MAX_USER_EDGES
    kg = KnowledgeGraph.build(ds, include_users=include_users)
    kg.save(path, dataset_key(ds))
    st = kg.stats()
    users = "" if include_users else (f" (no user nodes: {n_rated:,} ratings >= 4 exceed MAX_USER_EDGES="
                                      f"{MAX_USER_EDGES:,}; ratings stay with the scorer's data)")
    return f"kg: {st['nodes']:,} nodes, {st['edges']:,} edges{users} -> {path}"


def build_index(ds, paths, force: bool) -> str:
    from assistant.commands.index import build_index as build

    return build(ds, paths, force)



def train_scorer(ds, paths, force: bool) -> str:
    from kg.graph import KnowledgeGraph
    from scorer.train import DENSE_MAX_ITEMS, is_up_to_date, train_default

    path = paths.scorer_dir(ds.name)
    if not force and is_up_to_date(ds, paths, "small"):
        return f"scorer: up to date ({path})"
    # the sparse path (large catalogs) reads the KG's triples from the catalog: no need to hold the graph
    kg = KnowledgeGraph.load(paths.kg_path(ds.name)) if len(ds.catalog) <= DENSE_MAX_ITEMS else None
    scorer = train_default(ds, paths, kg, config="small", progress=True)
    return f"scorer: fusion of {', '.join(scorer.signal_names)} -> {path}"


# Above this many items the greedy onboarding questionnaire is not built: `product_questionnaire` fits EASE for
# each of 7 lambdas, a dense (n_items, n_items) Gram matrix inverted in float64 (scorer/baselines.py
# `ease_matrix`: the float32 Gram alone was 37 GB at 100k items, a MemoryError), and keeps (n_users, n_items)
# int8 answer codes. Without it onboarding asks titles by log-popularity x rating entropy ("logpop_entropy").
# At 20k items EASE needs ~8 GB; ML-1M has 3.9k items.
QUESTIONNAIRE_MAX_ITEMS = 20_000


def questionnaire_skip(n_items: int) -> str | None:
    """Why the questionnaire step does nothing for a catalog of `n_items` items; None when it runs."""
    if n_items <= QUESTIONNAIRE_MAX_ITEMS:
        return None
    return (f"onboarding questionnaire: skipped ({n_items:,} items > QUESTIONNAIRE_MAX_ITEMS="
            f"{QUESTIONNAIRE_MAX_ITEMS:,}: its EASE proxy is a dense n x n matrix); onboarding asks titles "
            f"by popularity and rating entropy instead")


def build_questionnaire(ds, paths, force: bool) -> str:
    from assistant.onboarding import QUESTIONNAIRE_FILE, build_questionnaire as build

    skipped = questionnaire_skip(len(ds.catalog))
    if skipped:
        return skipped
    return build(ds, paths.artifacts(ds.name) / QUESTIONNAIRE_FILE, force)


# A step may carry `skip_reason(n_items) -> str | None`: the isolated build asks it before starting the step's
# child, so a step that would skip itself costs no dataset load (a minute at 1M items).
build_questionnaire.skip_reason = questionnaire_skip

STEPS = [build_kg, build_index, train_scorer, build_questionnaire]


def step_name(step) -> str:
    return getattr(step, "step_name", step.__name__.removeprefix("build_").removeprefix("train_"))


def step_names() -> list[str]:
    return [step_name(s) for s in STEPS]


def select_steps(spec: str | None) -> list:
    """The STEPS named in `spec` ("kg,index"; None/"all" = every step), in STEPS order."""
    from catalog.types import RecassistError

    if spec is None or spec.strip() in ("", "all"):
        return list(STEPS)
    wanted = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in step_names()]
    if unknown or not wanted:
        raise RecassistError(f"unknown build step(s) {', '.join(unknown) or repr(spec)}; "
                             f"valid steps: {', '.join(step_names())} (comma-separated) or all")
    return [s for s in STEPS if step_name(s) in wanted]


# -- memory report -----------------------------------------------------------
def rss_gb() -> float:
    """The process's current resident set size in GB (/proc/self/statm; 0.0 where there is no /proc)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 ** 3


def peak_rss_gb() -> float:
    """Peak RSS of the process so far in GB (getrusage ru_maxrss: KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (kib / 1024 ** 3) if sys.platform == "darwin" else kib / 1024 ** 2  # macOS reports bytes


def release_memory() -> None:
    """Hand memory a finished stage freed back to the OS (gc, then glibc's malloc_trim), so the next stage does not
    start on top of the last one's arenas (the KG of 1M items left ~4 GB resident after it was dropped)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def reset_peak_rss() -> bool:
    """Start a new peak-RSS window (Linux >= 4.0: writing 5 to /proc/self/clear_refs resets VmHWM, which
    ru_maxrss then follows); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def git_commit() -> str | None:
    try:
        r = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                           cwd=Path(__file__).resolve().parents[2])
    except (OSError, subprocess.SubprocessError):
        return None
    return (r.stdout.strip() or None) if r.returncode == 0 else None


def seed_vectors_cache(dataset_arg: str, ds, paths) -> str | None:
    """Copy a BYO directory's precomputed item_vectors.npz into artifacts/<dataset>/ when the artifact is
    missing or older; returns what it did, None when there is nothing to do. A copy, not a link: whatever
    writes the cache later can never change the dataset's file (1.7 GB at 1M items: seconds)."""
    src = Path(dataset_arg) / VECTORS_FILE
    if not Path(dataset_arg).is_dir() or not src.is_file():
        return None
    dst = paths.artifacts(ds.name) / VECTORS_FILE
    if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
        return None
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".seed.tmp")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(src, tmp)
    tmp.replace(dst)
    return f"vectors: copied precomputed {src} -> {dst}"


def catalog_stage(dataset_arg: str, ds, paths) -> str:
    """The catalog stage after the dataset is loaded: seed the vector cache; its one-line report."""
    seeded = seed_vectors_cache(dataset_arg, ds, paths)
    return (f"catalog: {len(ds.catalog):,} items, {len(ds.interactions):,} interactions"
            + (f"; {seeded}" if seeded else ""))


def run(args) -> int:
    steps = select_steps(getattr(args, "steps", None))
    if getattr(args, "isolate", False):
        return _run_isolated(args, steps)
    return _run_in_process(args, steps)


def _write_report(report_path: Path, report: dict) -> None:
    report_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = report_path.with_name(report_path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=2))
    tmp.replace(report_path)


def _print_stage(rec: dict, peak: float) -> None:
    own = f", stage peak {rec['stage_peak_rss_gb']:.2f} GB" if rec.get("stage_peak_rss_gb") is not None else ""
    parent = f", parent {rec['parent_rss_gb']:.2f} GB" if "parent_rss_gb" in rec else ""
    print(f"{rec['message']}  [{rec['seconds']:.1f}s, rss {rec['rss_gb']:.2f} GB{own}{parent}, "
          f"peak so far {peak:.2f} GB]", file=sys.stderr, flush=True)


def _run_in_process(args, steps: list) -> int:
    from catalog import load_dataset_by_name

    stages: list[dict] = []
    peak = 0.0  # peak RSS so far (GB), over the windows reset_peak_rss starts
    windows = False

    def start() -> float:
        nonlocal windows
        windows = reset_peak_rss()
        return time.perf_counter()

    def record(stage: str, t0: float, msg: str) -> None:
        nonlocal peak
        now = rss_gb()
        # this stage's own peak when windows work, else the process's (never below the RSS read now: the kernel's
        # high-water mark can lag the current RSS by a few pages)
        window = max(peak_rss_gb(), now)
        peak = max(peak, window)
        rec = {"stage": stage, "seconds": round(time.perf_counter() - t0, 2), "rss_gb": round(now, 3),
               "peak_rss_gb": round(peak, 3), "stage_peak_rss_gb": round(window, 3) if windows else None,
               "message": msg}
        stages.append(rec)
        _print_stage(rec, peak)

    t0 = start()
    ds = load_dataset_by_name(args.dataset, args.paths)
    record("catalog", t0, catalog_stage(args.dataset, ds, args.paths))
    report_path = args.paths.artifacts(ds.name) / REPORT_FILE

    def write_report() -> None:
        _write_report(report_path, {
            "dataset": ds.name, "steps": [step_name(s) for s in steps], "stages": stages, "isolated": False,
            "peak_rss_gb": round(peak, 3), "commit": git_commit(), "n_items": len(ds.catalog),
            "n_interactions": len(ds.interactions)})

    write_report()
    for step in steps:
        t0 = start()
        msg = step(ds, args.paths, args.force)
        release_memory()
        record(step_name(step), t0, msg)
        write_report()  # after every stage: a run that dies later still leaves what it measured
    return 0


# -- one stage per child process ---------------------------------------------
def _stage_child(dataset_arg: str, paths, stage: str, force: bool, conn) -> None:
    """Body of one isolated stage (runs in a spawned child): load the dataset, run the stage, send back
    {"message", "rss_gb", "peak_rss_gb", "load_seconds", "dataset", "n_items", "n_interactions"} or
    {"error", "expected"}."""
    from catalog import load_dataset_by_name
    from catalog.types import RecassistError

    try:
        reset_peak_rss()  # the child's peak is its own from here (spawn's interpreter start-up is small)
        t0 = time.perf_counter()
        ds = load_dataset_by_name(dataset_arg, paths)
        load_s = time.perf_counter() - t0
        if stage == "catalog":
            msg = catalog_stage(dataset_arg, ds, paths)
        else:
            step = next(s for s in STEPS if step_name(s) == stage)
            msg = step(ds, paths, force)
        now = rss_gb()
        conn.send({"message": msg, "rss_gb": now, "peak_rss_gb": max(peak_rss_gb(), now), "load_seconds": load_s,
                   "dataset": ds.name, "n_items": len(ds.catalog), "n_interactions": len(ds.interactions)})
    except RecassistError as e:
        conn.send({"error": str(e), "expected": True})
    except BaseException:  # a bug: the parent raises with this traceback
        import traceback

        conn.send({"error": traceback.format_exc(), "expected": False})
    finally:
        conn.close()


def _run_stage_in_child(args, stage: str) -> dict:
    """Run `stage` in a fresh spawned process; its result dict, or raise what it raised."""
    import multiprocessing as mp

    from catalog.types import RecassistError

    ctx = mp.get_context("spawn")  # not fork: the parent may hold threads (torch, Chroma) under a test runner
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_stage_child, args=(args.dataset, args.paths, stage, args.force, send),
                       name=f"recassist-build-{stage}")
    proc.start()
    send.close()
    try:
        out = recv.recv()
    except EOFError:  # died without a word: killed (the OOM killer) or crashed in C
        proc.join()
        raise RecassistError(f"build stage {stage!r} ended without a result (exit code {proc.exitcode}; "
                             f"a negative code is the signal that killed it, -9 often the out-of-memory killer); "
                             f"rerun with --steps {stage} --no-isolate to see it in one process") from None
    proc.join()
    if "error" in out:
        if out["expected"]:
            raise RecassistError(out["error"])
        raise RuntimeError(f"build stage {stage!r} failed in its child process:\n{out['error']}")
    return out


def _run_isolated(args, steps: list) -> int:
    stages: list[dict] = []
    peak = 0.0  # the largest (parent RSS + a stage's child peak) so far, GB
    report_path: Path | None = None
    head: dict = {}

    def write_report() -> None:
        _write_report(report_path, {
            "dataset": head["dataset"], "steps": [step_name(s) for s in steps], "stages": stages,
            "isolated": True, "peak_rss_gb": round(peak, 3), "commit": git_commit(),
            "n_items": head["n_items"], "n_interactions": head["n_interactions"]})

    for stage, step in [("catalog", None)] + [(step_name(s), s) for s in steps]:
        t0 = time.perf_counter()
        skip_reason = getattr(step, "skip_reason", None)
        skipped = skip_reason(head["n_items"]) if skip_reason else None
        # a step that would only skip itself runs no child: its "peak" is the parent's own RSS
        out = ({"message": skipped, "rss_gb": rss_gb(), "peak_rss_gb": 0.0, "load_seconds": 0.0} if skipped
               else _run_stage_in_child(args, stage))
        parent = rss_gb()  # the parent holds no dataset: interpreter, argparse, this loop
        peak = max(peak, out["peak_rss_gb"] + parent)
        rec = {"stage": stage, "seconds": round(time.perf_counter() - t0, 2), "rss_gb": round(out["rss_gb"], 3),
               "peak_rss_gb": round(peak, 3), "stage_peak_rss_gb": None if skipped else round(out["peak_rss_gb"], 3),
               "parent_rss_gb": round(parent, 3), "load_seconds": round(out["load_seconds"], 2),
               "message": out["message"]}
        if skipped:
            rec["child"] = False
        stages.append(rec)
        _print_stage(rec, peak)
        if report_path is None:
            head = {k: out[k] for k in ("dataset", "n_items", "n_interactions")}
            report_path = args.paths.artifacts(head["dataset"]) / REPORT_FILE
        write_report()  # after every stage: a run that dies later still leaves what it measured
    return 0
