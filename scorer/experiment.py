"""Accuracy and cold-start experiments: every model of one run on the same splits.

What it does: for each seed, splits the protocol's positives 8:1:1; fits Pop, ItemKNN, EASE,
UserKNN, iALS, BPR-MF, LightGCN, the plain ensemble (EASE-uw + iALS + popularity, `scorer.ensemble`)
and the fusion scorer (plus ablations: no KG, shuffled KG, no KG embedding/path signals, no text)
on the training split; picks EASE's lambda and the kNN sizes on the validation split, stops
BPR-MF/LightGCN early on it, picks the ensemble's blend weights on it and fits the fusion weights
(and its loss) on it; and evaluates full ranking on the test split with train+valid masked. Only
`evaluate` is given the test split; tests/test_scorer_leakage.py checks that no fit, tune or loss
choice sees one of its (user, item) pairs. Cold start: holds out users entirely, gives them 0/1/3/5
seed items as a profile and measures NDCG@10 on their remaining items (their whole known pool masked).
What it does not do: write files (see `scorer.report`).
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from .baselines import BPRMF, EASE, IALS, ItemKNN, LightGCN, Pop, UserKNN
from .base import Profile
from .ensemble import PlainEnsemble
from .fusion import FeatureCache, FusionConfig, FusionScorer
from .protocol import compact_users, evaluate, masked_ndcg, prepare, rank_metrics, split_by_user, topk_rows


@dataclass
class ExperimentConfig:
    seeds: tuple[int, ...] = (0, 1, 2)
    fusion: str = "full"  # FusionConfig preset
    # hyper-parameter grids, each point scored by NDCG@10 on the validation split (train masked)
    ease_lambdas: tuple[float, ...] = (100.0, 200.0, 300.0, 500.0, 800.0, 1200.0, 2000.0)
    ease_user_weights: tuple[float, ...] = (0.0, 0.5)  # 0 = plain EASE; 0.5 = the fusion's variant
    knn_sizes: tuple[int, ...] = (50, 100, 200)  # ItemKNN and UserKNN neighbours
    reference_lambda: float = 300.0  # RecBole's ML-1M EASE setting, reported as its own row
    bpr_epochs: int = 300
    bpr_budget_s: float = 300.0  # wall-clock cap per BPR-MF fit on 2 CPU cores; early stopping may end it first
    lightgcn_epochs: int = 300
    lightgcn_budget_s: float = 450.0
    bpr_lr: float = 1e-3  # RecBole's BPR-MF settings (dim 64, lr 1e-3, batch 2048)
    bpr_batch: int = 2048
    # LightGCN: RecBole uses lr 1e-3 / batch 2048, i.e. ~330 graph propagations per epoch (~60 s on
    # 2 cores); a large batch with a larger lr gets far more epochs into the budget
    lightgcn_lr: float = 0.01
    lightgcn_batch: int = 65536
    ablations: bool = True

    @classmethod
    def preset(cls, name: str, **kw) -> "ExperimentConfig":
        base = {
            "small": dict(seeds=(0,), fusion="small", bpr_budget_s=20, lightgcn_budget_s=30, ablations=False,
                          ease_lambdas=(100.0, 300.0, 800.0), ease_user_weights=(0.5,), knn_sizes=(100,)),
            "medium": dict(bpr_budget_s=120, lightgcn_budget_s=180),
            "full": dict(),
        }
        if name not in base:
            raise ValueError(f"unknown experiment preset {name!r}; use small, medium or full")
        return cls(**{**base[name], **kw})


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def tune(make, grid, split, catalog) -> tuple[object, dict, list]:
    """Fit `make(**point)` for every point of `grid` on split.train and keep the best by validation
    NDCG@10. Returns (best fitted model, its point, [(point, valid NDCG@10)])."""
    from .base import binary_csr

    M, V = binary_csr(split.train, split.n_items), binary_csr(split.valid, split.n_items)
    best, best_point, best_v, log = None, None, -1.0, []
    for point in grid:
        m = make(**point).fit(split.train, catalog)
        v = masked_ndcg(m.score_users, M, V)
        log.append((point, round(v, 5)))
        if v > best_v:
            best, best_point, best_v = m, point, v
    return best, best_point, log


# the baselines; the table also has the fusion's own inputs (EASE-uw, UserKNN, iALS),
# RecBole's EASE setting and the plain ensemble of EASE-uw + iALS + Pop, and reports the fusion
# against the best of every single model and against the ensemble as well
NAMED_BASELINES = ("Pop", "ItemKNN", "EASE", "BPR-MF", "LightGCN")
ENSEMBLES = ("Ensemble",)  # blends of other rows: neither a single model nor one of the baselines


def run_accuracy(dataset, kg, item_vectors, cfg: ExperimentConfig, progress: bool = True, on_seed=None) -> dict:
    """All models on each seed's split; `on_seed(partial_summary)` is called after every seed."""
    import torch

    torch.set_num_threads(2)
    inter = prepare(dataset)
    n_items = len(dataset.catalog)
    cat = dataset.catalog
    runs = []
    for seed in cfg.seeds:
        split = split_by_user(inter, n_items, seed)
        _log(f"seed {seed}: {split.stats()}")
        res: dict[str, dict] = {}
        extra: dict[str, dict] = {}

        def record(name, m, t0, **info):
            res[name] = evaluate(m, split)
            extra[name] = {"seconds": round(time.perf_counter() - t0, 1), **info}
            for attr in ("epochs_run", "best_epoch"):
                if hasattr(m, attr):
                    extra[name][attr] = getattr(m, attr)
            _log(f"seed {seed} {name}: ndcg@10 {res[name]['ndcg@10']:.4f} recall@10 {res[name]['recall@10']:.4f} {extra[name]}")

        t0 = time.perf_counter(); record("Pop", Pop().fit(split.train, cat), t0)
        t0 = time.perf_counter()
        m, pt, log = tune(lambda k: ItemKNN(k=k), [{"k": k} for k in cfg.knn_sizes], split, cat)
        record("ItemKNN", m, t0, chosen=pt, grid=log)
        t0 = time.perf_counter()
        ease, pt, ease_log = tune(lambda lam: EASE(lam), [{"lam": x} for x in cfg.ease_lambdas], split, cat)
        record("EASE", ease, t0, chosen=pt, grid=ease_log)
        t0 = time.perf_counter()
        record(f"EASE (λ={cfg.reference_lambda:g})", EASE(cfg.reference_lambda).fit(split.train, cat), t0)
        t0 = time.perf_counter()
        # EASE-uw: the w > 0 points are fitted here; w = 0 is the plain EASE grid above (reused)
        grid = [{"lam": x, "w": w} for w in cfg.ease_user_weights if w for x in cfg.ease_lambdas]
        uw, uw_pt, uw_log = tune(lambda lam, w: EASE(lam, user_weight=w), grid, split, cat)
        if max((v for _, v in uw_log), default=-1.0) > max(v for _, v in ease_log):
            ease_uw, ease_pt = uw, uw_pt
        else:
            ease_uw, ease_pt = ease, {**pt, "w": 0.0}
        record("EASE-uw (fusion's EASE)", ease_uw, t0, chosen=ease_pt,
               grid=[({**p, "w": 0.0}, v) for p, v in ease_log] + uw_log)
        t0 = time.perf_counter()
        m, pt, log = tune(lambda k: UserKNN(k=k), [{"k": k} for k in cfg.knn_sizes], split, cat)
        record("UserKNN", m, t0, chosen=pt, grid=log)
        fcfg = FusionConfig.preset(cfg.fusion)
        t0 = time.perf_counter()
        record("iALS", IALS(fcfg.mf_dim, fcfg.mf_alpha0, fcfg.mf_reg, fcfg.mf_epochs, seed).fit(split.train, cat), t0)
        for M, lr, batch, epochs, budget in ((BPRMF, cfg.bpr_lr, cfg.bpr_batch, cfg.bpr_epochs, cfg.bpr_budget_s),
                                              (LightGCN, cfg.lightgcn_lr, cfg.lightgcn_batch, cfg.lightgcn_epochs, cfg.lightgcn_budget_s)):
            t0 = time.perf_counter()
            m = M(epochs=epochs, time_budget_s=budget, seed=seed, progress=progress, lr=lr, batch=batch)
            m.fit(split.train, cat, valid=split.valid)
            record(M.name, m, t0, valid_log=m.valid_log)
        t0 = time.perf_counter()
        ens = PlainEnsemble(ease_pt["lam"], ease_pt["w"], fcfg.mf_dim, fcfg.mf_alpha0, fcfg.mf_reg, fcfg.mf_epochs,
                            seed=seed).fit(split.train, cat, valid=split.valid)
        record("Ensemble", ens, t0, chosen=ens.chosen, valid_ndcg=round(ens.valid_ndcg, 5), grid=ens.grid_log)
        cache = FeatureCache()
        variants = {"Fusion": {}}
        if cfg.ablations:
            variants.update({"Fusion (no KG)": {"use_kg": False}, "Fusion (shuffled KG)": {"shuffle_kg": True},
                             "Fusion (no KG emb/paths)": {"use_kg_embedding": False, "use_kg_paths": False},
                             "Fusion (no text)": {"use_text": False}})
        for name, kw in variants.items():
            t0 = time.perf_counter()
            m = FusionScorer(item_vectors, kg, FusionConfig.preset(
                cfg.fusion, seed=seed, ease_lambda=ease_pt["lam"], ease_user_weight=ease_pt["w"], short_profiles=0.0, **kw))
            m.cache = cache
            m.fit(split.train, cat, valid=split.valid, progress=progress)
            record(name, m, t0, chosen_loss=m.chosen_loss, final_loss=m.train_log[-1]["loss"] if m.train_log else None,
                   train_log=m.train_log, linear_slopes=m.weights_summary())
        runs.append({"seed": seed, "split": split.stats(), "chosen_loss": extra["Fusion"]["chosen_loss"],
                     "metrics": res, "details": extra})
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
    singles = [n for n in names if not n.startswith("Fusion") and n not in ENSEMBLES]
    ratios, ratios_all, ratios_ens = {}, {}, {}
    for k in ("ndcg@10", "recall@10"):
        for pool, out in ((NAMED_BASELINES, ratios), (singles, ratios_all)):
            best = max((b for b in pool if b in table), key=lambda b: table[b][k]["mean"])
            out[k] = {"best_baseline": best, "ratio": table["Fusion"][k]["mean"] / table[best][k]["mean"]}
        if "Ensemble" in table:
            per_seed = [r["metrics"]["Fusion"][k] / r["metrics"]["Ensemble"][k] for r in runs]
            ratios_ens[k] = {"ratio": table["Fusion"][k]["mean"] / table["Ensemble"][k]["mean"],
                             "per_seed": [round(x, 4) for x in per_seed]}
    return {"dataset": dataset, "config": asdict(cfg), "seeds": [r["seed"] for r in runs], "summary": table,
            "fusion_vs_best_baseline": ratios, "fusion_vs_plain_ensemble": ratios_ens,
            "fusion_vs_best_single_model": ratios_all,
            "fusion_chosen_loss": {str(r["seed"]): r.get("chosen_loss") for r in runs}, "runs": runs}


