"""`recassist train` and `recassist eval accuracy|coldstart`: the fusion scorer and its evaluation.

train: fits the deployed fusion scorer on all positives (progress bars) and saves it.
eval accuracy: RecBole-protocol full-ranking comparison of baselines, fusion and ablations over
seeds; eval coldstart: held-out users with 0/1/3/5 seed items; eval onboarding: held-out users
through the onboarding flow, one row per elicitation strategy and budget. They print JSON with
--json and write JSON + markdown (+ PNG) to --out (default docs/results); every JSON records the
command and the git commit the run started from (`commit_id`: HEAD, `-dirty` if tracked files changed).
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
    o = s.add_parser("onboarding", help="held-out users through onboarding: elicitation strategies x budgets")
    o.add_argument("--dataset", default="ml-100k")
    o.add_argument("--json", action="store_true", help="print the summary as JSON")
    o.add_argument("--out", default="docs/results", help="directory for JSON/markdown ('' to skip)")
    o.add_argument("--config", default="full", choices=["small", "full"], help="fusion preset")
    o.add_argument("--seeds", type=int, default=3, help="number of seeds (0..n-1), each with new held-out users")
    o.add_argument("--seed-list", default=None, help="comma-separated seeds, e.g. 10,11,12 (overrides --seeds)")
    o.add_argument("--budgets", default="5,10,15,20", help="titles shown at most, comma-separated")
    o.add_argument("--strategies", default=None, help="comma-separated subset of the strategies (default: all)")
    o.add_argument("--max-users", type=int, default=600, help="held-out users evaluated per seed")
    o.add_argument("--stop-after-likes", type=int, default=None,
                   help="early stopping: end after a round once this many titles are liked (0 = never)")
    o.add_argument("--best-strategy", default=None,
                   help="the strategy chosen on development seeds (reported as best); default: chosen on these seeds")
    o.add_argument("--name-suffix", default="", help="appended to the output file name, e.g. _dev")
    o.add_argument("--from-json", default=None,
                   help="re-summarise a saved result's per-seed cells (no training), e.g. after --best-strategy changes")
    o.set_defaults(func=onboarding)
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
    commit = commit_id()  # before the run: the code that produced the numbers, even if the tree changes meanwhile
    on_seed = (lambda partial: write_accuracy(partial, args.out, _command(), commit)) if args.out else None
    res = run_accuracy(ds, kg, _vectors(ds, args.paths), cfg, progress=sys.stderr.isatty(), on_seed=on_seed)
    if args.out:
        for p in write_accuracy(res, args.out, _command(), commit):
            print(f"wrote {p}", file=sys.stderr)
    if args.json:
        keys = ("dataset", "seeds", "summary", "fusion_vs_best_baseline", "fusion_vs_plain_ensemble",
                "fusion_vs_best_single_model", "fusion_chosen_loss")
        print(json.dumps({"commit": commit, **{k: res[k] for k in keys}}, indent=1))
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
    commit = commit_id()
    res = run_coldstart(ds, kg, _vectors(ds, args.paths), seeds=_seeds(args),
                        fusion="small" if args.config == "small" else "full", progress=sys.stderr.isatty())
    if args.out:
        for p in write_coldstart(res, args.out, _command(), commit):
            print(f"wrote {p}", file=sys.stderr)
    if args.json:
        print(json.dumps({"commit": commit, **res}, indent=1))
    else:
        for m, d in res["ndcg@10"].items():
            print(f"{m:8s} " + "  ".join(f"{c}: {v:.4f}" for c, v in d.items()))
    return 0


def commit_id() -> str:
    """git HEAD of this checkout, with `-dirty` when tracked files differ from it; "" outside git."""
    from simulation.dialogue import git_commit

    g = git_commit(short=False)
    return "" if g["commit"] == "unknown" else g["commit"] + ("-dirty" if g["dirty"] else "")


def onboarding(args) -> int:
    from scorer.report import write_onboarding

    commit = commit_id()
    if args.from_json:
        from pathlib import Path

        from scorer.onboarding_eval import resummarise

        saved = json.loads(Path(args.from_json).read_text())
        res = resummarise(saved, best=args.best_strategy)
        command = f"{saved.get('command', '?')} (at {saved.get('commit', '?')[:7]}), re-summarised: {_command()}"
    else:
        res, command = _run_onboarding(args), _command()
        if res is None:
            return 2
    if args.out:
        for p in write_onboarding(res, args.out, command, commit, args.name_suffix):
            print(f"wrote {p}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k != "per_seed"}, indent=1))
    else:
        for b, cells in res["by_budget"].items():
            for n, c in cells.items():
                print(f"{b:>2} {n:15s} NDCG@10 {c['ndcg@10']:.4f}  vs pop {c['vs_popularity']:.2f}x  "
                      f"of warm {c['share_of_warm']:.2f}  shown {c['titles_shown']:.1f}  consumed {c['targets_consumed']}")
    return 0


def _run_onboarding(args) -> dict | None:
    from scorer.onboarding_eval import STRATEGIES, OnboardingConfig, run_onboarding

    ds, kg = _load(args)
    kw = {}
    if args.strategies:
        kw["strategies"] = tuple(x.strip() for x in args.strategies.split(",") if x.strip())
        bad = [x for x in kw["strategies"] if x not in STRATEGIES]
        if bad:
            print(f"unknown strategies {bad}; use {', '.join(STRATEGIES)}", file=sys.stderr)
            return None
    if args.stop_after_likes is not None:
        kw["stop_after_likes"] = args.stop_after_likes
    cfg = OnboardingConfig(seeds=_seeds(args), budgets=tuple(int(x) for x in args.budgets.split(",") if x.strip()),
                           max_users=args.max_users, fusion=args.config, **kw)
    return run_onboarding(ds, kg, _vectors(ds, args.paths), cfg, progress=sys.stderr.isatty(), best=args.best_strategy)

