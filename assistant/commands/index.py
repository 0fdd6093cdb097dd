"""`recassist index build` and `recassist search "text" --genre ... -k 10`: the Chroma item index.

This is the edge for retrieval: RECASSIST_CHROMA_URL (a `chroma run` server,
e.g. http://127.0.0.1:8000) is read here and nowhere else; unset means the
embedded store under artifacts/<dataset>/chroma.
"""

from __future__ import annotations

import json
import os
import sys


def register(sub) -> None:
    p = sub.add_parser("index", help="Chroma vector index of item texts")
    s = p.add_subparsers(dest="index_cmd", required=True)
    b = s.add_parser("build", help="embed item documents and upsert what changed")
    b.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m | BYO directory")
    b.add_argument("--force", action="store_true", help="drop the collection and rebuild it")
    b.set_defaults(func=build)

    q = sub.add_parser("search", help='semantic item search with metadata filters: search "dark sci-fi from the 80s"')
    q.add_argument("text")
    q.add_argument("--dataset", default="ml-100k")
    q.add_argument("--genre", action="append", default=[], help="item has this genre (repeat: all of them)")
    q.add_argument("--year-min", type=int)
    q.add_argument("--year-max", type=int)
    q.add_argument("--decade", action="append", default=[], help="1980s (repeat: any of them)")
    q.add_argument("--country", action="append", default=[], help="repeat: any of them")
    q.add_argument("--language", action="append", default=[], help="repeat: any of them")
    q.add_argument("--person", action="append", default=[], help="director, writer or cast member (repeat: all of them)")
    q.add_argument("--rated", action="append", default=[], help="MPAA rating, e.g. PG (repeat: any of them)")
    q.add_argument("--min-runtime", type=int, help="at least this many minutes")
    q.add_argument("--max-runtime", type=int, help="under this many minutes")
    q.add_argument("--kids", action="store_true", help="children's/family/animated films rated G or PG where rated")
    q.add_argument("--acclaimed", action="store_true", help="critic score in the catalog's top 20%%")
    q.add_argument("--hidden-gem", action="store_true", help="well reviewed but rated by few users")
    q.add_argument("--oscar", action="store_true", help="won at least one Oscar")
    q.add_argument("--min-oscars", type=int, help="won at least this many Oscars")
    q.add_argument("--mood", action="append", default=[], help="feel_good, sad, scary, ... (repeat: any of them)")
    q.add_argument("-k", type=int, default=10)
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(func=search)


def open_index(ds, paths):
    """The dataset's ItemIndex: server when RECASSIST_CHROMA_URL is set, else embedded."""
    from assistant.build import index_collection
    from retrieval.index import ItemIndex

    url = os.environ.get("RECASSIST_CHROMA_URL") or None
    return ItemIndex.open(ds.catalog, persist_dir=None if url else paths.chroma_dir(ds.name), url=url,
                          collection=index_collection(ds), vectors_cache=paths.artifacts(ds.name) / "item_vectors.npz")


def build_index(ds, paths, force: bool) -> str:
    """Build step (see assistant/commands/build.py): incremental unless force."""
    idx = open_index(ds, paths)
    c = idx.build(force=force)
    where = os.environ.get("RECASSIST_CHROMA_URL") or paths.chroma_dir(ds.name)
    return (f"index: {idx.count():,} items ({c['added']} added, {c['updated']} updated, "
            f"{c['deleted']} deleted, {c['unchanged']} unchanged) -> {where}")


def build(args) -> int:
    from catalog import load_dataset_by_name

    ds = load_dataset_by_name(args.dataset, args.paths)
    print(build_index(ds, args.paths, args.force), file=sys.stderr)
    return 0


def search(args) -> int:
    from catalog import load_dataset_by_name
    from retrieval.filters import FilterError, SearchFilters

    filters = SearchFilters(genres=args.genre, year_min=args.year_min, year_max=args.year_max, decades=args.decade,
                            countries=args.country, languages=args.language, people=args.person)
    from catalog.facets import FacetFilter, FacetStats

    qualities = tuple(q for q, on in (("acclaimed", args.acclaimed), ("hidden_gem", args.hidden_gem),
                                      ("oscar", args.oscar)) if on)
    try:
        facet = FacetFilter(tuple(args.mood), "kids" if args.kids else "", tuple(args.rated), args.min_runtime,
                            args.max_runtime, qualities, args.min_oscars)
    except ValueError as e:
        raise FilterError(str(e)) from None
    ds = load_dataset_by_name(args.dataset, args.paths)
    idx = open_index(ds, args.paths)
    if idx.count() == 0:
        idx.build()
    if facet.is_empty():
        hits = idx.search(args.text, None if filters.is_empty() else filters, k=args.k)
    else:  # open facets are checked on the items after retrieval (Chroma holds no such metadata)
        stats = FacetStats.from_dataset(ds)
        hits = [h for h in idx.search(args.text, None if filters.is_empty() else filters, k=len(ds.catalog))
                if facet.ok(ds.catalog[h.item_id], stats)][: args.k]
        for f in facet.fields_used():
            print(f"note: {stats.coverage_note(f)}; the others cannot match", file=sys.stderr)
    if args.json:
        print(json.dumps([{"item_id": h.item_id, "title": ds.catalog[h.item_id].display_title,
                           "score": round(h.score, 4), "document": h.document} for h in hits], indent=2, ensure_ascii=False))
        return 0
    if not hits:
        print("no items match these filters")
    for h in hits:
        it = ds.catalog[h.item_id]
        print(f"{h.score:.3f}  {it.display_title:<50}  {', '.join(it.genres)}")
    return 0
