"""Accuracy and cold-start experiments: every model of one run on the same splits.

What it does: for each seed, splits the protocol's positives 8:1:1, fits Pop, ItemKNN, EASE,
BPR-MF, LightGCN and the fusion scorer (plus ablations: no KG, shuffled KG, no KG embedding/path
signals, no text) on the training split, fits the fusion weights on the validation split, and
evaluates full ranking on the test split with train+valid masked. Cold start: holds out users entirely, gives them 0/1/3/5
seed items as a profile and measures NDCG@10 on their remaining items.
What it does not do: write files (see `scorer.report`) or tune hyper-parameters.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from .baselines import BPRMF, EASE, ItemKNN, LightGCN, Pop
from .base import Profile
from .fusion import FeatureCache, FusionConfig, FusionScorer
from .protocol import compact_users, evaluate, prepare, rank_metrics, split_by_user, topk_rows


@dataclass
class ExperimentConfig:
    seeds: tuple[int, ...] = (0, 1, 2)
    fusion: str = "full"  # FusionConfig preset
    ease_lambda: float = 300.0
    bpr_epochs: int = 200
    bpr_budget_s: float = 120.0  # wall-clock cap per BPR-MF fit (CPU)
    lightgcn_epochs: int = 200
    lightgcn_budget_s: float = 180.0  # wall-clock cap per LightGCN fit (CPU)
    emb_lr: float = 0.01  # BPR-MF/LightGCN: larger lr and batch than RecBole (1e-3, 2048) to converge within CPU budgets
    emb_batch: int = 8192
    ablations: bool = True

    @classmethod
    def preset(cls, name: str, **kw) -> "ExperimentConfig":
        base = {
            "small": dict(seeds=(0,), fusion="small", bpr_budget_s=30, lightgcn_budget_s=45, ablations=False),
            "medium": dict(bpr_budget_s=60, lightgcn_budget_s=100),
            "full": dict(),
        }
        return cls(**{**base[name], **kw})


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_accuracy(dataset, kg, item_vectors, cfg: ExperimentConfig, progress: bool = True, on_seed=None) -> dict:
    """All models on each seed's split; `on_seed(partial_summary)` is called after every seed."""
    import torch

    torch.set_num_threads(2)
    inter = prepare(dataset)
    n_items = len(dataset.catalog)
    runs = []
    for seed in cfg.seeds:
        split = split_by_user(inter, n_items, seed)
        _log(f"seed {seed}: {split.stats()}")
        res: dict[str, dict] = {}
        extra: dict[str, dict] = {}
        models = [
            Pop(), ItemKNN(), EASE(cfg.ease_lambda),
            BPRMF(epochs=cfg.bpr_epochs, time_budget_s=cfg.bpr_budget_s, seed=seed, progress=progress,
                  lr=cfg.emb_lr, batch=cfg.emb_batch),
            LightGCN(epochs=cfg.lightgcn_epochs, time_budget_s=cfg.lightgcn_budget_s, seed=seed, progress=progress,
                     lr=cfg.emb_lr, batch=cfg.emb_batch),
        ]
        for m in models:
            t0 = time.perf_counter()
            m.fit(split.train, dataset.catalog)
            res[m.name] = evaluate(m, split)
            extra[m.name] = {"seconds": round(time.perf_counter() - t0, 1)}
            if hasattr(m, "epochs_run"):
                extra[m.name]["epochs"] = m.epochs_run
            _log(f"seed {seed} {m.name}: ndcg@10 {res[m.name]['ndcg@10']:.4f} recall@10 {res[m.name]['recall@10']:.4f} {extra[m.name]}")
        cache = FeatureCache()
        variants = {"Fusion": {}}
        if cfg.ablations:
            variants.update({"Fusion (no KG)": {"use_kg": False}, "Fusion (shuffled KG)": {"shuffle_kg": True},
                             "Fusion (no KG emb/paths)": {"use_kg_embedding": False, "use_kg_paths": False},
                             "Fusion (no text)": {"use_text": False}})
        for name, kw in variants.items():
            t0 = time.perf_counter()
            m = FusionScorer(item_vectors, kg, FusionConfig.preset(cfg.fusion, seed=seed, ease_lambda=cfg.ease_lambda,
                                                                   short_profiles=0.0, **kw))
            m.cache = cache
            m.fit(split.train, dataset.catalog, valid=split.valid, progress=progress)
            res[name] = evaluate(m, split)
            extra[name] = {"seconds": round(time.perf_counter() - t0, 1),
                           "final_loss": m.train_log[-1]["loss"] if m.train_log else None,
                           "linear_slopes": m.weights_summary()}
            if getattr(m, "kg_embedding", None) is not None:
                extra[name]["kg_embedding_seconds"] = round(m.kg_embedding.seconds, 1)
            _log(f"seed {seed} {name}: ndcg@10 {res[name]['ndcg@10']:.4f} recall@10 {res[name]['recall@10']:.4f} ({extra[name]['seconds']}s)")
        runs.append({"seed": seed, "split": split.stats(), "metrics": res, "details": extra})
        del cache
        if on_seed is not None:
            on_seed(summarise(runs, dataset.name, cfg))
    return summarise(runs, dataset.name, cfg)


