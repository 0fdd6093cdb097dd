"""The evaluation protocol (RecBole's ML-1M setting) and ranking metrics.

What it does: ratings >= 3 as positives, iterative 10-core filtering of users and items,
a seeded random 8:1:1 split of each user's positives (RecBole's `RS: [0.8, 0.1, 0.1]`,
`group_by: user`), full ranking over all catalog items with the user's training AND
validation items masked at test time (training items only at validation time), and
Recall / NDCG / Hit / MRR @k with RecBole's definitions.
What it does not do: train models (see `scorer.experiment`).

All splits stay in the catalog's item-row space (`catalog.index`); users are re-indexed to the
users that survive filtering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog.types import Dataset, Interactions


def dedupe(inter: Interactions) -> Interactions:
    """Keep the first event of every (user, item) pair."""
    key = inter.users.astype(np.int64) * (int(inter.items.max(initial=0)) + 1) + inter.items
    _, first = np.unique(key, return_index=True)
    first.sort()
    return inter.subset(np.isin(np.arange(len(inter)), first))


def core_filter(inter: Interactions, core: int = 10) -> Interactions:
    """Iteratively drop users and items with fewer than `core` events until both are >= core."""
    keep = np.ones(len(inter), bool)
    while True:
        u, it = inter.users[keep], inter.items[keep]
        uc = np.bincount(u, minlength=inter.n_users)
        ic = np.bincount(it, minlength=int(inter.items.max(initial=0)) + 1)
        bad = (uc[inter.users] < core) | (ic[inter.items] < core)
        new = keep & ~bad
        if new.sum() == keep.sum():
            break
        keep = new
    return compact_users(inter.subset(keep))


def compact_users(inter: Interactions) -> Interactions:
    """Re-index users to those that have at least one event (order preserved)."""
    present = np.unique(inter.users)
    remap = np.full(inter.n_users, -1, np.int32)
    remap[present] = np.arange(len(present), dtype=np.int32)
    return Interactions(
        [inter.user_ids[i] for i in present], remap[inter.users], inter.items, inter.ratings, inter.timestamps
    )


def prepare(dataset: Dataset, threshold: float = 3.0, core: int = 10) -> Interactions:
    """Positives (rating >= threshold), deduplicated, `core`-core filtered."""
    return core_filter(dedupe(dataset.interactions.positives(threshold)), core)


def split_counts(n: int, ratios=(0.8, 0.1, 0.1)) -> list[int]:
    """RecBole's `_calcu_split_ids` counts: floor for valid/test, remainder to train,
    and a valid/test share that would round to 0 gets one event while train keeps > 1."""
    cnt = [int(r * n) for r in ratios]
    cnt[0] = n - sum(cnt[1:])
    for i in range(1, len(ratios)):
        if cnt[0] <= 1:
            break
        if 0 < ratios[-i] * n < 1:
            cnt[-i] += 1
            cnt[0] -= 1
    return cnt


@dataclass
class Split:
    train: Interactions
    valid: Interactions
    test: Interactions
    n_items: int
    seed: int

    def stats(self) -> dict:
        return {
            "users": self.train.n_users,
            "items_with_events": int(len(np.unique(np.concatenate([self.train.items, self.valid.items, self.test.items])))),
            "interactions": len(self.train) + len(self.valid) + len(self.test),
            "train": len(self.train), "valid": len(self.valid), "test": len(self.test),
        }


def split_by_user(inter: Interactions, n_items: int, seed: int, ratios=(0.8, 0.1, 0.1)) -> Split:
    """Shuffle each user's events with `seed` and cut them train/valid/test by `ratios`."""
    rng = np.random.default_rng(seed)
    part = np.zeros(len(inter), np.int8)
    order = np.argsort(inter.users, kind="stable")
    bounds = np.flatnonzero(np.diff(inter.users[order])) + 1
    for grp in np.split(order, bounds):
        grp = grp[rng.permutation(len(grp))]
        c = split_counts(len(grp), ratios)
        part[grp[c[0] : c[0] + c[1]]] = 1
        part[grp[c[0] + c[1] :]] = 2
    return Split(inter.subset(part == 0), inter.subset(part == 1), inter.subset(part == 2), n_items, seed)