# -- cold start -------------------------------------------------------------------
def cold_user_metrics(model, profile: Profile, known: np.ndarray, targets: np.ndarray, k: int = 10) -> dict[str, float]:
    """NDCG@k and Recall@k of `model.score_profile(profile)` for one held-out user.

    `known`: (n_known,) item rows the user is known to have (their whole pool of non-target
    positives, whatever part of it the profile shows) - all are masked, as the warm protocol
    masks every training/validation positive; masking only the profile's items would count the
    user's other known positives as misses. `targets`: (n_t,) rows scored as relevant."""
    return masked_user_metrics(model.score_profile(profile), known, targets, k)


def masked_user_metrics(scores: np.ndarray, known: np.ndarray, targets: np.ndarray, k: int = 10) -> dict[str, float]:
    """NDCG@k and Recall@k of one (n_items,) score vector with the `known` rows masked."""
    sc = np.asarray(scores, np.float64).copy()  # (n_items,)
    sc[np.asarray(known, np.int64)] = -np.inf
    m = rank_metrics(topk_rows(sc[None], k), [np.asarray(targets)], ks=(k,))
    return {f"ndcg@{k}": float(m[f"ndcg@{k}"][0]), f"recall@{k}": float(m[f"recall@{k}"][0])}


def run_coldstart(dataset, kg, item_vectors, seeds_given=(0, 1, 3, 5), holdout_users: float = 0.1,
                  seeds: tuple[int, ...] = (0,), fusion: str = "full", max_cold_users: int = 600,
                  short_profiles: float = 0.25, progress: bool = True) -> dict:
    """Per seed: hold out a share of users entirely; train on the rest (8:1:1 of their positives,
    EASE's lambda picked and the fusion weights fitted on valid); each cold user gets n seed items
    (random positives) as a Profile and is scored on the rest of their positives (targets are fixed
    across n: 20% of their positives). At test the user's whole pool (the other 80%, given or not)
    is masked, as the warm protocol masks all known positives. Tables are means over seeds (each
    seed: new cold users)."""
    import torch

    torch.set_num_threads(2)
    inter = prepare(dataset)
    n_items = len(dataset.catalog)
    cat = dataset.catalog
    exp = ExperimentConfig()
    conds = [*(("seeds", n) for n in seeds_given), ("all", None)]
    order = np.argsort(inter.users, kind="stable")
    by_user = np.split(inter.items[order], np.flatnonzero(np.diff(inter.users[order])) + 1)
    items_of = {int(u): by_user[i] for i, u in enumerate(np.unique(inter.users[order]))}  # user -> positives
    per_seed = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        cold = rng.random(inter.n_users) < holdout_users
        warm_inter = compact_users(inter.subset(~cold[inter.users]))
        split = split_by_user(warm_inter, n_items, seed)
        ease, pt, _ = tune(lambda lam: EASE(lam), [{"lam": x} for x in exp.ease_lambdas], split, cat)
        fcfg = FusionConfig.preset(fusion, seed=seed, short_profiles=short_profiles, ease_lambda=pt["lam"])
        models = {"Pop": Pop().fit(split.train, cat), "EASE": ease,
                  "iALS": IALS(fcfg.mf_dim, fcfg.mf_alpha0, fcfg.mf_reg, fcfg.mf_epochs, seed).fit(split.train, cat)}
        fus = FusionScorer(item_vectors, kg, fcfg)
        fus.fit(split.train, cat, valid=split.valid, progress=progress)
        models["Fusion"] = fus
        warm = {m: evaluate(models[m], split)["ndcg@10"] for m in ("Fusion", "EASE")}
        _log(f"cold start seed {seed}: EASE lambda {pt['lam']:g}; warm test NDCG@10 fusion {warm['Fusion']:.4f} EASE {warm['EASE']:.4f}")
        cold_users = np.flatnonzero(cold)
        rng.shuffle(cold_users)
        cold_users = cold_users[:max_cold_users]
        scores: dict[str, dict[str, list]] = {m: {} for m in models}
        for u in cold_users:
            pos = rng.permutation(items_of[int(u)])
            n_t = max(1, len(pos) // 5)
            targets, pool = pos[-n_t:], pos[:-n_t]
            for kind, n in conds:
                given = pool if kind == "all" else pool[:n]
                prof = Profile(liked=[cat.ids[i] for i in given])
                label = "all_history" if kind == "all" else f"{n}"
                for mname, m in models.items():
                    v = cold_user_metrics(m, prof, pool, targets)["ndcg@10"]
                    scores[mname].setdefault(label, []).append(v)
        per_seed.append({"seed": seed, "cold_users": int(len(cold_users)), "ease_lambda": pt["lam"], "warm_test_ndcg@10": warm,
                         "ndcg@10": {m: {c: float(np.mean(v)) for c, v in d.items()} for m, d in scores.items()},
                         "fusion_loss": fus.chosen_loss})
    mean = lambda vals: float(np.mean(vals))  # noqa: E731
    table = {m: {c: mean([r["ndcg@10"][m][c] for r in per_seed]) for c in per_seed[0]["ndcg@10"][m]} for m in per_seed[0]["ndcg@10"]}
    warm = {m: mean([r["warm_test_ndcg@10"][m] for r in per_seed]) for m in ("Fusion", "EASE")}
    ratio_pop = {c: table["Fusion"][c] / max(table["Pop"][c], 1e-12) for c in table["Fusion"]}
    return {"dataset": dataset.name, "seeds": list(seeds), "cold_users": sum(r["cold_users"] for r in per_seed),
            "holdout_users": holdout_users, "ndcg@10": table, "fusion_over_pop": ratio_pop, "warm_test_ndcg@10": warm,
            "fusion_3_seeds_over_warm": table["Fusion"]["3"] / warm["Fusion"] if "3" in table["Fusion"] else None,
            "per_seed": per_seed}
