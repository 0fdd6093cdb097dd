"""`recassist build`: build every artifact the assistant needs for a dataset, idempotently.

Steps (each skipped when its artifact is up to date): knowledge graph, vector index, fusion scorer,
onboarding questionnaire.
Later layers append their step to STEPS.
"""

from __future__ import annotations

import sys
import time


def register(sub) -> None:
    p = sub.add_parser("build", help="build KG, vector index and scorer for a dataset (skips what is up to date)")
    p.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m | BYO directory")
    p.add_argument("--force", action="store_true", help="rebuild everything")
    p.set_defaults(func=run)


def build_kg(ds, paths, force: bool) -> str:
    from kg.graph import KnowledgeGraph, dataset_key

    path = paths.kg_path(ds.name)
    if not force and KnowledgeGraph.is_current(path, ds):
        return f"kg: up to date ({path})"
    kg = KnowledgeGraph.build(ds)
    kg.save(path, dataset_key(ds))
    st = kg.stats()
    return f"kg: {st['nodes']:,} nodes, {st['edges']:,} edges -> {path}"


def build_index(ds, paths, force: bool) -> str:
    from assistant.commands.index import build_index as build

    return build(ds, paths, force)



def train_scorer(ds, paths, force: bool) -> str:
    from kg.graph import KnowledgeGraph
    from scorer.train import is_up_to_date, train_default

    path = paths.scorer_dir(ds.name)
    if not force and is_up_to_date(ds, paths, "small"):
        return f"scorer: up to date ({path})"
    kg = KnowledgeGraph.load(paths.kg_path(ds.name))
    scorer = train_default(ds, paths, kg, config="small", progress=True)
    return f"scorer: fusion of {', '.join(scorer.signal_names)} -> {path}"


def build_questionnaire(ds, paths, force: bool) -> str:
    from assistant.onboarding import QUESTIONNAIRE_FILE, build_questionnaire as build

    return build(ds, paths.artifacts(ds.name) / QUESTIONNAIRE_FILE, force)


STEPS = [build_kg, build_index, train_scorer, build_questionnaire]


def run(args) -> int:
    from catalog import load_dataset_by_name

    ds = load_dataset_by_name(args.dataset, args.paths)
    for step in STEPS:
        t0 = time.perf_counter()
        msg = step(ds, args.paths, args.force)
        print(f"{msg}  [{time.perf_counter() - t0:.1f}s]", file=sys.stderr)
    return 0
