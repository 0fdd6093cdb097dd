"""Train the deployed fusion scorer on all of a dataset's positives and save it.

What it does: `train_default` fits `FusionScorer` (or, above DENSE_MAX_ITEMS items, scorer.sparse's
`SparseFusionScorer`) on every positive (rating >= 3) of the dataset,
learning the fusion weights on a per-user 10% holdout of those positives, and saves the artifact
to `paths.scorer_dir(dataset.name)`. `is_up_to_date` lets `recassist build` skip retraining.
What it does not do: evaluate (see `scorer.experiment`, `recassist eval`).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time

from .fusion import FusionConfig, FusionScorer
from .protocol import dedupe
from .sparse import SparseConfig, SparseFusionScorer

# Above this many items the dense fusion scorer does not fit: its EASE, ItemKNN, text-cosine and path matrices
# are (n_items, n_items) float32 (1.6 GB each at 20,000 items, and EASE inverts one in float64), so `train`
# takes the sparse path (scorer.sparse) instead and records the choice in meta.json ("path").
DENSE_MAX_ITEMS = 20_000


def data_key(dataset, config: FusionConfig) -> str:
    """Identifies what a saved scorer was trained from: catalog (ids and entity names), interactions and config."""
    inter = dataset.interactions
    h = hashlib.sha256()
    h.update("\x00".join(dataset.catalog.ids).encode())
    h.update(dataset.catalog.content_key().encode())  # the KG signals read the entity names
    for a in (inter.users, inter.items, inter.ratings):
        h.update(a.tobytes())
    h.update(json.dumps(config.__dict__, sort_keys=True).encode())
    return h.hexdigest()[:16]


def _config(config, n_items: int) -> FusionConfig:
    """The config of the path `n_items` takes (a preset name, None = "small", or a ready config)."""
    if config is not None and not isinstance(config, str):
        return config
    cls = SparseConfig if n_items > DENSE_MAX_ITEMS else FusionConfig
    return cls.preset(config or "small")


def scorer_class(config: FusionConfig) -> type[FusionScorer]:
    return SparseFusionScorer if isinstance(config, SparseConfig) else FusionScorer


def load_scorer(directory, catalog, kg) -> FusionScorer:
    """The trained scorer saved in `directory`, dense or sparse as its meta.json says (ScorerError if none)."""
    from pathlib import Path

    meta = Path(directory) / "meta.json"
    path = json.loads(meta.read_text()).get("path", "dense") if meta.exists() else "dense"
    return (SparseFusionScorer if path == "sparse" else FusionScorer).load(directory, catalog, kg)


def is_up_to_date(dataset, paths, config=None) -> bool:
    meta = paths.scorer_dir(dataset.name) / "meta.json"
    if not meta.exists():
        return False
    return json.loads(meta.read_text()).get("data_key") == data_key(dataset, _config(config, len(dataset.catalog)))


def train_default(dataset, paths, kg, *, config=None, progress: bool = True) -> FusionScorer:
    """Fit the fusion scorer on all positives of `dataset` and save it under paths.scorer_dir."""
    import torch

    from retrieval.embedders import MiniLMEmbedder, item_embeddings

    torch.set_num_threads(2)
    cfg = _config(config, len(dataset.catalog))
    t0 = time.perf_counter()
    # the sparse path reads the index's documents (with facts): at its sizes a second set of vectors would mean
    # embedding the catalog twice
    positives = dedupe(dataset.interactions.positives(3.0))
    scorer = scorer_class(cfg)(item_embeddings(dataset.catalog, MiniLMEmbedder(), paths.artifacts(dataset.name) / "item_vectors.npz",
                                               facts=isinstance(cfg, SparseConfig)), kg, cfg)  # no second reference held
    scorer.fit(positives, dataset.catalog, progress=progress)
    scorer.extra_meta = {"data_key": data_key(dataset, cfg), "dataset": dataset.name,
                         "train_seconds": round(time.perf_counter() - t0, 1), "positives": len(positives),
                         "dense_max_items": DENSE_MAX_ITEMS,
                         "path_reason": f"{len(dataset.catalog):,} items {'>' if isinstance(cfg, SparseConfig) else '<='} "
                                        f"{DENSE_MAX_ITEMS:,} (scorer.train.DENSE_MAX_ITEMS)"}
    scorer.save(paths.scorer_dir(dataset.name))
    if progress:
        print(f"fusion scorer trained in {time.perf_counter() - t0:.0f}s -> {paths.scorer_dir(dataset.name)}",
              file=sys.stderr)
    return scorer
