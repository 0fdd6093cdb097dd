"""The trained fusion scorer: r_ui = sum_s c_s(u) * g_s(f_s(u, i)), one term per signal.

What it does: scores every catalog item for a user described ONLY by a history/profile
(liked items, disliked items, stated KG entities) - a training user and a chat profile go
through the same function, so cold start needs no user id. Signals f_s (per-user z-scored
over the catalog so scales are comparable across users):
  collaborative   EASE score of the liked-item vector (fit on training positives; Gram matrix
                  rows weighted by |u|^-ease_user_weight)
  collaborative_mf   iALS score of the history folded into the item factors (low-rank view)
  collaborative_user UserKNN score: items of the 100 training users most similar to the history
                  (a training user is never its own neighbour)
  collaborative_knn  ItemKNN (cosine, top-100 neighbours) score of the liked-item vector
  text            cosine between the mean liked-item text vector and the item (MiniLM, 384-d)
  text_attention  attention over the history: sum_j softmax_j(cos(i, j) / tau) * cos(i, j)
  kg              cosine between the profile's entity vector (IDF x relation weight over the
                  KG's item->entity edges; user "rated" edges are never used) and the item's
  kg_entities     number of the user's stated entities (e.g. "person:Ridley Scott") the item has
  kg_embedding    cosine between the mean TransE vector of the liked items (plus the item-space
                  image t - r of each stated entity) and the item's (scorer.kg_embedding; trained
                  on the same item->entity triples, never on "rated" edges); 0 for items without
                  KG entities
  kg_paths        log1p of the summed scores of all 2-hop KG paths liked item -> entity -> item
                  (score = product of kg.graph.RELATION_WEIGHTS, as in kg.paths.find_paths, so an
                  explanation can cite one of the paths counted); a liked item is not its own path
  popularity      log training popularity (global z-score)
  disliked        minus half the collaborative + text terms computed from the disliked items
  baseline        the score of an average item (all features 0) for this user; the same for every item
Each g_s is a tiny 1->h->1 MLP plus a linear part and c_s(u) a softplus gate on the history
size, so the score is an exact sum of per-signal contributions (`explain`), each measured against an
average item, plus the per-user constant "baseline". Weights are learnt with a ranking loss on
held-out interactions (the protocol's validation split, or an internal per-user holdout of the
training data); the test split is never seen. Two losses are trained from the same start (the
collaborative signal alone) and the one whose weights score best on a monitor share of the
held-out users is kept: the full softmax, and a smooth NDCG@10 (ApproxNDCG, Qin et al. 2010, with a
soft cut at rank 10) - the softmax spends its gradient on positives ranked in the hundreds, the
NDCG loss refines the head; which wins differs by dataset and by seed (docs/results/PROTOCOL.md).
Training users are represented by candidate lists (`_candidates`), monitor users by the full catalog.
Ablations: use_kg=False drops all four KG signals; shuffle_kg=True permutes which item owns which
KG triples before any of them (or the TransE embedding) is computed.
What it does not do: learn user-id embeddings, call the LLM, or verify KG paths (kg.paths).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from catalog.types import Catalog, CatalogError, Interactions
from .base import Profile, Recommender, ScorerError, binary_csr
from .baselines import IALS, ItemKNN, UserKNN, ease_matrix
from .kg_embedding import KGEmbedding, KGTriples, kg_triples, train_triples

FORMAT_VERSION = 3  # 3: collaborative_mf (iALS) + collaborative_user (UserKNN) signals
COLLABORATIVE = ("collaborative", "collaborative_mf", "collaborative_user", "collaborative_knn")
KG_SIGNALS = ("kg", "kg_entities", "kg_embedding", "kg_paths")  # every signal that reads the KG


@dataclass
class FusionConfig:
    ease_lambda: float = 500.0
    ease_user_weight: float = 0.5  # Gram-matrix row weight |u|^-w of the EASE signal (0 = plain EASE)
    use_mf: bool = True  # the collaborative_mf (iALS) signal
    use_user_knn: bool = True  # the collaborative_user (UserKNN) signal
    mf_dim: int = 128
    mf_alpha0: float = 0.1
    mf_reg: float = 10.0
    mf_epochs: int = 8
    user_knn: int = 100
    hidden: int = 8  # hidden units of each per-signal MLP
    loss: str = "auto"  # "ndcg" (smooth NDCG@10), "softmax" (cross-entropy), or "auto": train both, keep the better on the monitor users
    steps: int = 300  # Adam steps per loss, each on `batch_users` candidate lists
    lr: float = 0.03
    batch_users: int = 64
    monitor: float = 0.1  # share of held-out users kept aside to pick the best step (0 = last step)
    max_targets: int = 64  # training candidate lists: up to this many targets per user,
    train_pool: int = 256  # + this many best other items by the collaborative signal,
    train_random: int = 64  # + this many uniform other items (weighted for the rest of the catalog)
    eval_every: int = 25
    knn: int = 100  # neighbours of the ItemKNN collaborative signal
    tau: float = 0.1  # temperature of the attention over history items
    use_text: bool = True
    use_kg: bool = True  # False drops every KG signal (KG_SIGNALS)
    use_kg_embedding: bool = True  # the kg_embedding signal (TransE; needs use_kg)
    use_kg_paths: bool = True  # the kg_paths signal (needs use_kg)
    kg_dim: int = 64  # TransE dimension
    kg_epochs: int = 25  # TransE epochs over the item->entity triples
    shuffle_kg: bool = False  # ablation: permute which item owns which KG entity edges
    stated_prob: float = 0.5  # share of training users given simulated stated entities
    holdout: float = 0.1  # per-user holdout of train positives when fit() gets no validation split
    dislike_scale: float = 0.5
    short_profiles: float = 0.0  # share of training users whose history is cut to 0-5 random items (cold start)
    seed: int = 0

    @classmethod
    def preset(cls, name: str, **kw) -> "FusionConfig":
        base = {"small": dict(steps=150, short_profiles=0.25), "full": dict(steps=300)}
        if name not in base:
            raise ScorerError(f"unknown config {name!r}; use small or full")
        return cls(**{**base[name], **kw})


def _zscore(x: np.ndarray) -> np.ndarray:
    """Row-wise z-score of (b, n) features; constant rows become 0."""
    m = x.mean(1, keepdims=True)
    s = x.std(1, keepdims=True)
    return np.where(s > 1e-9, (x - m) / np.maximum(s, 1e-9), 0.0).astype(np.float32)


def kg_item_entities(triples: KGTriples):
    """Item->entity matrices from the KG's content triples (user 'rated' edges are not among them).

    Returns (E_bin, E_rel, E_path), each (n_items, n_entities) float32 CSR: 1 where the item has the
    entity; the largest relation weight over the item-entity edges; the sum of those weights (an
    item that both directed and wrote via one person has two 2-hop paths through them, as in kg.paths).
    """
    import scipy.sparse as sp

    shape = (triples.n_items, max(len(triples.entity_ids), 1))
    w = triples.relation_weights()  # (m,)
    E_path = sp.csr_matrix((w, (triples.items, triples.ents)), shape=shape)  # duplicate pairs summed
    key = triples.items * shape[1] + triples.ents  # (m,) one key per (item, entity) pair
    order = np.lexsort((-w, key))  # per pair, the heaviest relation first
    o = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(w) else order
    E_rel = sp.csr_matrix((w[o], (triples.items[o], triples.ents[o])), shape=shape)
    E_bin = E_rel.copy(); E_bin.data[:] = 1.0
    return E_bin, E_rel, E_path


def ranking_loss(logits, weight, target, kind: str = "ndcg", k: int = 10, temperature: float = 1.0):
    """Mean ranking loss over a batch of candidate lists (see FusionScorer._candidates).

    logits (b, C); weight (b, C): how many catalog items each candidate stands for (0 = padding);
    target (b, C) bool. "softmax": -mean log softmax of each target, the normaliser summed with the
    weights. "ndcg": minus a smooth NDCG@k (ApproxNDCG): a target's rank is
    1 + sum_j weight_j * sigmoid((s_j - s_t) / T) over the other candidates, its gain
    1/log2(1 + rank) is cut softly at rank k (a sigmoid two ranks wide), and the sum is divided by
    the ideal DCG@k. Lists without targets are skipped."""
    import torch

    keep = target.any(1)
    logits, weight, target = logits[keep], weight[keep], target[keep]
    if logits.shape[0] == 0:
        return logits.sum() * 0.0
    n_t = target.sum(1)  # (b,)
    if kind == "softmax":
        lse = torch.logsumexp(logits + torch.log(weight.clamp(min=1e-30)), 1)  # (b,)
        return -(torch.where(target, logits - lse[:, None], torch.zeros_like(logits)).sum(1) / n_t).mean()
    if kind != "ndcg":
        raise ScorerError(f"unknown loss {kind!r}; use ndcg or softmax")
    P = int(target.sum(1).max())  # targets sit in the first columns (padded)
    st = logits[:, :P]  # (b, P)
    diff = (logits[:, None, :] - st[:, :, None]) / temperature  # (b, P, C)
    rank = 1.0 + (torch.sigmoid(diff) * weight[:, None, :]).sum(-1) - 0.5  # minus the self term sigmoid(0)
    gain = torch.sigmoid((k + 0.5 - rank) / 2.0) / torch.log2(1.0 + rank)  # (b, P)
    disc = 1.0 / torch.log2(torch.arange(2, k + 2, dtype=logits.dtype))  # (k,)
    idcg = torch.cumsum(disc, 0)[(n_t.clamp(max=k) - 1)]  # (b,)
    return -((gain * target[:, :P]).sum(1) / idcg).mean()


class FeatureCache:
    """Signal columns for every training user, computed once and shared by the variants of one
    experiment (full model and ablations fitted on the same split): {key: (n_users, n_items)}.
    Only valid for scorers fitted on the same training interactions."""

    def __init__(self):
        self.columns: dict[str, np.ndarray] = {}
        self.kg_embeddings: dict[tuple, KGEmbedding] = {}  # TransE fits, keyed by what they depend on


class _Net:
    """Per-signal MLPs + history-size gates (torch module built lazily)."""

    @staticmethod
    def build(n_signals: int, hidden: int, seed: int, init_lin=None):
        import torch

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                g = torch.Generator().manual_seed(seed)
                lin = torch.full((n_signals,), 0.5) if init_lin is None else torch.as_tensor(init_lin, dtype=torch.float32)
                self.lin = torch.nn.Parameter(lin.clone())
                self.w1 = torch.nn.Parameter(torch.randn(n_signals, hidden, generator=g) * 0.5)
                self.b1 = torch.nn.Parameter(torch.randn(n_signals, hidden, generator=g) * 0.5)
                self.w2 = torch.nn.Parameter(torch.zeros(n_signals, hidden))
                self.gate_a = torch.nn.Parameter(torch.zeros(n_signals))
                self.gate_b = torch.nn.Parameter(torch.zeros(n_signals))

            def shape_fn(self, F):  # F (..., S) -> g_s(F_s) (..., S)
                h = torch.tanh(F[..., None] * self.w1 + self.b1)  # (..., S, H)
                return F * self.lin + (h * self.w2).sum(-1)

            def gate(self, hsize):  # hsize (B,) log history size, centred -> (B, S)
                sp = torch.nn.functional.softplus
                return sp(self.gate_a + self.gate_b * hsize[:, None]) / np.log(2.0)

            def terms(self, F, hsize):  # F (B, N, S) -> (B, N, S) contributions
                return self.shape_fn(F) * self.gate(hsize)[:, None, :]

        return Net()


class FusionScorer(Recommender):
    name = "Fusion"
    DISLIKE_SIGNALS = ("collaborative", "text")  # the terms a disliked item takes away (x dislike_scale)
    START_SIGNALS = ("collaborative",)  # training starts from these signals alone (linear weight 1)
    FORMAT = FORMAT_VERSION
    CONFIG = FusionConfig
    PATH = "dense"  # meta.json "path": which class loads the artifact (scorer.train.load_scorer)

    def __init__(self, item_vectors: np.ndarray | None, kg, config: FusionConfig | None = None):
        super().__init__()
        self.config = config or FusionConfig()
        self.item_vectors = item_vectors  # (n_items, 384) float32, L2-normalised, catalog order
        self.kg = kg
        self.net = None
        self.history_log_mean = 0.0
        self.train_log: list[dict] = []
        self.cache: "FeatureCache | None" = None
        self.extra_meta: dict = {}  # saved into meta.json (e.g. what data trained it)

    # -- signals ----------------------------------------------------------------
    @property
    def learned_signals(self) -> list[str]:
        s = ["collaborative"]
        s += ["collaborative_mf"] if self.config.use_mf else []
        s += ["collaborative_user"] if self.config.use_user_knn else []
        s += ["collaborative_knn", "popularity"]
        if self.config.use_text:
            s += ["text", "text_attention"]
        if self.config.use_kg:
            s += ["kg", "kg_entities"]
            s += ["kg_embedding"] if self.config.use_kg_embedding else []
            s += ["kg_paths"] if self.config.use_kg_paths else []
        return s

    @property
    def signal_names(self) -> list[str]:
        return self.learned_signals + ["disliked", "baseline"]

    def _prepare_static(self, catalog: Catalog) -> None:
        """Item-side tables that do not depend on interactions: text vectors, KG entity matrices,
        the 2-hop path matrix. (The TransE embedding is trained in `fit`, restored by `load`.)"""
        if self.config.use_text:
            self._prepare_text(len(catalog))
            self.TT = self.T @ self.T.T  # (n_items, n_items) text cosine, for history attention
        if self.config.use_kg:
            E_path = self._prepare_kg(catalog)
            if self.config.use_kg_paths:
                # (n_items, n_items) summed 2-hop path scores item -> entity -> item; an item is not its own path
                KP = np.asarray((E_path @ E_path.T).todense(), np.float32)
                np.fill_diagonal(KP, 0.0)
                self.KP = KP

    def _prepare_text(self, n: int) -> None:
        if self.item_vectors is None or self.item_vectors.shape[0] != n:
            raise ScorerError("item_vectors missing or not in catalog order; compute them with retrieval.embedders.item_embeddings")
        T = np.asarray(self.item_vectors, np.float32)
        self.T = T / np.maximum(np.linalg.norm(T, axis=1, keepdims=True), 1e-9)  # (n_items, d)
        self.item_vectors = self.T  # the raw vectors are not kept twice (1.5 GB each at 1M items)

    def _triples(self, catalog: Catalog) -> KGTriples:
        if self.kg is None:
            raise ScorerError("a KnowledgeGraph is required when use_kg=True; build it with `recassist kg build`")
        return kg_triples(self.kg, catalog)

    def _prepare_kg(self, catalog: Catalog):
        """The KG's item->entity tables (sparse, no n x n matrix); returns E_path (see kg_item_entities)."""
        import scipy.sparse as sp

        n = len(catalog)
        triples = self._triples(catalog)
        if self.config.shuffle_kg:  # every KG signal below (and TransE) sees the shuffled triples
            triples = triples.permute_items(np.random.default_rng(self.config.seed + 991).permutation(n))
        self.triples = triples
        E_bin, E_rel, E_path = kg_item_entities(triples)
        ents = triples.entity_ids
        df = np.asarray(E_bin.sum(0)).ravel()
        idf = np.log((n + 1) / (df + 1)).astype(np.float32)
        E_w = (E_rel @ sp.diags(idf)).tocsr()  # (n_items, n_ent) relation weight x IDF
        norms = np.sqrt(np.asarray(E_w.multiply(E_w).sum(1)).ravel())
        self.E_bin, self.E_w = E_bin.tocsr(), E_w
        self.E_bin_csc = E_bin.tocsc()
        self.E_n = (sp.diags(1.0 / np.maximum(norms, 1e-9)) @ E_w).tocsr()
        self.entity_ids = ents
        self.entity_index = {e: i for i, e in enumerate(ents)}
        self.idf = idf
        self.E_path = E_path.tocsr()
        return self.E_path

    def _fit_kg_embedding(self, progress: bool = False) -> None:
        """TransE on the (possibly shuffled) item->entity triples; shared through the FeatureCache."""
        cfg = self.config
        key = (cfg.shuffle_kg, cfg.seed, cfg.kg_dim, cfg.kg_epochs)
        emb = self.cache.kg_embeddings.get(key) if self.cache is not None else None
        if emb is None:
            emb = train_triples(self.triples, dim=cfg.kg_dim, epochs=cfg.kg_epochs, seed=cfg.seed, progress=progress)
            if self.cache is not None:
                self.cache.kg_embeddings[key] = emb
        self.kg_embedding = emb
        self._set_kg_vectors(emb.items, emb.entity_images, emb.has_kg)

    def _set_kg_vectors(self, items: np.ndarray, images: np.ndarray, has_kg: np.ndarray) -> None:
        """Unit query/candidate vectors, centred on the mean KG item so cosine compares directions."""
        mu = items[has_kg].mean(0) if has_kg.any() else np.zeros(items.shape[1], np.float32)

        def unit(x):
            return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)).astype(np.float32)

        self.kge_raw = (items, images, has_kg)  # what save() writes
        self.Z = unit(np.where(has_kg[:, None], items - mu, 0.0))  # (n_items, dim), zero rows without KG
        self.Z_ent = unit(images - mu)  # (n_entities, dim) item-space image of each entity
        self.kge_has = has_kg  # (n_items,) bool

    def path_weight(self, H) -> np.ndarray:
        """(b, n_items): for each history row of H (b, n_items) 0/1, the summed scores of all 2-hop KG
        paths from its items to each item (what kg.paths.find_paths(..., max_hops=2) would enumerate)."""
        return np.asarray(H @ self.KP, np.float32)

    def _fit_interactions(self, X) -> None:
        cfg = self.config
        self.B = ease_matrix(X, cfg.ease_lambda, cfg.ease_user_weight)  # (n_items, n_items)
        knn = ItemKNN(k=cfg.knn); knn._fit(X)
        self.S_knn = knn.S  # (n_items, n_items)
        if cfg.use_mf:
            self.mf = IALS(cfg.mf_dim, cfg.mf_alpha0, cfg.mf_reg, cfg.mf_epochs, cfg.seed); self.mf._fit(X)
        if cfg.use_user_knn:
            self.uknn = UserKNN(cfg.user_knn); self.uknn._fit(X)
        counts = np.asarray(X.sum(0)).ravel()
        lp = np.log1p(counts)
        self.pop_z = ((lp - lp.mean()) / max(lp.std(), 1e-9)).astype(np.float32)  # (n_items,)

    def features(self, H, stated: list[list[int]] | None = None, rows: np.ndarray | None = None,
                 own: np.ndarray | None = None) -> np.ndarray:
        """H: (b, n_items) CSR of liked items (1.0) -> F (b, n_items, n_learned_signals) float32.

        `stated`: entity columns per row (kg_entities). `own`: each row's user row in the matrix
        the collaborative models were fitted on (-1 for none), so UserKNN skips the user itself.
        `rows`: when H = train_csr[rows] (then own = rows), columns come from (and fill) the shared
        FeatureCache if one is attached."""
        b, n = H.shape
        if rows is not None:
            own = np.asarray(rows)
        cols = []
        for name in self.learned_signals:
            if rows is not None and self.cache is not None and name not in ("popularity", "kg_entities"):
                key = name + ("|shuffled" if self.config.shuffle_kg and name in KG_SIGNALS else "")
                if key not in self.cache.columns:
                    X = self.train_csr
                    col = np.zeros(X.shape, np.float32)  # (n_users, n_items)
                    for s in range(0, X.shape[0], 512):
                        col[s : s + 512] = self._feature(name, X[s : s + 512], None, np.arange(s, min(s + 512, X.shape[0])))
                    self.cache.columns[key] = col
                cols.append(self.cache.columns[key][rows])
            else:
                cols.append(np.broadcast_to(self._feature(name, H, stated, own), (b, n)))
        return np.stack(cols, -1).astype(np.float32)

    def _feature(self, name: str, H, stated, own=None) -> np.ndarray:
        """One signal for a batch of histories: (b, n_items) float32."""
        b, n = H.shape
        if name == "collaborative":
            return _zscore(np.asarray(H @ self.B))
        if name == "collaborative_mf":
            return _zscore(self.mf._score_history(H))
        if name == "collaborative_user":
            return _zscore(self.uknn.scores(H, exclude_rows=own))
        if name == "collaborative_knn":
            return _zscore(np.asarray(H @ self.S_knn))
        if name == "popularity":
            return np.broadcast_to(self.pop_z, (b, n))
        if name == "text":
            P = np.asarray(H @ self.T)  # (b, d) summed liked text vectors
            P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-9)
            return _zscore(P @ self.T.T)
        if name == "text_attention":
            att = np.zeros((b, n), np.float32)
            for r in range(b):
                hist = H.indices[H.indptr[r] : H.indptr[r + 1]]
                if len(hist) == 0:
                    continue
                S = self.TT[hist]  # (n_hist, n_items) cosine of each history item to every item
                A = np.exp((S - S.max(0, keepdims=True)) / self.config.tau)  # attention over history
                att[r] = (A * S).sum(0) / A.sum(0)
            return _zscore(att)
        if name == "kg":
            Pk = np.asarray((H @ self.E_w).todense())  # (b, n_ent) profile entity weights
            Pk /= np.maximum(np.linalg.norm(Pk, axis=1, keepdims=True), 1e-9)
            return _zscore(np.asarray(self.E_n @ Pk.T).T)
        if name == "kg_entities":
            ent = np.zeros((b, n), np.float32)
            for r, es in enumerate(stated or []):
                if es:
                    ent[r] = np.asarray(self.E_bin_csc[:, es].sum(1)).ravel()
            return ent
        if name == "kg_embedding":
            Q = np.asarray(H @ self.Z)  # (b, dim) sum of the liked items' unit vectors
            for r, es in enumerate(stated or []):
                if es:
                    Q[r] += self.Z_ent[es].sum(0)  # a stated entity counts like one liked item
            Q /= np.maximum(np.linalg.norm(Q, axis=1, keepdims=True), 1e-9)
            out = _zscore(Q @ self.Z.T)  # (b, n_items)
            out[:, ~self.kge_has] = 0.0  # no KG entities: neutral
            return out
        if name == "kg_paths":
            return _zscore(np.log1p(self.path_weight(H)))
        raise ValueError(name)

    def _hsize(self, H) -> np.ndarray:
        return (np.log1p(np.diff(H.indptr)) - self.history_log_mean).astype(np.float32)

    def _simulated_stated(self, H, rng) -> list[list[int]]:
        """Stand-in for stated preferences of training users: up to 3 entities that recur most
        (IDF-weighted) in the user's own training history; given to `stated_prob` of users."""
        out: list[list[int]] = []
        C = (H @ self.E_bin).tocsr()  # (b, n_ent) entity counts in the history
        for r in range(H.shape[0]):
            idx, cnt = C.indices[C.indptr[r] : C.indptr[r + 1]], C.data[C.indptr[r] : C.indptr[r + 1]]
            keep = cnt >= 2
            if rng.random() >= self.config.stated_prob or not keep.any():
                out.append([]); continue
            idx, w = idx[keep], cnt[keep] * self.idf[idx[keep]]
            out.append(idx[np.argsort(-w)[:3]].tolist())
        return out

    # -- training -----------------------------------------------------------------
    def fit(self, train: Interactions, catalog: Catalog, valid: Interactions | None = None,
            progress: bool = False) -> "FusionScorer":
        """Fit on `train`; the fusion weights learn to rank `valid` (or an internal holdout of train)."""
        self.catalog = catalog
        self._user_row = {u: i for i, u in enumerate(train.user_ids)}
        self.train_csr = binary_csr(train, len(catalog))
        self._prepare_static(catalog)
        if self.config.use_kg and self.config.use_kg_embedding:
            self._fit_kg_embedding(progress)
        if valid is not None:
            Xh, Y = self.train_csr, binary_csr(valid, len(catalog))
            self._fit_interactions(Xh)
            self._train_net(Xh, Y, progress)
        else:  # hold out a share of each user's training positives, refit CF on all of train after
            rng = np.random.default_rng(self.config.seed + 17)
            hold = rng.random(len(train)) < self.config.holdout
            Xh, Y = binary_csr(train.subset(~hold), len(catalog)), binary_csr(train.subset(hold), len(catalog))
            self._fit_interactions(Xh)
            self._train_net(Xh, Y, progress)
            self._fit_interactions(self.train_csr)
        return self

    def _fit(self, X) -> None:  # contract hook; `fit` above does the work
        raise NotImplementedError

    def _train_net(self, Xh, Y, progress: bool) -> None:
        """Learn the per-signal shapes and gates on histories Xh -> held-out targets Y (both
        (n_users, n_items) CSR). Each training user is represented by a candidate list (see
        `_candidates`); a monitor share of the users, scored over the full catalog, picks the step."""
        import torch

        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        split = self._split_users(Xh, Y, rng)
        if split is None:
            return
        users, mon, fit = split
        n_mon = len(mon)
        t0 = time.perf_counter()
        # short profiles (cold start): the same share of training and monitor users, so the step and
        # loss the monitor picks are the best for the mix the model is trained for
        short = set(users[rng.random(len(users)) < cfg.short_profiles].tolist()) if cfg.short_profiles > 0 else set()
        cand = {"F": [], "w": [], "t": [], "hs": []}
        F_mon, hs_mon = [], []
        for part, full in ((fit, False), (mon, True)):
            for s in range(0, len(part), 256):
                r = part[s : s + 256]
                H = self._training_histories(Xh, r, short, rng)
                F = self.features(H, rows=r) if Xh is self.train_csr and not short else self.features(H, own=r)
                if cfg.use_kg and not full:  # simulated stated entities for `stated_prob` of the training users
                    stated = self._simulated_stated(H, rng)
                    for name in ("kg_entities", "kg_embedding"):
                        if name in self.learned_signals:
                            F[:, :, self.learned_signals.index(name)] = self._feature(name, H, stated)
                if full:
                    F_mon.append(F); hs_mon.append(self._hsize(H))
                else:
                    Fc, w, t = self._candidates(F, Xh[r], Y[r], rng)
                    cand["F"].append(Fc); cand["w"].append(w); cand["t"].append(t); cand["hs"].append(self._hsize(H))
        data = tuple(torch.from_numpy(np.concatenate(cand[k])) for k in ("F", "w", "t", "hs"))
        del cand
        feat_s = time.perf_counter() - t0
        self._fit_losses(data, (F_mon, hs_mon, Xh[mon], Y[mon]) if n_mon else None, rng, progress)
        self.train_seconds = {"features": feat_s, "total": time.perf_counter() - t0}

    def _split_users(self, Xh, Y, rng, cap: int | None = None):
        """The users with a history and held-out targets (at most `cap`, sampled) as sorted rows (all, monitor,
        fit); sets a fresh net and history_log_mean. None when there are none: the initial weights are kept."""
        import torch

        torch.manual_seed(self.config.seed)
        users = np.flatnonzero((np.diff(Y.indptr) > 0) & (np.diff(Xh.indptr) > 0))
        if cap is not None and len(users) > cap:
            users = np.sort(rng.choice(users, cap, replace=False))
        self.net = self._new_net()
        self.train_seconds = {"features": 0.0, "total": 0.0}
        if len(users) == 0:  # nothing held out (tiny data)
            self.net.eval()
            return None
        self.history_log_mean = float(np.log1p(np.diff(Xh.indptr)[users]).mean())
        n_mon = int(round(self.config.monitor * len(users))) if len(users) >= 20 else 0
        order = rng.permutation(len(users))
        return users, np.sort(users[order[:n_mon]]), np.sort(users[order[n_mon:]])

    def _fit_losses(self, data, monitor, rng, progress: bool) -> None:
        """Train from the collaborative start with each loss of `config.loss` on `data` (F, weight, target, hsize
        tensors of the candidate lists) and keep the net the monitor users score best (`monitor`: the arguments of
        `_monitor_ndcg`, or None: one loss, last step)."""
        cfg = self.config
        losses = ("softmax", "ndcg") if cfg.loss == "auto" else (cfg.loss,)
        if monitor is None:
            losses = losses[:1]
        best = (-1.0, None, None)  # (monitor NDCG@10, loss, state)
        for kind in losses:
            self.net = self._new_net()
            score = self._fit_net(kind, data, monitor, rng, progress)
            if score > best[0]:
                best = (score, kind, {k: v.detach().clone() for k, v in self.net.state_dict().items()})
        if best[2] is not None:
            self.net.load_state_dict(best[2])
        self.chosen_loss = best[1] or losses[0]
        self.net.eval()

    def _new_net(self):
        # start from the collaborative signal alone: the smooth-NDCG loss refines a good ranking
        # (its gradient comes from targets near the top 10), it does not find one from scratch
        init = [1.0 if name in self.START_SIGNALS else 0.0 for name in self.learned_signals]
        return _Net.build(len(self.learned_signals), self.config.hidden, self.config.seed, init)

    def _fit_net(self, kind: str, data, monitor, rng, progress: bool) -> float:
        """Adam on `kind` over the candidate lists; keeps (loads) the weights with the best monitor
        NDCG@10 and returns that score (-1 without monitor users: the last step is kept)."""
        import torch

        cfg = self.config
        F_t, W_t, T_t, hs_t = data
        opt = torch.optim.Adam(self.net.parameters(), lr=cfg.lr)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=cfg.steps, desc=f"fusion training ({kind} loss)", leave=False)
        run, best, best_state = 0.0, -1.0, None
        for step in range(cfg.steps):
            bi = torch.from_numpy(rng.choice(len(F_t), size=min(cfg.batch_users, len(F_t)), replace=False))
            logits = self.net.terms(F_t[bi], hs_t[bi]).sum(-1)  # (b, n_candidates)
            loss = ranking_loss(logits, W_t[bi], T_t[bi], kind)
            opt.zero_grad(); loss.backward(); opt.step()
            run = loss.item() if step == 0 else 0.9 * run + 0.1 * loss.item()
            if (step + 1) % cfg.eval_every == 0 or step + 1 == cfg.steps:
                entry = {"loss_kind": kind, "step": step + 1, "loss": round(run, 5)}
                if monitor is not None:
                    entry["monitor_ndcg@10"] = round(self._monitor_ndcg(*monitor), 5)
                    if entry["monitor_ndcg@10"] > best:
                        best = entry["monitor_ndcg@10"]
                        best_state = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
                self.train_log.append(entry)
            if bar is not None:
                bar.update(1); bar.set_postfix(loss=f"{run:.4f}")
        if bar is not None:
            bar.close()
        if best_state is not None:
            self.net.load_state_dict(best_state)
        return best

    def _training_histories(self, Xh, rows: np.ndarray, short: set, rng):
        """Xh[rows], except that users in `short` keep only 0-5 random history items (cold start)."""
        import scipy.sparse as sp

        H = Xh[rows].tolil()
        for j, u in enumerate(rows):
            if int(u) in short:
                hist = Xh.indices[Xh.indptr[u] : Xh.indptr[u + 1]]
                pick = rng.choice(hist, size=min(int(rng.choice([0, 1, 2, 3, 5])), len(hist)), replace=False)
                H.rows[j] = sorted(pick.tolist()); H.data[j] = [1.0] * len(pick)
        return sp.csr_matrix(H, dtype=np.float32)

    def _candidates(self, F, M, Y, rng):
        """Compress full-catalog features F (b, n, S) to per-user candidate lists for training:
        [targets (<= max_targets, padded)] + [the `train_pool` best other items by the
        collaborative signal] + [`train_random` uniform other items, each standing for
        (remaining / train_random) items]. M: (b, n) CSR of masked (history) items, Y: targets.
        Returns F_c (b, C, S) float32, weight (b, C) float32 (0 = padding), is_target (b, C) bool."""
        cfg = self.config
        b, n, S = F.shape
        P, K, R = cfg.max_targets, cfg.train_pool, cfg.train_random
        C = P + K + R
        Fc = np.zeros((b, C, S), np.float32); w = np.zeros((b, C), np.float32); t = np.zeros((b, C), bool)
        collab = F[:, :, self.learned_signals.index("collaborative")]  # (b, n)
        for j in range(b):
            masked = np.zeros(n, bool); masked[M.indices[M.indptr[j] : M.indptr[j + 1]]] = True
            tg = Y.indices[Y.indptr[j] : Y.indptr[j + 1]]
            tg = tg[~masked[tg]]
            masked[tg] = True  # no target is a pool or random candidate; those beyond max_targets are left out
            tg = rng.permutation(tg)[:P]
            free = np.flatnonzero(~masked)
            k = min(K, len(free))
            pool = free[np.argpartition(-collab[j, free], k - 1)[:k]] if k else free[:0]
            rest = np.setdiff1d(free, pool, assume_unique=True)
            rnd = rng.choice(rest, size=min(R, len(rest)), replace=False) if len(rest) else rest
            for start, c, weight in ((0, tg, 1.0), (P, pool, 1.0), (P + K, rnd, len(rest) / max(len(rnd), 1))):
                Fc[j, start : start + len(c)] = F[j, c]
                w[j, start : start + len(c)] = weight
            t[j, : len(tg)] = True
        return Fc, w, t

    def _monitor_ndcg(self, F_parts, hs_parts, Xm, Ym) -> float:
        """NDCG@10 of the current weights on the monitor users over the full catalog (history masked)."""
        import torch

        from .protocol import masked_ndcg

        with torch.no_grad():
            sc = np.concatenate([self.net.terms(torch.from_numpy(F), torch.from_numpy(h)).sum(-1).numpy()
                                 for F, h in zip(F_parts, hs_parts)])  # (m, n_items)
        return masked_ndcg(lambda r: sc[r], Xm, Ym)

    # -- scoring ------------------------------------------------------------------
    def _terms(self, H, stated=None, D=None, rows=None) -> np.ndarray:
        """(b, n_items, n_signals) contributions; the score is their sum over the last axis."""
        if self.net is None:
            raise ScorerError("fusion scorer is not trained; run `recassist train` or load an artifact")
        return self._fuse(self.features(H, stated, rows), self._hsize(H),
                          self.features(D) if D is not None and D.nnz else None)

    def _fuse(self, F: np.ndarray, hsize: np.ndarray, Fd: np.ndarray | None = None) -> np.ndarray:
        """Features F (b, n, S) of b histories (log sizes `hsize` (b,)), and Fd (b', n, S) of the disliked items
        (or None) -> (b, n, n_signals) contributions: each learned signal against an average item (feature 0),
        "disliked", and the per-user constant "baseline"."""
        import torch

        with torch.no_grad():
            hs = torch.from_numpy(np.asarray(hsize, np.float32))
            T = self.net.terms(torch.from_numpy(F), hs).numpy()  # (b, n_items, S)
            # express each signal relative to an average item (feature 0) and move the constant to "baseline"
            T0 = self.net.terms(torch.zeros(F.shape[0], 1, F.shape[2]), hs).numpy()  # (b, 1, S)
            base = np.broadcast_to(T0.sum(-1), T.shape[:2])
            T = T - T0
            dis = np.zeros(T.shape[:2], np.float32)
            if Fd is not None:
                # disliked items push away: minus `dislike_scale` x the collaborative/text terms they would earn
                g = self.net.shape_fn(torch.from_numpy(Fd)).numpy() - self.net.shape_fn(torch.zeros(Fd.shape[-1])).numpy()
                idx = [self.learned_signals.index(s) for s in self.DISLIKE_SIGNALS if s in self.learned_signals]
                dis = -self.config.dislike_scale * g[..., idx].sum(-1)
        return np.concatenate([T, dis[..., None], base[..., None]], -1).astype(np.float32)

    def _score_history(self, H) -> np.ndarray:
        return self._terms(H).sum(-1)

    def score_users(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows)
        return self._terms(self.train_csr[rows], rows=rows).sum(-1)

    def _profile_inputs(self, profile: Profile):
        import scipy.sparse as sp

        n = len(self.catalog)
        h = np.zeros(n, np.float32); h[self.profile_rows(profile, ("liked",))] = 1.0
        d = np.zeros(n, np.float32); d[self.profile_rows(profile, ("disliked",))] = 1.0
        stated = None
        if self.config.use_kg:
            stated = [[self.entity_index[e] for e in profile.entities if e in self.entity_index]]
        return sp.csr_matrix(h[None]), stated, sp.csr_matrix(d[None])

    def profile_terms(self, profile: Profile) -> np.ndarray:
        """(n_items, n_signals) per-signal contributions for a profile-only user."""
        self._check_fitted()
        H, stated, D = self._profile_inputs(profile)
        return self._terms(H, stated, D)[0]

    def score_profile(self, profile: Profile) -> np.ndarray:
        return self.profile_terms(profile).sum(-1)

    def explain(self, profile: Profile, item_ids: list[str]) -> list[dict[str, float]]:
        """Per-signal contributions for each item; they sum to the item's score from `recommend`."""
        terms = self.profile_terms(profile)
        out = []
        for iid in item_ids:
            if iid not in self.catalog:
                raise CatalogError(f"unknown item id {iid!r}")
            t = terms[self.catalog.index(iid)]
            out.append({s: float(v) for s, v in zip(self.signal_names, t)})
        return out

    def weights_summary(self) -> dict[str, float]:
        """Mean absolute contribution per signal is data-dependent; this reports the linear slopes."""
        return {s: float(v) for s, v in zip(self.learned_signals, self.net.lin.detach().numpy())}

    # -- persistence ----------------------------------------------------------------
    def _uses_kge(self) -> bool:
        return self.config.use_kg and self.config.use_kg_embedding

    @staticmethod
    def _catalog_key(catalog: Catalog) -> str:
        return hashlib.sha256("\x00".join(catalog.ids).encode()).hexdigest()[:16]

    def save(self, directory: Path) -> None:
        import torch

        self._check_fitted()
        d = Path(directory); d.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": self.FORMAT, "path": self.PATH, "config": asdict(self.config),
            "catalog_key": self._catalog_key(self.catalog), "n_items": len(self.catalog),
            "history_log_mean": self.history_log_mean, "signals": self.signal_names, "train_log": self.train_log,
            "n_entities": len(getattr(self, "entity_ids", [])), "loss": getattr(self, "chosen_loss", self.config.loss),
            **self._save_meta(), **self.extra_meta,
        }
        X = self.train_csr
        mf = getattr(self, "mf", None)
        np.savez(d / "arrays.npz", pop_z=self.pop_z, mf_V=mf.V if mf is not None else np.zeros((0, 0), np.float32),
                 T=self.T if self.config.use_text else np.zeros((0, 0), np.float32),
                 X_data=X.data, X_indices=X.indices, X_indptr=X.indptr,
                 user_ids=np.asarray(list(self._user_row), dtype=object), **self._save_arrays())
        torch.save(self.net.state_dict(), d / "net.pt")
        (d / "meta.json").write_text(json.dumps(meta, indent=2))

    def _save_meta(self) -> dict:
        emb = getattr(self, "kg_embedding", None)
        if emb is None:
            return {}
        return {"kg_embedding": {"seconds": round(emb.seconds, 2), "epochs": len(emb.loss_log),
                                 "final_loss": round(emb.loss_log[-1], 5) if emb.loss_log else None}}

    def _save_arrays(self) -> dict[str, np.ndarray]:
        """What only this class saves (FusionScorer: the dense EASE and ItemKNN matrices, TransE vectors)."""
        if self._uses_kge():
            kge_items, kge_images, kge_has = self.kge_raw
        else:
            kge_items = kge_images = np.zeros((0, 0), np.float32); kge_has = np.zeros(0, bool)
        return {"B": self.B, "S_knn": self.S_knn, "kge_items": kge_items, "kge_images": kge_images, "kge_has": kge_has}

    @classmethod
    def load(cls, directory: Path, catalog: Catalog, kg) -> "FusionScorer":
        import scipy.sparse as sp
        import torch

        d = Path(directory)
        if not (d / "meta.json").exists():
            raise ScorerError(f"no trained scorer in {d}; run `recassist train` (or `recassist build`)")
        meta = json.loads((d / "meta.json").read_text())
        if meta.get("format") != cls.FORMAT or meta["catalog_key"] != cls._catalog_key(catalog):
            raise ScorerError(f"scorer in {d} was trained for another catalog or format; retrain with `recassist train`")
        cfg = cls.CONFIG(**meta["config"])
        arr = np.load(d / "arrays.npz", allow_pickle=True)
        self = cls(arr["T"] if cfg.use_text else None, kg, cfg)
        self.catalog = catalog
        self._prepare_static(catalog)
        if cfg.use_kg and len(self.entity_ids) != meta["n_entities"]:
            raise ScorerError("the knowledge graph changed since the scorer was trained; retrain with `recassist train`")
        self.pop_z = arr["pop_z"]
        users = [str(u) for u in arr["user_ids"]]
        self._user_row = {u: i for i, u in enumerate(users)}
        self.train_csr = sp.csr_matrix((arr["X_data"], arr["X_indices"], arr["X_indptr"]), shape=(len(users), len(catalog)))
        if arr["mf_V"].size:
            self.mf = IALS(cfg.mf_dim, cfg.mf_alpha0, cfg.mf_reg, cfg.mf_epochs, cfg.seed); self.mf.V = arr["mf_V"]
        self._restore(arr)
        self.history_log_mean = meta["history_log_mean"]
        self.train_log = meta.get("train_log", [])
        self.net = _Net.build(len(self.learned_signals), cfg.hidden, cfg.seed)
        self.net.load_state_dict(torch.load(d / "net.pt", weights_only=True))
        self.net.eval()
        return self

    def _restore(self, arr) -> None:
        """Set what `_save_arrays` saved (after the shared parts are loaded)."""
        if self._uses_kge():
            self._set_kg_vectors(arr["kge_items"], arr["kge_images"], arr["kge_has"])
        self.B, self.S_knn = arr["B"], arr["S_knn"]
        if self.config.use_user_knn:
            self.uknn = UserKNN(self.config.user_knn); self.uknn._fit(self.train_csr)
