"""Recommenders in the shared contract: Pop, ItemKNN, UserKNN, EASE, iALS, BPR-MF, LightGCN.

What it does: fits each model on binary training positives and scores full item rows.
Pop/ItemKNN/EASE are history-based (a profile is scored exactly like a training user);
UserKNN compares a history with the training users' rows; iALS folds a history in with one
closed-form least-squares solve; BPR-MF and LightGCN learn user embeddings and score a profile
by folding it in (mean of the liked item embeddings minus the disliked ones).
BPR-MF/LightGCN stop early on validation NDCG@10 when `fit` gets a validation split (as RecBole
does), and also stop at `epochs` or a wall-clock `time_budget_s`; `self.epochs_run` and
`self.best_epoch` record what happened.
What it does not do: choose hyper-parameters (`scorer.experiment` picks EASE's lambda and the
kNN sizes on the validation split) or use a GPU.
"""

from __future__ import annotations

import time

import numpy as np

from .base import Recommender
from .protocol import masked_ndcg


class Pop(Recommender):
    """Most popular first: score = number of training positives of the item."""

    name = "Pop"

    def _fit(self, X) -> None:
        self.counts = np.asarray(X.sum(0)).ravel().astype(np.float32)  # (n_items,)

    def _score_history(self, H) -> np.ndarray:
        return np.tile(self.counts, (H.shape[0], 1))


class ItemKNN(Recommender):
    """Item-based CF: cosine item-item similarity, top-`k` neighbours per item (RecBole k=100)."""

    name = "ItemKNN"

    def __init__(self, k: int = 100, shrink: float = 0.0):
        super().__init__()
        self.k, self.shrink = k, shrink

    def _fit(self, X) -> None:
        G = (X.T @ X).toarray().astype(np.float32)  # (n_items, n_items) co-occurrence
        n = np.sqrt(np.diag(G)).astype(np.float32)
        S = G / (np.outer(n, n) + self.shrink + 1e-8)
        np.fill_diagonal(S, 0.0)
        if self.k < S.shape[0]:
            drop = np.argpartition(-S, self.k, axis=0)[self.k :]  # keep top-k neighbours per column
            np.put_along_axis(S, drop, 0.0, axis=0)
        self.S = S  # (n_items, n_items)

    def _score_history(self, H) -> np.ndarray:
        return np.asarray(H @ self.S, np.float32)


class UserKNN(Recommender):
    """User-based CF: cosine similarity of the history to every training user's row, top-`k`
    neighbours, score = similarity-weighted sum of their items. A training user is never its own
    neighbour."""

    name = "UserKNN"

    def __init__(self, k: int = 100):
        super().__init__()
        self.k = k

    def _fit(self, X) -> None:
        self.X = X.tocsr()  # (n_users, n_items) the neighbours' rows
        self.Xn = _row_normalise(self.X)

    def scores(self, H, exclude_rows: np.ndarray | None = None) -> np.ndarray:
        """H: (b, n_items) CSR histories -> (b, n_items); exclude_rows[r] = H's own training row (or -1)."""
        import scipy.sparse as sp

        S = np.asarray((_row_normalise(H) @ self.Xn.T).todense(), np.float32)  # (b, n_users)
        if exclude_rows is not None:
            own = np.asarray(exclude_rows)
            S[np.flatnonzero(own >= 0), own[own >= 0]] = 0.0
        if self.k < S.shape[1]:
            drop = np.argpartition(-S, self.k, axis=1)[:, self.k :]
            np.put_along_axis(S, drop, 0.0, axis=1)
        return np.asarray((sp.csr_matrix(S) @ self.X).todense(), np.float32)

    def score_users(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows)
        return self.scores(self.train_csr[rows], exclude_rows=rows)

    def _score_history(self, H) -> np.ndarray:
        H = H.copy(); H.data = np.maximum(H.data, 0.0)  # disliked items are not taste neighbours
        return self.scores(H)


def _row_normalise(H):
    import scipy.sparse as sp

    n = np.sqrt(np.asarray(H.multiply(H).sum(1)).ravel())
    return (sp.diags(1.0 / np.maximum(n, 1e-9)) @ H).tocsr()


