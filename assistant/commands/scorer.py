"""`recassist train` and `recassist eval accuracy|coldstart`: the fusion scorer and its evaluation.

train: fits the deployed fusion scorer on all positives (progress bars) and saves it.
eval accuracy: RecBole-protocol full-ranking comparison of baselines, fusion and ablations over
seeds; eval coldstart: held-out users with 0/1/3/5 seed items. Both print JSON with --json and
write JSON + markdown + PNG to --out (default docs/results).
"""

from __future__ import annotations

import json
import shlex
import sys


def register(sub) -> None:
    p = sub.add_parser("train", help="train the fusion scorer for a dataset")
    p.add_argument("--dataset", default="ml-100k", help="ml-100k | ml-1m | BYO directory")
    p.add_argument("--config", default="small", choices=["small", "full"])
    p.set_defaults(func=train)
    e = sub.add_parser("eval", help="evaluate recommenders (accuracy, cold start)")
    s = e.add_subparsers(dest="eval_cmd", required=True)
    a = s.add_parser("accuracy", help="full-ranking accuracy: baselines vs fusion vs ablations")
    c = s.add_parser("coldstart", help="held-out users with 0/1/3/5 seed items")
    for q in (a, c):
        q.add_argument("--dataset", default="ml-100k")
        q.add_argument("--json", action="store_true", help="print the result as JSON")
        q.add_argument("--out", default="docs/results", help="directory for JSON/markdown/PNG ('' to skip)")
        q.add_argument("--config", default="full", choices=["small", "medium", "full"],
                       help="experiment preset (training budgets); see scorer.experiment.ExperimentConfig")
        q.add_argument("--seed-list", default=None, help="comma-separated seeds, e.g. 10,11,12 (overrides --seeds)")
    a.add_argument("--seeds", type=int, default=3, help="number of random splits (seeds 0..n-1)")
    a.add_argument("--no-ablations", action="store_true")
    a.set_defaults(func=accuracy)
    c.add_argument("--seeds", type=int, default=1, help="number of seeds (0..n-1), each with new cold users")
    c.set_defaults(func=coldstart)
    from assistant.commands.dialogue import register_eval

    register_eval(s)


def _load(args):
    from catalog import load_dataset_by_name
    from kg.graph import KnowledgeGraph

    ds = load_dataset_by_name(args.dataset, args.paths)
    path = args.paths.kg_path(ds.name)
    return ds, KnowledgeGraph.load_or_build(path, ds)


def _vectors(ds, paths):
    from retrieval.embedders import MiniLMEmbedder, item_embeddings

    return item_embeddings(ds.catalog, MiniLMEmbedder(), paths.artifacts(ds.name) / "item_vectors.npz")


def train(args) -> int:
    from scorer.train import train_default

    ds, kg = _load(args)
    scorer = train_default(ds, args.paths, kg, config=args.config, progress=True)
    print(json.dumps({"dataset": ds.name, "dir": str(args.paths.scorer_dir(ds.name)), "signals": scorer.signal_names,
                      "train_log": scorer.train_log[-1:]}))
    return 0


def _command() -> str:
    return "recassist " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def accuracy(args) -> int:
    from scorer.experiment import ExperimentConfig, run_accuracy
    from scorer.report import write_accuracy

    ds, kg = _load(args)
    cfg = ExperimentConfig.preset(args.config, seeds=_seeds(args))
    if args.no_ablations:
        cfg.ablations = False
    on_seed = (lambda partial: write_accuracy(partial, args.out, _command())) if args.out else None
    res = run_accuracy(ds, kg, _vectors(ds, args.paths), cfg, progress=sys.stderr.isatty(), on_seed=on_seed)
    if args.out:
        for p in write_accuracy(res, args.out, _command()):
            print(f"wrote {p}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: res[k] for k in ("dataset", "seeds", "summary", "fusion_vs_best_baseline", "fusion_vs_best_single_model")}, indent=1))
    else:
        for m, d in res["summary"].items():
            print(f"{m:22s} NDCG@10 {d['ndcg@10']['mean']:.4f}±{d['ndcg@10']['std']:.4f}  "
                  f"Recall@10 {d['recall@10']['mean']:.4f}±{d['recall@10']['std']:.4f}")
    return 0


def _seeds(args) -> tuple[int, ...]:
    """--seed-list 10,11,12 (seeds kept out of any tuning), else 0..--seeds-1."""
    if args.seed_list:
        return tuple(int(x) for x in args.seed_list.split(",") if x.strip())
    return tuple(range(args.seeds))


def coldstart(args) -> int:
    from scorer.experiment import run_coldstart
    from scorer.report import write_coldstart

    ds, kg = _load(args)
    res = run_coldstart(ds, kg, _vectors(ds, args.paths), seeds=_seeds(args),
                        fusion="small" if args.config == "small" else "full", progress=sys.stderr.isatty())
    if args.out:
        for p in write_coldstart(res, args.out, _command()):
            print(f"wrote {p}", file=sys.stderr)
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        for m, d in res["ndcg@10"].items():
            print(f"{m:8s} " + "  ".join(f"{c}: {v:.4f}" for c, v in d.items()))
    return 0
