"""Baseline recommenders in the shared contract: Pop, ItemKNN, EASE, BPR-MF, LightGCN.

What it does: fits each model on binary training positives and scores full item rows.
Pop/ItemKNN/EASE are history-based (a profile is scored exactly like a training user);
BPR-MF and LightGCN learn user embeddings and score a profile by folding it in
(mean of the liked item embeddings minus the disliked ones).
What it does not do: tune hyper-parameters (RecBole defaults unless noted) or use a GPU.
BPR-MF/LightGCN train with a wall-clock budget (`time_budget_s`) so CPU runs stay bounded;
the epochs actually run are recorded in `self.epochs_run`.
"""

from __future__ import annotations

import time

import numpy as np

from .base import Recommender


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


def ease_matrix(X, lam: float) -> np.ndarray:
    """EASE item-item weights B (n_items, n_items), zero diagonal (Steck 2019)."""
    G = (X.T @ X).toarray().astype(np.float64)
    G[np.diag_indices_from(G)] += lam
    P = np.linalg.inv(G)
    B = -P / np.diag(P)[None, :]
    np.fill_diagonal(B, 0.0)
    return B.astype(np.float32)


class EASE(Recommender):
    """Embarrassingly shallow autoencoder, closed form; RecBole's ML-1M setting lambda=300."""

    name = "EASE"

    def __init__(self, lam: float = 300.0):
        super().__init__()
        self.lam = lam

    def _fit(self, X) -> None:
        self.B = ease_matrix(X, self.lam)

    def _score_history(self, H) -> np.ndarray:
        return np.asarray(H @ self.B, np.float32)


class _EmbeddingModel(Recommender):
    """Shared BPR training loop for BPR-MF and LightGCN (uniform negative sampling)."""

    def __init__(self, dim: int = 64, lr: float = 1e-3, batch: int = 2048, epochs: int = 50,
                 reg: float = 1e-5, time_budget_s: float | None = None, seed: int = 0, progress: bool = False):
        super().__init__()
        self.dim, self.lr, self.batch, self.epochs, self.reg = dim, lr, batch, epochs, reg
        self.time_budget_s, self.seed, self.progress = time_budget_s, seed, progress
        self.epochs_run = 0

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
        t0 = time.perf_counter()
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=self.epochs, desc=f"{self.name} epochs", leave=False)
        for ep in range(self.epochs):
            perm = rng.permutation(len(us))
            for s in range(0, len(perm), self.batch):
                b = perm[s : s + self.batch]
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
            if self.time_budget_s is not None and time.perf_counter() - t0 > self.time_budget_s:
                break
        if bar is not None:
            bar.close()
        with torch.no_grad():
            Uf, If = self._embeddings(U, I)
            self.user_emb = Uf.numpy().astype(np.float32)  # (n_users, dim)
            self.item_emb = If.numpy().astype(np.float32)  # (n_items, dim)
        self.train_seconds = time.perf_counter() - t0

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
        self._A = torch.sparse_coo_tensor(np.vstack([A.row, A.col]), A.data, A.shape).coalesce().to_sparse_csr()
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
