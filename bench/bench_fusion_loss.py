"""Which ranking loss trains the fusion scorer best: softmax vs smooth NDCG@10 vs "auto" (both, keep
the better on the monitor users), next to EASE, on one protocol split, all in one process.

Usage:  .venv/bin/python bench/bench_fusion_loss.py [--dataset ml-1m] [--seed 0]
Writes docs/results/fusion_loss_<dataset>.{json,md}; progress on stderr. One seed: a check of the
training choice, not the 3-seed accuracy result (`recassist eval accuracy`).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import write  # noqa: E402


def main() -> None:
    import torch

    from catalog import load_dataset_by_name
    from assistant.cli import paths_from_env
    from kg.graph import KnowledgeGraph
    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from scorer.baselines import EASE
    from scorer.base import binary_csr
    from scorer.fusion import FeatureCache, FusionConfig, FusionScorer
    from scorer.protocol import evaluate, masked_ndcg, prepare, split_by_user

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-1m")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(2)
    p = paths_from_env(); ds = load_dataset_by_name(a.dataset, p); kg = KnowledgeGraph.load(p.kg_path(ds.name))
    vec = item_embeddings(ds.catalog, MiniLMEmbedder(), p.artifacts(ds.name) / "item_vectors.npz")
    split = split_by_user(prepare(ds), len(ds.catalog), a.seed)
    M, V = binary_csr(split.train, split.n_items), binary_csr(split.valid, split.n_items)
    cfg = FusionConfig.preset("full", seed=a.seed)
    out = {}
    ease = EASE(cfg.ease_lambda, user_weight=cfg.ease_user_weight).fit(split.train, ds.catalog)
    out["EASE-uw (the fusion's collaborative input)"] = {"valid_ndcg@10": masked_ndcg(ease.score_users, M, V),
                                                          **evaluate(ease, split)}
    cache = FeatureCache()
    for loss in ("softmax", "ndcg", "auto"):
        t0 = time.perf_counter()
        m = FusionScorer(vec, kg, FusionConfig.preset("full", seed=a.seed, loss=loss)); m.cache = cache
        m.fit(split.train, ds.catalog, valid=split.valid)
        mon = [e["monitor_ndcg@10"] for e in m.train_log if "monitor_ndcg@10" in e]
        out[f"Fusion, loss={loss}"] = {"valid_ndcg@10 (incl. its training users)": masked_ndcg(m.score_users, M, V),
                                       "best monitor ndcg@10": max(mon), "chosen_loss": m.chosen_loss,
                                       **evaluate(m, split), "seconds": round(time.perf_counter() - t0, 1)}
        print(loss, {k: round(v, 4) for k, v in out[f"Fusion, loss={loss}"].items() if isinstance(v, float)},
              file=sys.stderr, flush=True)
    fmt = lambda v: "–" if v is None else f"{v:.4f}"  # noqa: E731
    rows = [(name, fmt(d["ndcg@10"]), fmt(d["recall@10"]), fmt(d.get("best monitor ndcg@10")), d.get("chosen_loss", "–"))
            for name, d in out.items()]
    write(f"fusion_loss_{ds.name}", {"dataset": ds.name, "seed": a.seed, "results": out}, rows,
          ["model", "test NDCG@10", "test Recall@10", "monitor NDCG@10", "loss kept"],
          f".venv/bin/python bench/bench_fusion_loss.py --dataset {a.dataset} --seed {a.seed}",
          notes=f"Seed {a.seed} split of the protocol (PROTOCOL.md); all rows in one process on the same cached "
                "features. The monitor is the 10% of validation users the fusion keeps aside to pick its step "
                "and loss; `auto` trains both losses and keeps the better one on it.")


if __name__ == "__main__":
    main()
