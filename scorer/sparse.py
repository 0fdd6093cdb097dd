"""The fusion scorer for large catalogs: candidates first, then the fusion over the candidates only.

What it does: the contract of scorer.fusion.FusionScorer - `fit`, `recommend(profile, k, candidates)`,
`explain` (per-signal contributions that sum to the score), the liked-item shares of scorer.attribution,
`save` / `load` - with no (n_items, n_items) matrix and no full-catalog feature pass, so it fits at 1M
items. `recassist train` picks it above scorer.train.DENSE_MAX_ITEMS items (docs/results/scale_1m.md).

  candidates  the ids the caller passes (the tools' filtered retrieval), else about `n_candidates` made for
              the history (`generate`): the best by iALS (one (n_items, d) product), the liked items' sparse
              neighbours, items that carry a stated entity, and the most popular items
  signals     computed at the candidates only, for one liked-item history h (catalog rows):
    collaborative_mf   iALS fold-in u . v_i (Hu et al. 2008), item factors V (n_items, d)
    collaborative_knn  sum_{j in h} S[j, i]; S = sparse ItemKNN (`sparse_item_knn`): cosine, the top `knn`
                       neighbours of each item, CSR with <= knn entries a row
    popularity         log training popularity (global z-score)
    text, text_attention, kg, kg_entities, kg_paths   as in FusionScorer, evaluated at the candidates
                       (kg_paths = log1p(h E_path E_path[i]^T) from the sparse item->entity table)
  scale       every history-dependent signal is z-scored with its mean and std over a fixed uniform sample of
              `n_reference` catalog items: an unbiased estimate of FusionScorer's catalog-wide z-score, the
              same for generated candidates, a caller's candidates, training and serving
Training is FusionScorer's (same per-signal net, losses and monitor choice) on up to `max_train_users` users,
each a list of held-out targets + generated candidates + uniform negatives weighted for the rest of the
catalog; monitor users rank their generated candidates, as at serving time.
Left out against the dense path: EASE (a dense n x n inverse), UserKNN and the TransE kg_embedding signal.
What it does not do: retrieve by text or filters (retrieval.index) or verify KG paths (kg.paths).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from catalog.types import CatalogError
from .base import Profile
from .baselines import IALS
from .fusion import FusionConfig, FusionScorer

SPARSE_FORMAT = 1


@dataclass
class SparseConfig(FusionConfig):
    use_user_knn: bool = False  # UserKNN reads every training user per history: left out at scale
    use_kg_embedding: bool = False  # TransE over millions of triples: left out at scale
    mf_dim: int = 64
    mf_reg: float = 3.0  # chosen on ML-100K seed 0 validation-free runs: iALS alone NDCG@10 .269 vs .242 at reg 10
    n_candidates: int = 500  # generated candidates per history when the caller passes none
    n_reference: int = 2048  # catalog items whose signal mean / std scale every history's signals
    knn_max_history: int = 200  # ItemKNN co-occurrences: longer histories are sampled down to this
    max_train_users: int = 5000  # users whose candidate lists train the fusion net


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k largest finite scores (unordered)."""
    if k >= len(scores):
        return np.flatnonzero(np.isfinite(scores))
    return np.argpartition(-scores, k)[:k]


