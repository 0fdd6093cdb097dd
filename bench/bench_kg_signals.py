"""KG signals ablation on one split: EASE vs the fusion scorer with / without the TransE embedding and
path-count signals (same split, same seed, ML-100K by default, the `small` experiment preset).

Usage:  .venv/bin/python bench/bench_kg_signals.py [ml-100k] [full,prev,noemb,nopaths,shuffled,nokg] > out.json
Prints JSON (metrics per variant, fit seconds, TransE fit seconds, learnt linear slopes) to stdout and
progress to stderr. One seed: a quick check, not the protocol's 3-seed result (recassist eval accuracy).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import json, sys, time
import numpy as np, torch
from assistant.cli import paths_from_env
from catalog import load_dataset_by_name
from kg.graph import KnowledgeGraph
from retrieval.embedders import MiniLMEmbedder, item_embeddings
from scorer.baselines import EASE
from scorer.experiment import ExperimentConfig
from scorer.fusion import FeatureCache, FusionConfig, FusionScorer
from scorer.protocol import evaluate, prepare, split_by_user

torch.set_num_threads(2)
name = sys.argv[1] if len(sys.argv) > 1 else "ml-100k"
variants = sys.argv[2].split(",") if len(sys.argv) > 2 else ["full", "prev"]
p = paths_from_env(); ds = load_dataset_by_name(name, p); kg = KnowledgeGraph.load(p.kg_path(name))
vec = item_embeddings(ds.catalog, MiniLMEmbedder(), p.artifacts(name) / "item_vectors.npz")
cfg = ExperimentConfig.preset("small")
seed = cfg.seeds[0]
split = split_by_user(prepare(ds), len(ds.catalog), seed)
out = {}
fcfg = FusionConfig.preset(cfg.fusion)
t0 = time.perf_counter(); m = EASE(fcfg.ease_lambda).fit(split.train, ds.catalog)
out["EASE"] = {**evaluate(m, split), "seconds": time.perf_counter() - t0}
kw = {"full": {}, "prev": dict(use_kg_embedding=False, use_kg_paths=False),
      "noemb": dict(use_kg_embedding=False), "nopaths": dict(use_kg_paths=False),
      "nokg": dict(use_kg=False), "shuffled": dict(shuffle_kg=True)}
cache = FeatureCache()
for v in variants:
    t0 = time.perf_counter()
    m = FusionScorer(vec, kg, FusionConfig.preset(cfg.fusion, seed=seed, short_profiles=0.0, **kw[v]))
    m.cache = cache
    m.fit(split.train, ds.catalog, valid=split.valid)
    r = evaluate(m, split)
    out[v] = {**r, "seconds": time.perf_counter() - t0,
              "kg_embedding_seconds": getattr(getattr(m, "kg_embedding", None), "seconds", None),
              "slopes": m.weights_summary()}
    print(v, {k: round(out[v][k], 4) for k in ("ndcg@10", "recall@10")}, round(out[v]["seconds"], 1), file=sys.stderr, flush=True)
print(json.dumps({k: {kk: (round(vv, 4) if isinstance(vv, float) else vv) for kk, vv in d.items()} for k, d in out.items()}, indent=1))
