"""Which liked items drove a card's score: per-liked-item shares of the fusion scorer's score.

For a profile-only user with liked items j in H, each history-dependent raw signal of the fusion
scorer (scorer.fusion) is a sum over the liked items of a per-item part r_j(i):
  collaborative       EASE                 r_j(i) = B[j, i]
  collaborative_knn   ItemKNN              r_j(i) = S[j, i]
  collaborative_mf    iALS fold-in         u = A^-1 sum_j v_j, A = G + sum_j v_j v_j^T, so
                                           r_j(i) = v_i^T A^-1 v_j (Hu, Koren, Volinsky 2008, sec. 5)
  collaborative_user  UserKNN, its k neighbours N fixed: r_j(i) = sum_{v in N} X[v,j] X[v,i] / (|X_v| |H|^.5)
  text                r_j(i) = t_i . t_j / |sum_j t_j|
  text_attention      r_j(i) = softmax_j(t_i . t_j / tau) t_i . t_j
  kg                  r_j(i) = e_i . w_j / |sum_j w_j|   (IDF x relation-weight entity vectors)
  kg_embedding        r_j(i) = z_i . z_j / |q|           (a stated entity's part belongs to no liked item)
  kg_paths            r_j(i) = P[j, i], the 2-hop path weight (the signal is log1p of the sum)
Each signal enters the score z-scored over the catalog, so what moves a card above an average item
is r_j(i) - mean_k r_j(k): the centred part. The fused contribution c_s(i) (FusionScorer.explain,
after the learned shape and gate) is split in proportion to those centred parts (raw parts for
kg_paths, whose log is not linear). The split is exact for the linear raw signals and an
approximation for the fused score; bench/bench_explanations.py checks it against leave-one-out
deletion.

Signal families carry the words a person reads ("people with similar taste"), never signal names.
What it does not do: pick KG paths or write sentences (tools.explain_item does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from catalog.types import CatalogError
from .base import Profile

# signal -> family; a family's label is what the UI shows
FAMILY_OF = {"collaborative": "taste", "collaborative_mf": "taste", "collaborative_user": "taste",
             "collaborative_knn": "taste", "text": "story", "text_attention": "story", "kg": "people",
             "kg_embedding": "people", "kg_paths": "people", "kg_entities": "asked", "popularity": "popular",
             "disliked": "disliked"}
FAMILY_LABELS = {"taste": "people with similar taste", "story": "similar story and themes",
                 "people": "shared cast, crew or genre", "asked": "what you asked for",
                 "popular": "popular overall", "disliked": "unlike titles you disliked"}
HISTORY_SIGNALS = ("collaborative", "collaborative_mf", "collaborative_user", "collaborative_knn", "text",
                   "text_attention", "kg", "kg_embedding", "kg_paths")


@dataclass
class Attribution:
    item_id: str
    score: float  # the fused score; contributions sum to it
    contributions: dict[str, float]  # signal -> contribution (FusionScorer.explain)
    families: dict[str, float]  # family key (FAMILY_LABELS) -> summed contribution; "baseline" left out
    liked: dict[str, float] = field(default_factory=dict)  # liked item id -> its share of the score, largest first
    liked_by_family: dict[str, dict[str, float]] = field(default_factory=dict)  # liked id -> family -> share

    @classmethod
    def of(cls, item_id: str, contributions: dict[str, float]) -> "Attribution":
        """Signal contributions summed into families; no per-liked-title shares yet."""
        contrib = {s: float(v) for s, v in contributions.items()}
        fam: dict[str, float] = {}
        for s, v in contrib.items():
            if s in FAMILY_OF:
                fam[FAMILY_OF[s]] = fam.get(FAMILY_OF[s], 0.0) + v
        return cls(item_id, float(sum(contrib.values())), contrib, fam)

    def top_liked(self, k: int = 2, min_ratio: float = 0.5) -> list[str]:
        """The liked items that lead the explanation: the largest positive share, and the next ones
        while their share is at least `min_ratio` of the first's (at most k)."""
        pos = [(i, v) for i, v in self.liked.items() if v > 0]
        if not pos:
            return []
        out = [pos[0][0]]
        for i, v in pos[1:k]:
            if v >= min_ratio * pos[0][1]:
                out.append(i)
        return out


def _dense(x) -> np.ndarray:
    return np.asarray(x.todense() if hasattr(x, "todense") else x, np.float64)