# -- metrics -----------------------------------------------------------------
def rank_metrics(topk: np.ndarray, targets: list[np.ndarray], ks=(10, 20)) -> dict[str, np.ndarray]:
    """Per-user metrics from ranked item rows.

    topk: (b, K) item rows best first (K >= max(ks)); targets: b arrays of relevant rows.
    Recall@k = hits / |targets|; NDCG@k = DCG / IDCG with IDCG over min(|targets|, k) (RecBole);
    Hit@k = any hit; MRR@k = 1 / rank of the first hit (0 if none in the top k).
    """
    b, K = topk.shape
    hits = np.zeros((b, K), bool)
    n_pos = np.zeros(b)
    for r in range(b):
        hits[r] = np.isin(topk[r], targets[r])
        n_pos[r] = len(targets[r])
    disc = 1.0 / np.log2(np.arange(2, K + 2))  # (K,)
    out: dict[str, np.ndarray] = {}
    for k in ks:
        h = hits[:, :k]
        nh = h.sum(1)
        out[f"recall@{k}"] = nh / n_pos
        dcg = (h * disc[:k]).sum(1)
        idcg = np.array([disc[: int(min(p, k))].sum() for p in n_pos])
        out[f"ndcg@{k}"] = dcg / idcg
        out[f"hit@{k}"] = (nh > 0).astype(float)
        first = np.where(h.any(1), h.argmax(1) + 1, 0)
        out[f"mrr@{k}"] = np.where(first > 0, 1.0 / np.maximum(first, 1), 0.0)
    return out


def topk_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """(b, n_items) scores -> (b, k) item rows, best first (ties: lower row first)."""
    part = np.argpartition(-scores, kth=min(k, scores.shape[1] - 1), axis=1)[:, :k]
    vals = np.take_along_axis(scores, part, 1)
    order = np.lexsort((part, -vals), axis=1)
    return np.take_along_axis(part, order, 1)


def masked_metrics(score_rows, mask, target, ks=(10, 20), batch: int = 1024,
                   rows: np.ndarray | None = None) -> dict[str, float]:
    """Mean rank metrics over `rows` (default: users with target items): `score_rows(r) -> (b, n_items)`
    scores, `mask` / `target` (n_users, n_items) CSR; masked items are ranked last."""
    rows = np.flatnonzero(np.diff(target.indptr) > 0) if rows is None else np.asarray(rows)
    acc: dict[str, list] = {}
    for s in range(0, len(rows), batch):
        r = rows[s : s + batch]
        sc = np.asarray(score_rows(r), np.float32).copy()  # (b, n_items)
        sc[mask[r].nonzero()] = -np.inf
        tg = [target.indices[target.indptr[u] : target.indptr[u + 1]] for u in r]
        for name, v in rank_metrics(topk_rows(sc, max(ks)), tg, ks).items():
            acc.setdefault(name, []).append(v)
    return {n: float(np.concatenate(v).mean()) for n, v in acc.items()}


def masked_ndcg(score_rows, mask, target, k: int = 10, batch: int = 1024, rows: np.ndarray | None = None) -> float:
    """Mean NDCG@k of `masked_metrics` (0.0 without target users). Early stopping and hyper-parameter
    selection call it with mask = train, target = validation."""
    return masked_metrics(score_rows, mask, target, (k,), batch, rows).get(f"ndcg@{k}", 0.0)


def evaluate(model, split: Split, which: str = "test", ks=(10, 20), batch: int = 1024,
             users: np.ndarray | None = None) -> dict[str, float]:
    """Mean metrics of `model` (fitted on split.train) over users with `which` events.

    Test: masks each user's train and valid items; valid: masks train items only.
    """
    from .base import binary_csr

    target = split.test if which == "test" else split.valid
    T = binary_csr(target, split.n_items)
    M = binary_csr(split.train, split.n_items)
    if which == "test":
        M = M + binary_csr(split.valid, split.n_items)
    return masked_metrics(model.score_users, M, T, ks, batch, users)