def sparse_item_knn(X, k: int = 100, max_history: int = 200, seed: int = 0, budget: int = 20_000_000):
    """(n_items, n_items) float32 CSR: row j holds the k items most cosine-similar to item j (co-occurrence
    over the users of X (n_users, n_items) CSR), zero diagonal. Histories longer than `max_history` are
    sampled down to it, so the work is at most n_users * max_history^2; items are processed in blocks of
    about `budget` co-occurrence products."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    X = X.tocsr().astype(np.float32)
    lens = np.diff(X.indptr)
    if (lens > max_history).any():
        keep = np.ones(X.nnz, bool)
        for u in np.flatnonzero(lens > max_history):
            lo = X.indptr[u]
            drop = rng.choice(lens[u], size=lens[u] - max_history, replace=False)
            keep[lo + drop] = False
        rows = np.repeat(np.arange(X.shape[0]), lens)[keep]
        X = sp.csr_matrix((np.ones(int(keep.sum()), np.float32), (rows, X.indices[keep])), shape=X.shape)
    X.data[:] = 1.0
    n = X.shape[1]
    Xt = X.T.tocsr()  # (n_items, n_users)
    deg = np.sqrt(np.diff(Xt.indptr).astype(np.float32))  # (n_items,) |column| of each item
    cost = Xt @ np.diff(X.indptr).astype(np.float64)  # (n_items,) products item j's block row needs
    counts = np.zeros(n, np.int64)  # neighbours kept per row
    out_cols, out_vals = [], []  # per block, row-major: (kept,) int32 columns and float32 values
    start = 0
    while start < n:
        stop = start + max(1, int(np.searchsorted(np.cumsum(cost[start:]), budget)))
        C = (Xt[start:stop] @ X).tocoo()  # (block, n_items) co-occurrence counts
        r, c = C.row + start, C.col
        keep = r != c
        r, c, v = r[keep], c[keep], C.data[keep] / (deg[r[keep]] * deg[c[keep]] + 1e-8)
        order = np.lexsort((-v, r))  # per row, best first
        r, c, v = r[order], c[order], v[order]
        first = np.searchsorted(r, r, side="left")  # index of each row's first entry
        keep = (np.arange(len(r)) - first) < k
        counts += np.bincount(r[keep], minlength=n)
        out_cols.append(c[keep].astype(np.int32)); out_vals.append(v[keep].astype(np.float32))
        start = stop
    indptr = np.r_[0, np.cumsum(counts)]
    cat = (lambda parts, dt: np.concatenate(parts) if parts else np.zeros(0, dt))
    return sp.csr_matrix((cat(out_vals, np.float32), cat(out_cols, np.int32), indptr), shape=(n, n))


class SparseFusionScorer(FusionScorer):
    name = "Fusion (sparse)"
    DISLIKE_SIGNALS = ("collaborative_mf", "text")
    START_SIGNALS = ("collaborative_mf", "collaborative_knn")
    FORMAT = SPARSE_FORMAT
    CONFIG = SparseConfig
    PATH = "sparse"

    def __init__(self, item_vectors: np.ndarray | None, kg, config: SparseConfig | None = None):
        super().__init__(item_vectors, kg, config or SparseConfig())

    @property
    def learned_signals(self) -> list[str]:
        s = ["collaborative_mf", "collaborative_knn", "popularity"]
        if self.config.use_text:
            s += ["text", "text_attention"]
        if self.config.use_kg:
            s += ["kg", "kg_entities"] + (["kg_paths"] if self.config.use_kg_paths else [])
        return s

    # -- tables -------------------------------------------------------------------
    def _triples(self, catalog):
        from .kg_embedding import catalog_triples

        return catalog_triples(catalog)  # the KG's content triples without loading the graph

    def _prepare_static(self, catalog) -> None:
        n = len(catalog)
        if self.config.use_text:
            self._prepare_text(n)
        if self.config.use_kg:
            E = self._prepare_kg(catalog)
            self.path_self = np.asarray(E.multiply(E).sum(1)).ravel()  # (n_items,) an item's paths to itself
        rng = np.random.default_rng(self.config.seed + 5)
        self.ref_rows = np.sort(rng.choice(n, size=min(n, self.config.n_reference), replace=False))  # (n_ref,)

    def _fit_interactions(self, X) -> None:
        cfg = self.config
        self.mf = IALS(cfg.mf_dim, cfg.mf_alpha0, cfg.mf_reg, cfg.mf_epochs, cfg.seed)
        self.mf._fit(X)
        self.S_knn = sparse_item_knn(X, cfg.knn, cfg.knn_max_history, cfg.seed)  # (n_items, n_items) CSR
        self._set_popularity(np.asarray(X.sum(0)).ravel())

    def _set_popularity(self, counts: np.ndarray) -> None:
        self._popular = None
        lp = np.log1p(counts)
        self.pop_z = ((lp - lp.mean()) / max(lp.std(), 1e-9)).astype(np.float32)  # (n_items,)

    @property
    def popular_rows(self) -> np.ndarray:
        if getattr(self, "_popular", None) is None:
            self._popular = np.argsort(-self.pop_z, kind="stable")[: self.config.n_candidates]
        return self._popular

    def warm_up(self) -> None:
        """Build the tables the first recommendation would: the float64 factors and Gram matrix that fold in
        a history (~0.5 GB at 1M items) and the popular rows. Called by assistant.build.warm_up."""
        self._check_fitted()
        self.mf._folding()
        _ = self.popular_rows

    # -- one history ----------------------------------------------------------------
    def history(self, hist: np.ndarray, stated: list[int] | None = None) -> dict:
        """What the signals need from one liked-item history (catalog rows), computed once."""
        hist = np.asarray(hist, np.int64)
        V, G = self.mf._folding()  # (n_items, d) float64, (d, d)
        Vh = V[hist]
        u = np.linalg.solve(G + Vh.T @ Vh, Vh.sum(0)) if len(hist) else np.zeros(V.shape[1])  # (d,)
        h = {"hist": hist, "stated": list(stated or []), "u": u}
        if self.config.use_text and len(hist):
            p = self.T[hist].sum(0)
            h["text"] = p / max(float(np.linalg.norm(p)), 1e-9)  # (384,)
        if self.config.use_kg and len(hist):
            pk = np.asarray(self.E_w[hist].sum(0)).ravel()
            h["kg"] = pk / max(float(np.linalg.norm(pk)), 1e-9)  # (n_entities,)
            h["paths"] = np.asarray(self.E_path[hist].sum(0)).ravel()  # (n_entities,)
        return h

    def _raw(self, name: str, h: dict, rows: np.ndarray) -> np.ndarray:
        """One signal's raw value at `rows` for history h: (len(rows),)."""
        hist = h["hist"]
        if name == "popularity":
            return self.pop_z[rows]
        if name == "kg_entities":
            return np.asarray(self.E_bin[rows][:, h["stated"]].sum(1)).ravel() if h["stated"] else np.zeros(len(rows))
        if len(hist) == 0:
            return np.zeros(len(rows))
        if name == "collaborative_mf":
            return self.mf.V[rows] @ h["u"]
        if name == "collaborative_knn":
            return np.asarray(self.S_knn[hist][:, rows].sum(0)).ravel()
        if name == "text":
            return self.T[rows] @ h["text"]
        if name == "text_attention":
            S = self.T[hist] @ self.T[rows].T  # (n_hist, len(rows)) cosine
            A = np.exp((S - S.max(0, keepdims=True)) / self.config.tau)
            return (A * S).sum(0) / A.sum(0)
        if name == "kg":
            return self.E_n[rows] @ h["kg"]
        if name == "kg_paths":  # a liked item is not its own path
            return np.log1p(np.maximum(self.E_path[rows] @ h["paths"] - self.path_self[rows] * np.isin(rows, hist), 0.0))
        raise ValueError(name)

    def features_at(self, h: dict, rows: np.ndarray) -> np.ndarray:
        """(len(rows), n_learned) features: raw signals z-scored against the reference items."""
        both = np.concatenate([np.asarray(rows, np.int64), self.ref_rows])
        out = np.zeros((len(rows), len(self.learned_signals)), np.float32)
        for c, name in enumerate(self.learned_signals):
            raw = np.asarray(self._raw(name, h, both), np.float64)
            if name in ("popularity", "kg_entities"):
                out[:, c] = raw[: len(rows)]
                continue
            ref = raw[len(rows):]
            sd = ref.std()
            out[:, c] = (raw[: len(rows)] - ref.mean()) / sd if sd > 1e-9 else 0.0
        return out

    def generate(self, h: dict, n: int | None = None) -> np.ndarray:
        """About n candidate rows for history h, its liked items left out (sorted)."""
        n = n or self.config.n_candidates
        parts = [self.popular_rows[: max(20, n // 25)]]
        if len(h["hist"]):
            parts.append(_top(self.mf.V @ h["u"].astype(np.float32), n))
            nb = np.asarray(self.S_knn[h["hist"]].sum(0)).ravel()
            parts.append(_top(np.where(nb > 0, nb, -np.inf), n // 4))
        else:
            parts.append(self.popular_rows[:n])
        if h["stated"]:
            having = np.unique(self.E_bin_csc[:, h["stated"]].indices)
            parts.append(having[_top(self.pop_z[having], n // 2)])
        return np.setdiff1d(np.concatenate(parts), h["hist"])

    def _terms_at(self, h: dict, rows: np.ndarray, disliked: dict | None = None) -> np.ndarray:
        """(len(rows), n_signals) contributions at `rows`; they sum to the score."""
        self._check_fitted()
        F = self.features_at(h, rows)[None]  # (1, m, S)
        Fd = self.features_at(disliked, rows)[None] if disliked is not None else None
        hs = np.array([np.log1p(len(h["hist"])) - self.history_log_mean], np.float32)
        return self._fuse(F, hs, Fd)[0]

    def _profile_histories(self, profile: Profile) -> tuple[dict, dict | None]:
        stated = [self.entity_index[e] for e in profile.entities if e in getattr(self, "entity_index", {})]
        dis = self.profile_rows(profile, ("disliked",))
        return (self.history(self.profile_rows(profile, ("liked",)), stated),
                self.history(dis) if len(dis) else None)

    def _scores(self, h: dict, disliked: dict | None = None, rows: np.ndarray | None = None) -> np.ndarray:
        """(n_items,) scores: fused at `rows` (default: the generated candidates and the liked items, which
        `recommend` drops unless exclude_seen=False), -inf elsewhere (never recommended)."""
        rows = np.union1d(self.generate(h), h["hist"]) if rows is None else rows
        out = np.full(len(self.catalog), -np.inf, np.float32)
        if len(rows):
            out[rows] = self._terms_at(h, rows, disliked).sum(-1)
        return out

    # -- the recommender contract ----------------------------------------------------
    def recommend(self, user_or_profile, k: int = 10, candidates: list[str] | None = None,
                  exclude_seen: bool = True) -> tuple[list[str], np.ndarray]:
        """As Recommender.recommend; with `candidates` only those are scored (no generation)."""
        if not isinstance(user_or_profile, Profile) or candidates is None:
            return super().recommend(user_or_profile, k, candidates, exclude_seen)
        self._check_fitted()
        if k <= 0:
            return [], np.zeros(0, np.float32)
        rows = np.unique([self.catalog.index(c) for c in candidates if c in self.catalog]).astype(np.int64)
        h, d = self._profile_histories(user_or_profile)
        scores = self._scores(h, d, rows)
        return self._top_k(scores, self.profile_rows(user_or_profile, ("liked", "disliked", "seen")), k, candidates,
                           exclude_seen)

    def score_profile(self, profile: Profile) -> np.ndarray:
        self._check_fitted()
        return self._scores(*self._profile_histories(profile))

    def score_users(self, rows: np.ndarray) -> np.ndarray:
        X = self.train_csr
        return np.stack([self._scores(self.history(X.indices[X.indptr[r] : X.indptr[r + 1]])) for r in np.asarray(rows)])

    def _score_history(self, H) -> np.ndarray:
        H = H.tocsr()
        liked = [self._row(H, r)[H.data[H.indptr[r] : H.indptr[r + 1]] > 0] for r in range(H.shape[0])]
        return np.stack([self._scores(self.history(h)) for h in liked])

    def profile_terms(self, profile: Profile):
        raise NotImplementedError("the sparse scorer has no full-catalog terms; use explain(profile, item_ids)")

    def explain(self, profile: Profile, item_ids: list[str]) -> list[dict[str, float]]:
        self._check_fitted()
        h, d = self._profile_histories(profile)
        terms = self._terms_at(h, self._rows(item_ids), d)
        return [{s: float(v) for s, v in zip(self.signal_names, t)} for t in terms]

    def _rows(self, item_ids: list[str]) -> np.ndarray:
        for iid in item_ids:
            if iid not in self.catalog:
                raise CatalogError(f"unknown item id {iid!r}")
        return np.asarray([self.catalog.index(i) for i in item_ids], np.int64)

    def attribution_inputs(self, profile: Profile, item_ids: list[str]):
        """For scorer.attribution: (terms (n_sel, n_signals), liked rows (n_hist,), {signal: (n_hist, n_sel)}
        each liked item's raw part of the signal at the items, centred on its mean over the reference items
        (raw for kg_paths, whose log is not linear))."""
        rows = self._rows(item_ids)
        h, d = self._profile_histories(profile)
        terms = self._terms_at(h, rows, d)
        hist = h["hist"]
        if not len(hist):
            return terms, hist, {}
        both = np.concatenate([rows, self.ref_rows])
        V, G = self.mf._folding()
        Vh = V[hist]
        parts = {"collaborative_mf": (V[both] @ np.linalg.solve(G + Vh.T @ Vh, Vh.T)).T,  # v_i^T A^-1 v_j
                 "collaborative_knn": self.S_knn[hist][:, both].toarray()}
        if self.config.use_text:
            S = self.T[hist] @ self.T[both].T  # (n_hist, m) cosine
            parts["text"] = S / max(float(np.linalg.norm(self.T[hist].sum(0))), 1e-9)
            A = np.exp((S - S.max(0, keepdims=True)) / self.config.tau)
            parts["text_attention"] = A * S / A.sum(0, keepdims=True)
        if self.config.use_kg:
            Wh = self.E_w[hist]
            parts["kg"] = (Wh @ self.E_n[both].T).toarray() / max(float(np.linalg.norm(np.asarray(Wh.sum(0)))), 1e-9)
            if self.config.use_kg_paths:
                P = (self.E_path[hist] @ self.E_path[both].T).toarray()
                P[both[None, :] == hist[:, None]] = 0.0  # a liked item is not its own path
                parts["kg_paths"] = P
        m = len(rows)
        out = {s: (R[:, :m] if s == "kg_paths" else R[:, :m] - R[:, m:].mean(1, keepdims=True)) for s, R in parts.items()}
        return terms, hist, out

    # -- training -------------------------------------------------------------------
    def _train_net(self, Xh, Y, progress: bool) -> None:
        """FusionScorer's training on candidate lists built from generated candidates (see the module doc)."""
        import torch

        rng = np.random.default_rng(self.config.seed)
        split = self._split_users(Xh, Y, rng, cap=self.config.max_train_users)
        if split is None:
            return
        _, mon, fit = split
        t0 = time.perf_counter()
        lists = [self._training_list(Xh, Y, int(u), rng) for u in fit]
        data = tuple(torch.from_numpy(np.stack([x[i] for x in lists])) for i in range(4))
        del lists
        monitor = self._monitor_lists(Xh, Y, mon) if len(mon) else None
        feat_s = time.perf_counter() - t0
        self._fit_losses(data, monitor, rng, progress)
        self.train_seconds = {"features": feat_s, "total": time.perf_counter() - t0}

    def _row(self, M, u: int) -> np.ndarray:
        return M.indices[M.indptr[u] : M.indptr[u + 1]]

    def _training_list(self, Xh, Y, u: int, rng):
        """One user's list: (F (C, S), weight (C,), is_target (C,), log history size ()) with
        C = max_targets + train_pool + train_random; weight 0 pads."""
        import scipy.sparse as sp

        cfg = self.config
        n = len(self.catalog)
        P, K, R = cfg.max_targets, cfg.train_pool, cfg.train_random
        hist = self._row(Xh, u)
        if cfg.short_profiles > 0 and rng.random() < cfg.short_profiles:  # cold start: 0-5 random history items
            hist = np.sort(rng.choice(hist, size=min(int(rng.choice([0, 1, 2, 3, 5])), len(hist)), replace=False))
        stated = []
        if cfg.use_kg and len(hist):
            H = sp.csr_matrix((np.ones(len(hist), np.float32), hist, [0, len(hist)]), shape=(1, n))
            stated = self._simulated_stated(H, rng)[0]
        h = self.history(hist, stated)
        masked = np.zeros(n, bool); masked[self._row(Xh, u)] = True
        tg = self._row(Y, u)
        tg = rng.permutation(tg[~masked[tg]])[:P]
        masked[tg] = True
        pool = self.generate(h, K)
        pool = pool[~masked[pool]][:K]
        masked[pool] = True
        rnd = rng.choice(n, size=min(n, 2 * R), replace=False)
        rnd = rnd[~masked[rnd]][:R]
        rest = n - int(masked.sum())
        F = np.zeros((P + K + R, len(self.learned_signals)), np.float32)
        w = np.zeros(P + K + R, np.float32); t = np.zeros(P + K + R, bool)
        at = np.r_[0:len(tg), P:P + len(pool), P + K:P + K + len(rnd)]  # (m,) list slots in use
        F[at] = self.features_at(h, np.concatenate([tg, pool, rnd]))
        w[at] = np.r_[np.ones(len(tg) + len(pool)), np.full(len(rnd), rest / max(len(rnd), 1))]
        t[: len(tg)] = True
        return F, w, t, np.float32(np.log1p(len(hist)) - self.history_log_mean)

    def _monitor_lists(self, Xh, Y, mon: np.ndarray):
        """Monitor users as served: their generated candidates (padded), which are targets, how many targets."""
        import torch

        feats, targets, n_t = [], [], []
        for u in mon:
            h = self.history(self._row(Xh, int(u)))
            rows = self.generate(h)
            tg = self._row(Y, int(u))
            feats.append(self.features_at(h, rows)); targets.append(np.isin(rows, tg)); n_t.append(len(tg))
        C = max(len(f) for f in feats)
        F = np.zeros((len(mon), C, len(self.learned_signals)), np.float32)
        valid = np.zeros((len(mon), C), bool); is_t = np.zeros((len(mon), C), bool)
        for j, (f, tg) in enumerate(zip(feats, targets)):
            F[j, : len(f)] = f; valid[j, : len(f)] = True; is_t[j, : len(f)] = tg
        hs = (np.log1p(np.diff(Xh.indptr)[mon]) - self.history_log_mean).astype(np.float32)
        return (torch.from_numpy(F), torch.from_numpy(hs), torch.from_numpy(valid), torch.from_numpy(is_t),
                torch.as_tensor(n_t))

    def _monitor_ndcg(self, F, hs, valid, is_target, n_targets) -> float:
        """NDCG@10 of the current net over the monitor users' generated candidates (a target not generated is a miss)."""
        import torch

        with torch.no_grad():
            logits = self.net.terms(F, hs).sum(-1).masked_fill(~valid, -float("inf"))  # (m, C)
            top = logits.topk(min(10, logits.shape[1]), dim=1).indices
            hit = is_target.gather(1, top).float()
            disc = 1.0 / torch.log2(torch.arange(2, top.shape[1] + 2, dtype=torch.float32))
            idcg = torch.cumsum(disc, 0)[(n_targets.clamp(min=1, max=top.shape[1]) - 1)]
            return float(((hit * disc).sum(1) / idcg).mean())

    # -- persistence ----------------------------------------------------------------
    def _save_meta(self) -> dict:
        return {}

    def _save_arrays(self) -> dict[str, np.ndarray]:
        S = self.S_knn
        return {"S_data": S.data, "S_indices": S.indices, "S_indptr": S.indptr}

    def _restore(self, arr) -> None:
        import scipy.sparse as sp

        n = len(self.catalog)
        self.S_knn = sp.csr_matrix((arr["S_data"], arr["S_indices"], arr["S_indptr"]), shape=(n, n))