def ease_matrix(X, lam: float, user_weight: float = 0.0) -> np.ndarray:
    """EASE item-item weights B (n_items, n_items), zero diagonal (Steck 2019).

    user_weight g > 0 builds the Gram matrix from rows weighted by |u|^-g (heavy raters count
    less), rescaled to the unweighted trace so `lam` keeps its meaning; g = 0 is plain EASE."""
    if user_weight:
        import scipy.sparse as sp

        cnt = np.maximum(np.diff(X.tocsr().indptr), 1).astype(np.float64)
        G = (X.T @ sp.diags(cnt ** -user_weight) @ X).toarray().astype(np.float64)
        G *= float(np.asarray(X.sum())) / max(np.trace(G), 1e-12)
    else:
        G = (X.T @ X).toarray().astype(np.float64)
    G[np.diag_indices_from(G)] += lam
    P = np.linalg.inv(G)
    B = -P / np.diag(P)[None, :]
    np.fill_diagonal(B, 0.0)
    return B.astype(np.float32)


class EASE(Recommender):
    """Embarrassingly shallow autoencoder, closed form; RecBole's ML-1M setting lambda=300."""

    name = "EASE"

    def __init__(self, lam: float = 300.0, user_weight: float = 0.0):
        super().__init__()
        self.lam, self.user_weight = lam, user_weight

    def _fit(self, X) -> None:
        self.B = ease_matrix(X, self.lam, self.user_weight)

    def _score_history(self, H) -> np.ndarray:
        return np.asarray(H @ self.B, np.float32)


class IALS(Recommender):
    """Implicit ALS (Hu et al. 2008, in the form of Rendle et al. 2022): minimise
    sum over positives (1 - u.v)^2 + alpha0 * sum over all pairs (u.v)^2 + reg (|u|^2 + |v|^2)
    by alternating least-squares half-steps (conjugate gradient, warm-started). A history (training
    user or profile) is scored by folding it in: one exact solve for u against the final item
    factors, so no user factors are stored."""

    name = "iALS"
    DENSE_BLOCK_COLS = 50_000  # up to this many columns, CG products go through dense (2048, n_cols) blocks

    def __init__(self, dim: int = 128, alpha0: float = 0.1, reg: float = 10.0, epochs: int = 8, seed: int = 0):
        super().__init__()
        self.dim, self.alpha0, self.reg, self.epochs, self.seed = dim, alpha0, reg, epochs, seed

    def _gram(self, other: np.ndarray) -> np.ndarray:
        """The part of every row's system shared by all rows: alpha0 V^T V + reg I, (dim, dim)."""
        return (self.alpha0 * (other.T @ other) + self.reg * np.eye(other.shape[1])).astype(other.dtype)

    def _solve(self, H, other: np.ndarray, G: np.ndarray | None = None) -> np.ndarray:
        """(b, n) CSR 0/1 rows -> (b, dim) least-squares factors against `other` (n, dim); `G` = its Gram part.
        Batched torch solve: numpy's batched LAPACK path is ~10x slower on these near-diagonal systems."""
        import torch

        d = other.shape[1]
        G = self._gram(other) if G is None else G
        out = np.zeros((H.shape[0], d))
        for s in range(0, H.shape[0], 1024):
            rows = range(s, min(s + 1024, H.shape[0]))
            A = np.repeat(G[None], len(rows), 0)  # (b, d, d)
            b = np.zeros((len(rows), d))
            for j, r in enumerate(rows):
                idx = H.indices[H.indptr[r] : H.indptr[r + 1]]
                if len(idx):
                    Vr = other[idx]
                    A[j] += Vr.T @ Vr
                    b[j] = Vr.sum(0)
            out[s : s + len(rows)] = torch.linalg.solve(torch.from_numpy(A), torch.from_numpy(b)[..., None])[..., 0].numpy()
        return out

    def _cg(self, X, other: np.ndarray, start: np.ndarray, iters: int = 6) -> np.ndarray:
        """Batched conjugate gradient for the same systems as `_solve`, all rows at once, from `start`
        (n_rows, dim): A u = G u + sum_{i in row} v_i (v_i . u) needs only the observed entries
        (Takacs et al. 2011; the `implicit` library's solver). Used in training, where each half-step
        warm-starts from the previous factors."""
        import scipy.sparse as sp

        G = self._gram(other)
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))  # (nnz,) row of each observed entry

        def A(P):  # (n_rows, d) -> (n_rows, d)
            vals = np.empty(len(rows), P.dtype)  # (nnz,) p_row . v_item at the observed entries
            if X.shape[1] <= self.DENSE_BLOCK_COLS:
                for s in range(0, X.shape[0], 2048):  # dense (2048, n_cols) blocks: cheaper than gathering rows
                    lo, hi = X.indptr[s], X.indptr[min(s + 2048, X.shape[0])]
                    vals[lo:hi] = (P[s : s + 2048] @ other.T)[rows[lo:hi] - s, X.indices[lo:hi]]
            else:  # large catalogs: gather the two factors of each observed entry, 1M entries at a time
                for lo in range(0, len(rows), 1 << 20):
                    hi = lo + (1 << 20)
                    vals[lo:hi] = np.einsum("nd,nd->n", P[rows[lo:hi]], other[X.indices[lo:hi]])
            return P @ G + sp.csr_matrix((vals, X.indices, X.indptr), shape=X.shape) @ other

        U = start.copy()
        r = X @ other - A(U)
        p = r.copy()
        rs = (r * r).sum(1)
        for _ in range(iters):
            Ap = A(p)
            alpha = rs / np.maximum((p * Ap).sum(1), 1e-30)
            U += alpha[:, None] * p
            r -= alpha[:, None] * Ap
            rs_new = (r * r).sum(1)
            p = r + (rs_new / np.maximum(rs, 1e-30))[:, None] * p
            rs = rs_new
        return U

    def _fit(self, X) -> None:
        rng = np.random.default_rng(self.seed)
        dtype = np.float64 if X.shape[1] <= self.DENSE_BLOCK_COLS else np.float32  # large catalogs: half the memory
        X = X.tocsr().astype(dtype); Xt = X.T.tocsr()
        V = rng.normal(0.0, 0.1 / np.sqrt(self.dim), (X.shape[1], self.dim)).astype(dtype)
        U = np.zeros((X.shape[0], self.dim), dtype)
        for _ in range(self.epochs):
            U = self._cg(X, V, U)
            V = self._cg(Xt, U, V)
        self.V = V.astype(np.float32)  # (n_items, dim)

    def _folding(self) -> tuple[np.ndarray, np.ndarray]:
        """(float64 item factors, their Gram part) for folding in histories, computed once per self.V."""
        cache = getattr(self, "_fold_cache", None)
        if cache is None or cache[0] is not self.V:
            V64 = self.V.astype(np.float64)
            cache = self._fold_cache = (self.V, V64, self._gram(V64))
        return cache[1], cache[2]

    def _score_history(self, H) -> np.ndarray:
        H = H.tocsr().copy(); H.data = (H.data > 0).astype(np.float32); H.eliminate_zeros()  # liked items only
        V64, G = self._folding()
        return (self._solve(H, V64, G) @ V64.T).astype(np.float32)


