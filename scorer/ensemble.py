"""A plain ensemble baseline: a validation-tuned linear blend of EASE-uw, iALS and popularity.

What it does: fits the fusion's three cheapest collaborative inputs on the training positives -
EASE-uw (EASE whose Gram matrix rows are weighted |u|^-w; w = 0 is plain EASE), iALS (history
folded into the item factors) and popularity (log1p of the training counts) - z-scores each per
user over the catalog (the fusion's signal normalisation, `scorer.fusion._zscore`) and scores an
item by w_ease * z_ease + w_ials * z_ials + w_pop * z_pop. The three weights are chosen by
exhaustive search of the simplex (non-negative, summing to 1, step `step`) for the best NDCG@10 on
held-out interactions with the training items masked: the protocol's validation split when `fit`
gets one, else a per-user holdout of the training positives (as the fusion does), after which the
components are refitted on all of train.
It answers: how much of the fusion's gain would any validation-tuned blend of its collaborative
inputs give, with no per-signal shapes, gates, text or KG?

Why a grid and not the fusion's gradient fit: a ranking does not change when every weight is
scaled by the same positive number, so the blend has only two free parameters. A grid over the
simplex then searches the validation metric itself (NDCG@10, the number the table reports) to
within `step`, deterministically and without a surrogate loss, a loss choice, candidate lists or
a monitor split - the machinery the fusion needs because it fits 297 parameters. The cost is
one scoring pass over the validation users plus a weighted sum and a top-10 per grid point.

What it does not do: read the test split (nothing here can; `scorer.experiment` passes train and
valid only), tune EASE's lambda/w (taken from `scorer.experiment`'s EASE-uw grid) or iALS's
settings (the fusion's), or use text, KG or learned non-linear shapes.
"""

from __future__ import annotations

import itertools

import numpy as np

from .base import Recommender
from .baselines import IALS, ease_matrix
from .protocol import rank_metrics, topk_rows

COMPONENTS = ("EASE-uw", "iALS", "Pop")


def _zscore(x: np.ndarray) -> np.ndarray:
    from .fusion import _zscore as fusion_zscore  # lazy: fusion pulls in the KG modules

    return fusion_zscore(x)


def simplex_grid(n: int, step: float) -> np.ndarray:
    """(p, n) float64 weight vectors w >= 0 with sum(w) = 1 on a lattice of `step`; the first
    component's weight descends first, so on ties the earlier (heavier-EASE) point wins."""
    m = int(round(1.0 / step))
    pts = [c for c in itertools.product(range(m, -1, -1), repeat=n) if sum(c) == m]
    return np.asarray(pts, np.float64) / m


class PlainEnsemble(Recommender):
    """Linear blend of z-scored EASE-uw, iALS and log-popularity scores, weights picked on validation."""

    name = "Ensemble"

    def __init__(self, ease_lambda: float = 500.0, ease_user_weight: float = 0.5, mf_dim: int = 128,
                 mf_alpha0: float = 0.1, mf_reg: float = 10.0, mf_epochs: int = 8, step: float = 0.1,
                 holdout: float = 0.1, seed: int = 0):
        super().__init__()
        self.ease_lambda, self.ease_user_weight = ease_lambda, ease_user_weight
        self.mf_args = dict(dim=mf_dim, alpha0=mf_alpha0, reg=mf_reg, epochs=mf_epochs, seed=seed)
        self.step, self.holdout, self.seed = step, holdout, seed
        self.weights = np.array([1.0, 0.0, 0.0])  # (3,) float64, order COMPONENTS
        self.grid_log: list[tuple[dict, float]] = []  # (weights, held-out NDCG@10) per grid point
        self.valid_ndcg = None  # held-out NDCG@10 of the chosen weights

    @property
    def chosen(self) -> dict[str, float]:
        return {c: round(float(w), 4) for c, w in zip(COMPONENTS, self.weights)}

    # -- fitting ------------------------------------------------------------------
    def _fit(self, X) -> None:
        """X: (n_users, n_items) float32 CSR of training positives; `self.valid_csr` (same users) or None."""
        if self.valid_csr is not None:
            Xh, Y = X, self.valid_csr
        else:  # hold out a share of each user's training positives, refit on all of train after
            Xh, Y = self._holdout(X)
        self._fit_components(Xh)
        self.weights, self.grid_log, self.valid_ndcg = self.choose_weights(Xh, Y)
        if self.valid_csr is None:
            self._fit_components(X)

    def _holdout(self, X):
        import scipy.sparse as sp

        X = X.tocsr()
        hold = np.random.default_rng(self.seed + 17).random(X.nnz) < self.holdout  # (nnz,) bool
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))  # (nnz,) row of each entry
        part = lambda m: sp.csr_matrix((X.data[m], (rows[m], X.indices[m])), shape=X.shape)  # noqa: E731
        return part(~hold), part(hold)

    def _fit_components(self, X) -> None:
        self.B = ease_matrix(X, self.ease_lambda, self.ease_user_weight)  # (n_items, n_items)
        self.mf = IALS(**self.mf_args)
        self.mf._fit(X)
        lp = np.log1p(np.asarray(X.sum(0)).ravel())  # (n_items,)
        self.pop_z = ((lp - lp.mean()) / max(lp.std(), 1e-9)).astype(np.float32)  # (n_items,)

    def choose_weights(self, Xh, Y, batch: int = 1024):
        """Best simplex point by NDCG@10 of histories Xh -> targets Y (both (n_users, n_items) CSR,
        Xh masked), over the users with targets. Returns ((3,) weights, grid log, best NDCG@10)."""
        grid = simplex_grid(len(COMPONENTS), self.step)  # (p, 3)
        users = np.flatnonzero(np.diff(Y.indptr) > 0)
        sums = np.zeros(len(grid))  # (p,) summed per-user NDCG@10
        for s in range(0, len(users), batch):
            r = users[s : s + batch]
            H = Xh[r]
            Z = self.signals(H)  # (b, n_items, 3)
            seen = H.nonzero()
            targets = [Y.indices[Y.indptr[u] : Y.indptr[u + 1]] for u in r]
            for j, w in enumerate(grid):
                sc = Z @ w.astype(np.float32)  # (b, n_items)
                sc[seen] = -np.inf
                sums[j] += rank_metrics(topk_rows(sc, 10), targets, ks=(10,))["ndcg@10"].sum()
        ndcg = sums / max(len(users), 1)  # (p,)
        best = int(np.argmax(ndcg))  # first maximum: ties keep the heavier-EASE point
        log = [({c: round(float(x), 4) for c, x in zip(COMPONENTS, w)}, round(float(v), 5)) for w, v in zip(grid, ndcg)]
        return grid[best], log, float(ndcg[best])

    # -- scoring ------------------------------------------------------------------
    def signals(self, H) -> np.ndarray:
        """H: (b, n_items) CSR history weights -> (b, n_items, 3) float32 per-user z-scores, order COMPONENTS."""
        ease = _zscore(np.asarray(H @ self.B))  # (b, n_items)
        mf = _zscore(self.mf._score_history(H))  # (b, n_items); iALS folds in liked items only
        pop = np.broadcast_to(self.pop_z, ease.shape)  # (b, n_items), already z-scored over the catalog
        return np.stack([ease, mf, pop], -1).astype(np.float32)

    def _score_history(self, H) -> np.ndarray:
        return self.signals(H) @ self.weights.astype(np.float32)  # (b, n_items)
