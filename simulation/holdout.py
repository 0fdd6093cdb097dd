"""Hold the dialogue targets out of every model: reduced data, its KG, a scorer retrained on it.

For one seed's targets, `holdout_dataset` drops every interaction of each (user, target) pair;
`KnowledgeGraph.build` on the result has no `rated` edge between them; `holdout_scorer` fits the
fusion scorer on the reduced positives (rating >= 3, deduplicated, as scorer.train.train_default
does, with the shipped scorer's FusionConfig) and caches it under
artifacts/<dataset>/eval_scorers/<seed>-<n>-<hash of the held-out pairs>/. It never writes to
the shipped artifacts/<dataset>/scorer/. Popularity a baseline uses comes from the reduced data.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from catalog.types import Dataset


def holdout_dataset(ds: Dataset, pairs: list[tuple[str, str]]) -> Dataset:
    """`ds` without any interaction of the given (user id, item id) pairs; same name and catalog."""
    inter = ds.interactions
    urow = {u: i for i, u in enumerate(inter.user_ids)}
    n_items = len(ds.catalog)
    drop_keys = np.array(sorted(urow[u] * n_items + ds.catalog.index(i) for u, i in pairs if u in urow), np.int64)
    keys = inter.users.astype(np.int64) * n_items + inter.items.astype(np.int64)
    keep = ~np.isin(keys, drop_keys)
    meta = {**ds.meta, "held_out_pairs": len(pairs), "held_out_interactions": int((~keep).sum())}
    return Dataset(ds.name, ds.catalog, inter.subset(keep), meta)


def pairs_hash(pairs: list[tuple[str, str]]) -> str:
    return hashlib.sha256("\n".join(f"{u}\t{i}" for u, i in sorted(pairs)).encode()).hexdigest()[:12]


def item_popularity(ds: Dataset) -> np.ndarray:
    """(n_items,) number of distinct users with any interaction on each item."""
    inter = ds.interactions
    n = len(ds.catalog)
    keys = np.unique(inter.users.astype(np.int64) * n + inter.items.astype(np.int64))
    return np.bincount((keys % n).astype(np.int64), minlength=n)


def shipped_config(ds: Dataset, paths):
    """The FusionConfig of the shipped scorer (its meta.json), else the preset `recassist build` uses."""
    from scorer.fusion import FusionConfig

    meta = paths.scorer_dir(ds.name) / "meta.json"
    if meta.exists():
        try:
            return FusionConfig(**json.loads(meta.read_text())["config"])
        except (KeyError, TypeError, ValueError):
            pass
    return FusionConfig.preset("small")


def holdout_scorer(reduced: Dataset, kg, paths, seed: int, pairs: list[tuple[str, str]], config=None,
                   cache_root: Path | None = None, progress: bool = True):
    """A FusionScorer trained on `reduced` (targets held out), loaded from the cache when there.

    Returns (scorer, info) with info = {"dir", "cached", "train_seconds", "positives", "config"}.
    """
    import torch

    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from scorer.fusion import FusionScorer
    from scorer.protocol import dedupe
    from scorer.train import data_key

    cfg = config or shipped_config(reduced, paths)
    root = Path(cache_root) if cache_root is not None else paths.artifacts(reduced.name) / "eval_scorers"
    d = root / f"seed{seed}-n{len(pairs)}-{pairs_hash(pairs)}"
    if d.resolve() == paths.scorer_dir(reduced.name).resolve():
        raise ValueError("refusing to write an evaluation scorer over the shipped one")
    key = data_key(reduced, cfg)
    meta_p = d / "meta.json"
    if meta_p.exists():
        meta = json.loads(meta_p.read_text())
        if meta.get("data_key") == key:
            try:
                scorer = FusionScorer.load(d, reduced.catalog, kg)
                return scorer, {"dir": str(d), "cached": True, "train_seconds": meta.get("train_seconds"),
                                "positives": meta.get("positives"), "config": asdict(cfg)}
            except Exception as e:  # stale or unreadable: retrain below
                print(f"note: cached eval scorer in {d} unusable ({e}); retraining", file=sys.stderr)
    torch.set_num_threads(2)
    t0 = time.perf_counter()
    vectors = item_embeddings(reduced.catalog, MiniLMEmbedder(), paths.artifacts(reduced.name) / "item_vectors.npz")
    positives = dedupe(reduced.interactions.positives(3.0))
    scorer = FusionScorer(vectors, kg, cfg).fit(positives, reduced.catalog, progress=progress)
    secs = round(time.perf_counter() - t0, 1)
    scorer.extra_meta = {"data_key": key, "dataset": reduced.name, "train_seconds": secs, "positives": len(positives),
                         "seed": seed, "held_out_pairs": len(pairs), "pairs_hash": pairs_hash(pairs)}
    scorer.save(d)
    print(f"eval scorer (seed {seed}, {len(pairs)} targets held out) trained in {secs:.0f}s -> {d}", file=sys.stderr)
    return scorer, {"dir": str(d), "cached": False, "train_seconds": secs, "positives": len(positives),
                    "config": asdict(cfg)}