def summarise(runs: list[dict], dataset: str, cfg: ExperimentConfig) -> dict:
    names = list(runs[0]["metrics"])
    metrics = list(runs[0]["metrics"][names[0]])
    table = {}
    for n in names:
        table[n] = {}
        for k in metrics:
            v = np.array([r["metrics"][n][k] for r in runs])
            table[n][k] = {"mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0}
    baselines = ["Pop", "ItemKNN", "EASE", "BPR-MF", "LightGCN"]
    ratios = {}
    for k in ("ndcg@10", "recall@10"):
        best = max(baselines, key=lambda b: table[b][k]["mean"])
        ratios[k] = {"best_baseline": best, "ratio": table["Fusion"][k]["mean"] / table[best][k]["mean"]}
    return {"dataset": dataset, "config": asdict(cfg), "seeds": [r["seed"] for r in runs], "summary": table,
            "fusion_vs_best_baseline": ratios, "runs": runs}


# -- cold start -------------------------------------------------------------------
def run_coldstart(dataset, kg, item_vectors, seeds_given=(0, 1, 3, 5), holdout_users: float = 0.1,
                  seed: int = 0, fusion: str = "full", max_cold_users: int = 600, progress: bool = True) -> dict:
    """Hold out a share of users entirely; train on the rest (8:1:1 of their positives, fusion
    weights on valid); each cold user gets n seed items (random positives) as a Profile and is
    scored on the rest of their positives (targets are fixed across n: 20% of their positives)."""
    import torch

    torch.set_num_threads(2)
    inter = prepare(dataset)
    n_items = len(dataset.catalog)
    rng = np.random.default_rng(seed)
    cold = rng.random(inter.n_users) < holdout_users
    warm_inter = compact_users(inter.subset(~cold[inter.users]))
    split = split_by_user(warm_inter, n_items, seed)
    cat = dataset.catalog
    models = {"Pop": Pop().fit(split.train, cat), "EASE": EASE().fit(split.train, cat)}
    fus = FusionScorer(item_vectors, kg, FusionConfig.preset(fusion, seed=seed, short_profiles=0.25))
    fus.fit(split.train, cat, valid=split.valid, progress=progress)
    models["Fusion"] = fus
    warm = {"Fusion": evaluate(fus, split)["ndcg@10"], "EASE": evaluate(models["EASE"], split)["ndcg@10"]}
    _log(f"cold start: warm test NDCG@10 fusion {warm['Fusion']:.4f} EASE {warm['EASE']:.4f}")
    cold_users = np.flatnonzero(cold)
    rng.shuffle(cold_users)
    cold_users = cold_users[:max_cold_users]
    order = np.argsort(inter.users, kind="stable")
    by_user = np.split(inter.items[order], np.flatnonzero(np.diff(inter.users[order])) + 1)
    uid_present = np.unique(inter.users[order])
    items_of = {int(u): by_user[i] for i, u in enumerate(uid_present)}
    conds = [*(("seeds", n) for n in seeds_given), ("all", None)]
    scores: dict[str, dict[str, list]] = {m: {} for m in models}
    ids = cat.ids
    for u in cold_users:
        pos = rng.permutation(items_of[int(u)])
        n_t = max(1, len(pos) // 5)
        targets, pool = pos[-n_t:], pos[:-n_t]
        for kind, n in conds:
            seeds = pool if kind == "all" else pool[:n]
            prof = Profile(liked=[ids[i] for i in seeds])
            label = "all_history" if kind == "all" else f"{n}"
            for mname, m in models.items():
                sc = np.asarray(m.score_profile(prof), np.float64).copy()
                sc[seeds] = -np.inf
                top = topk_rows(sc[None], 10)
                v = rank_metrics(top, [targets], ks=(10,))["ndcg@10"][0]
                scores[mname].setdefault(label, []).append(v)
    table = {m: {c: float(np.mean(v)) for c, v in d.items()} for m, d in scores.items()}
    ratio_pop = {c: table["Fusion"][c] / max(table["Pop"][c], 1e-12) for c in table["Fusion"]}
    return {"dataset": dataset.name, "seed": seed, "cold_users": int(len(cold_users)), "holdout_users": holdout_users,
            "ndcg@10": table, "fusion_over_pop": ratio_pop, "warm_test_ndcg@10": warm,
            "fusion_3_seeds_over_warm": table["Fusion"]["3"] / warm["Fusion"]}