def raw_parts(scorer, hist: np.ndarray, stated: list[int] | None = None) -> dict[str, np.ndarray]:
    """signal -> (n_hist, n_items) per-liked-item raw parts r_j(i) of each history-dependent signal."""
    sig = set(scorer.learned_signals)
    h = np.asarray(hist, np.int64)
    out: dict[str, np.ndarray] = {}
    if len(h) == 0:
        return out
    if "collaborative" in sig:
        out["collaborative"] = np.asarray(scorer.B[h], np.float64)
    if "collaborative_knn" in sig:
        out["collaborative_knn"] = np.asarray(scorer.S_knn[h], np.float64)
    if "collaborative_mf" in sig:
        V, G = scorer.mf._folding()  # (n_items, d) float64, (d, d)
        Vh = V[h]
        W = np.linalg.solve(G + Vh.T @ Vh, Vh.T)  # (d, n_hist) A^-1 v_j
        out["collaborative_mf"] = (V @ W).T
    if "collaborative_user" in sig:
        uk = scorer.uknn
        sims = _dense(uk.Xn[:, h].sum(1)).ravel() / np.sqrt(len(h))  # (n_users,) cosine to the history
        k = min(uk.k, len(sims))
        nb = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        nb = nb[sims[nb] > 0]
        out["collaborative_user"] = _dense(uk.Xn[nb][:, h].T @ uk.X[nb]) / np.sqrt(len(h))
    if "text" in sig:
        Th = scorer.T[h].astype(np.float64)
        out["text"] = (Th @ scorer.T.T) / max(np.linalg.norm(Th.sum(0)), 1e-9)
    if "text_attention" in sig:
        S = scorer.TT[h].astype(np.float64)  # (n_hist, n_items)
        A = np.exp((S - S.max(0, keepdims=True)) / scorer.config.tau)
        out["text_attention"] = A * S / A.sum(0, keepdims=True)
    if "kg" in sig:
        Wh = scorer.E_w[h]
        norm = float(np.linalg.norm(_dense(Wh.sum(0))))  # |sum_j w_j|
        out["kg"] = _dense(Wh @ scorer.E_n.T) / max(norm, 1e-9)
    if "kg_embedding" in sig:
        Zh = scorer.Z[h].astype(np.float64)
        q = Zh.sum(0) + (scorer.Z_ent[stated].sum(0) if stated else 0.0)
        part = (Zh @ scorer.Z.T) / max(np.linalg.norm(q), 1e-9)
        part[:, ~scorer.kge_has] = 0.0
        out["kg_embedding"] = part
    if "kg_paths" in sig:
        out["kg_paths"] = np.asarray(scorer.KP[h], np.float64)
    return out


def attribute(scorer, profile: Profile, item_ids: list[str]) -> list[Attribution]:
    """Per-signal, per-family and per-liked-item shares of each item's fused score for `profile`. A
    recommender without the fusion scorer's terms gives its `explain` contributions only (no liked shares)."""
    if not hasattr(scorer, "profile_terms"):
        return [Attribution.of(i, c) for i, c in zip(item_ids, scorer.explain(profile, item_ids))]
    for iid in item_ids:
        if iid not in scorer.catalog:
            raise CatalogError(f"unknown item id {iid!r}")
    if hasattr(scorer, "attribution_inputs"):  # scorer.sparse: terms and parts at these items only
        terms, hist, centred = scorer.attribution_inputs(profile, item_ids)
    else:
        terms, hist, centred = _dense_inputs(scorer, profile, item_ids)
    names = scorer.signal_names
    liked_ids = [scorer.catalog.ids[j] for j in hist]
    # (n_hist, n_sel) share of each liked item, per family
    share = {f: np.zeros((len(hist), len(item_ids))) for f in ("taste", "story", "people")}
    for s, D in centred.items():
        tot = D.sum(0)  # (n_sel,)
        c = terms[:, names.index(s)]  # (n_sel,)
        ok = np.abs(tot) > 1e-12
        P = np.zeros_like(D)
        P[:, ok] = D[:, ok] / tot[ok]
        share[FAMILY_OF[s]] += P * c
    out = []
    for n, iid in enumerate(item_ids):
        att = Attribution.of(iid, dict(zip(names, terms[n])))
        per = {liked_ids[j]: float(sum(share[f][j, n] for f in share)) for j in range(len(hist))}
        order = sorted(per, key=lambda i: -per[i])
        att.liked = {i: per[i] for i in order}
        by_fam = {liked_ids[j]: {f: float(share[f][j, n]) for f in share} for j in range(len(hist))}
        att.liked_by_family = {i: by_fam[i] for i in order}
        out.append(att)
    return out


def _dense_inputs(scorer, profile: Profile, item_ids: list[str]):
    """(terms (n_sel, n_signals), liked rows (n_hist,), {signal: (n_hist, n_sel) parts centred on their catalog
    mean, what lifts the card above an average item; raw for kg_paths}) for scorer.fusion.FusionScorer."""
    cols = [scorer.catalog.index(i) for i in item_ids]
    hist = scorer.profile_rows(profile, ("liked",))
    stated = [scorer.entity_index[e] for e in profile.entities if e in getattr(scorer, "entity_index", {})]
    centred = {s: (R[:, cols] if s == "kg_paths" else R[:, cols] - R.mean(1, keepdims=True))
               for s, R in raw_parts(scorer, hist, stated).items()}
    return scorer.profile_terms(profile)[cols], hist, centred