class _EmbeddingModel(Recommender):
    """Shared BPR training loop for BPR-MF and LightGCN (uniform negative sampling); with a
    validation split it evaluates NDCG@10 every `eval_every` epochs, keeps the best embeddings
    and stops after `patience` evaluations without improvement."""

    def __init__(self, dim: int = 64, lr: float = 1e-3, batch: int = 2048, epochs: int = 50,
                 reg: float = 1e-5, time_budget_s: float | None = None, seed: int = 0, progress: bool = False,
                 eval_every: int = 5, patience: int = 3):
        super().__init__()
        self.dim, self.lr, self.batch, self.epochs, self.reg = dim, lr, batch, epochs, reg
        self.time_budget_s, self.seed, self.progress = time_budget_s, seed, progress
        self.eval_every, self.patience = eval_every, patience
        self.epochs_run = 0
        self.best_epoch = 0
        self.valid_log: list[tuple[int, float]] = []  # (epoch, validation NDCG@10)

    def _embeddings(self, U, I):  # -> final (user, item) embeddings
        return U, I

    def _fit(self, X) -> None:
        import torch

        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        n_users, n_items = X.shape
        self._prepare(X)
        U = torch.nn.Parameter(torch.randn(n_users, self.dim) * 0.1)
        I = torch.nn.Parameter(torch.randn(n_items, self.dim) * 0.1)
        opt = torch.optim.Adam([U, I], lr=self.lr)
        coo = X.tocoo()
        us, its = coo.row.astype(np.int64), coo.col.astype(np.int64)
        # at least 10 steps an epoch: a batch sized for ML-1M would make an ML-100K epoch one step
        batch = max(1, min(self.batch, -(-len(us) // 10)))
        t0 = time.perf_counter()
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=self.epochs, desc=f"{self.name} epochs", leave=False)
        best, since_best, kept = -1.0, 0, None
        for ep in range(self.epochs):
            perm = rng.permutation(len(us))
            for s in range(0, len(perm), batch):
                b = perm[s : s + batch]
                u = torch.from_numpy(us[b]); i = torch.from_numpy(its[b])
                j = torch.from_numpy(rng.integers(0, n_items, len(b)))
                Uf, If = self._embeddings(U, I)
                eu, ei, ej = Uf[u], If[i], If[j]
                x = (eu * (ei - ej)).sum(1)
                reg = (U[u].pow(2).sum() + I[i].pow(2).sum() + I[j].pow(2).sum()) / len(b)
                loss = -torch.nn.functional.logsigmoid(x).mean() + self.reg * reg
                opt.zero_grad(); loss.backward(); opt.step()
            self.epochs_run = ep + 1
            if bar is not None:
                bar.update(1); bar.set_postfix(loss=f"{loss.item():.4f}")
            last = ep + 1 == self.epochs or (self.time_budget_s is not None and time.perf_counter() - t0 > self.time_budget_s)
            if self.valid_csr is not None and ((ep + 1) % self.eval_every == 0 or last):
                self._snapshot(U, I)
                score = masked_ndcg(self.score_users, self.train_csr, self.valid_csr)
                self.valid_log.append((ep + 1, round(score, 5)))
                if score > best:
                    best, since_best, self.best_epoch = score, 0, ep + 1
                    kept = (self.user_emb, self.item_emb)
                else:
                    since_best += 1
                if since_best >= self.patience:
                    break
            if last:
                break
        if bar is not None:
            bar.close()
        if kept is None:  # no validation split: the last epoch's embeddings
            self._snapshot(U, I)
            self.best_epoch = self.epochs_run
        else:
            self.user_emb, self.item_emb = kept
        self.train_seconds = time.perf_counter() - t0

    def _snapshot(self, U, I) -> None:
        import torch

        with torch.no_grad():
            Uf, If = self._embeddings(U, I)
            self.user_emb = Uf.numpy().astype(np.float32).copy()  # (n_users, dim)
            self.item_emb = If.numpy().astype(np.float32).copy()  # (n_items, dim)

    def _prepare(self, X) -> None:
        pass

    def score_users(self, rows: np.ndarray) -> np.ndarray:
        return self.user_emb[np.asarray(rows)] @ self.item_emb.T

    def _score_history(self, H) -> np.ndarray:
        # fold-in: a profile's embedding is the weighted mean of its history item embeddings
        n = np.maximum(np.abs(H).sum(1).A.ravel(), 1.0)[:, None]
        eu = np.asarray(H @ self.item_emb) / n  # (b, dim)
        return eu @ self.item_emb.T


class BPRMF(_EmbeddingModel):
    """Matrix factorisation trained with the BPR pairwise loss (RecBole defaults: dim 64, lr 1e-3)."""

    name = "BPR-MF"


class LightGCN(_EmbeddingModel):
    """LightGCN (He et al. 2020): mean of 0..L propagations over the normalised user-item graph."""

    name = "LightGCN"

    def __init__(self, layers: int = 2, **kw):
        super().__init__(**kw)
        self.layers = layers

    def _prepare(self, X) -> None:
        import scipy.sparse as sp
        import torch

        n_users, n_items = X.shape
        A = sp.bmat([[None, X], [X.T, None]]).tocsr().astype(np.float32)
        d = np.asarray(A.sum(1)).ravel()
        dinv = np.where(d > 0, 1.0 / np.sqrt(np.maximum(d, 1e-12)), 0.0).astype(np.float32)
        A = sp.diags(dinv) @ A @ sp.diags(dinv)
        A = A.tocoo()
        idx = torch.from_numpy(np.vstack([A.row, A.col]).astype(np.int64))
        self._A = torch.sparse_coo_tensor(idx, torch.from_numpy(A.data), A.shape, check_invariants=False).coalesce()
        self._n_users = n_users

    def _embeddings(self, U, I):
        import torch

        E = torch.cat([U, I], 0)
        acc = E
        for _ in range(self.layers):
            E = self._A @ E
            acc = acc + E
        acc = acc / (self.layers + 1)
        return acc[: self._n_users], acc[self._n_users :]
