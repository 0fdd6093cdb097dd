"""`recassist kg build|stats|paths`: build and inspect the knowledge graph."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("kg", help="knowledge graph")
    s = p.add_subparsers(dest="kg_cmd", required=True)
    for name, fn, helptext in (("build", build, "build and save the KG"), ("stats", stats, "node/edge counts by type, match rate")):
        c = s.add_parser(name, help=helptext)
        c.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m | BYO directory")
        c.add_argument("--json", action="store_true", help="machine-readable output")
        c.set_defaults(func=fn)
    c = s.add_parser("paths", help="explain how a target title connects to liked titles")
    c.add_argument("target")
    c.add_argument("--liked", action="append", required=True, help="a liked title (repeat)")
    c.add_argument("--dataset", default="ml-100k")
    c.add_argument("--max-hops", type=int, default=4)
    c.set_defaults(func=paths)


def load_or_build(args):
    from catalog import load_dataset_by_name
    from kg.graph import KnowledgeGraph, dataset_key, users_fit

    ds = load_dataset_by_name(args.dataset, args.paths)
    path = args.paths.kg_path(ds.name)
    if getattr(args, "kg_cmd", "") != "build":
        return ds, KnowledgeGraph.load_or_build(path, ds)
    kg = KnowledgeGraph.build(ds, include_users=users_fit(ds))  # as `recassist build`: no user edges at scale
    kg.save(path, dataset_key(ds))
    print(f"saved {path}", file=sys.stderr)
    return ds, kg


def build(args) -> int:
    return stats(args)


def stats(args) -> int:
    ds, kg = load_or_build(args)
    st = kg.stats()
    st["dataset"] = ds.name
    st["match"] = {k: ds.meta[k] for k in ("items_matched", "item_match_rate", "rating_match_rate") if k in ds.meta}
    if args.json:
        print(json.dumps(st, indent=2))
        return 0
    print(f"dataset {ds.name}: {st['nodes']:,} nodes, {st['edges']:,} edges")
    print("nodes by type:")
    for t, n in st["nodes_by_type"].items():
        print(f"  {t:<10} {n:>9,}")
    print("edges by relation:")
    for r, n in st["edges_by_relation"].items():
        print(f"  {r:<13} {n:>9,}")
    if st["match"]:
        m = st["match"]
        print(f"metadata match: {m.get('items_matched')} items ({m.get('item_match_rate', 0):.1%}), "
              f"{m.get('rating_match_rate', 0):.1%} of ratings")
    return 0


def paths(args) -> int:
    from catalog.types import CatalogError
    from kg.paths import find_paths

    ds, kg = load_or_build(args)

    def resolve(title: str) -> str:
        hits = ds.catalog.search_titles(title, limit=1)
        if not hits:
            raise CatalogError(f"no catalog title matches {title!r}; try `recassist search` to find the exact title")
        return hits[0][0]

    target = resolve(args.target)
    liked = [resolve(t) for t in args.liked]
    found = find_paths(kg, liked, target, max_hops=args.max_hops)
    if not found:
        print(f"no path within {args.max_hops} hops")
    for p in found:
        print(f"{p.score:.3f}  {p.describe(kg)}")
    return 0
