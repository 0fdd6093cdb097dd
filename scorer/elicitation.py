"""Elicitation strategies: which titles to show a new user next, during onboarding.

What it does: turns a set of users' raw 1-5 ratings into per-item statistics (`RatingStats`:
popularity, rating entropy, the answer each user would give to each title) and defines the
strategies compared by `scorer.onboarding_eval`. Each strategy answers
`next_titles(answers, k) -> k distinct catalog rows not shown yet`, where `answers` holds the
genres the user chose and the titles shown so far with the user's answer to each:
  random          uniform among titles with >= `min_ratings` ratings (a fixed order per user)
  popularity      most-rated first
  logpop_entropy  log(1 + #ratings) x entropy, greedy genre/decade coverage - the product's
                  onboarding (`assistant.onboarding` calls `informative_rows` below)
  helf            harmonic mean of normalised log-popularity and normalised entropy
                  (Rashid, Karypis, Riedl 2008, "Learning preferences of new users in recommender
                  systems: an information theoretic approach")
  entropy0        entropy of the answer with "not rated" as its own class 0, weighted `w0`
                  (same paper)
  greedy          a static questionnaire: titles added one at a time, each the one whose answers
                  most raise NDCG@10 of an EASE proxy on training users' validation positives
  adaptive        the next titles depend on the answers so far: training users are weighted by
                  how much their answers agree with this user's (genres included), and the titles
                  whose answer is most uncertain and most likely "like" among them come next
The answer rule (`answer_for`): rated >= 4 like, 3 seen, <= 2 dislike, unrated unknown.
What it does not do: read held-out users (build `RatingStats` from training users only), ask the
user anything, or score recommendations (see `scorer.onboarding_eval`).
"""

from __future__ import annotations

import math

import numpy as np

from catalog.types import Catalog, Interactions

# answer codes in RatingStats.codes; UNKNOWN = the user never rated the title
UNKNOWN, DISLIKE, SEEN, LIKE = 0, 1, 2, 3
ANSWER_NAMES = {UNKNOWN: "unknown", DISLIKE: "dislike", SEEN: "seen", LIKE: "like"}


def answer_for(rating: float | None) -> int:
    """The answer a user gives to a shown title: >= 4 like, 3 seen it, <= 2 dislike, unrated unknown."""
    if rating is None or not rating > 0:
        return UNKNOWN
    if rating >= 4:
        return LIKE
    return SEEN if rating >= 3 else DISLIKE


def answer_codes(ratings: np.ndarray) -> np.ndarray:
    """Vectorised `answer_for`: (...) ratings, 0 = unrated -> (...) int8 answer codes."""
    r = np.asarray(ratings)
    return np.select([r >= 4, r >= 3, r > 0], [LIKE, SEEN, DISLIKE], UNKNOWN).astype(np.int8)


def entropy_bits(hist: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(n, c) class counts -> (n,) entropy in bits; `weights` (c,) gives Entropy0's weighted form
    -sum_c w_c p_c log2 p_c / sum_c w_c (Rashid et al. 2008)."""
    p = hist / np.maximum(hist.sum(1, keepdims=True), 1e-12)
    h = -np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0)  # (n, c)
    if weights is None:
        return h.sum(1)
    w = np.asarray(weights, np.float64)
    return (h * w).sum(1) / w.sum()


class RatingStats:
    """Per-item statistics of some users' raw ratings (the training users' only, in evaluation).

    `codes`: (n_users, n_items) int8 answer codes (`answer_codes`) of these users; `popularity`:
    (n_items,) number of ratings; `hist`: (n_items, 5) 1-5 rating histogram; `entropy`: (n_items,)
    bits of that histogram. Duplicate (user, item) events keep the last rating."""

    def __init__(self, inter: Interactions, n_items: int):
        r = np.clip(np.rint(inter.ratings), 1, 5).astype(np.int64)  # (n_events,)
        R = np.zeros((inter.n_users, n_items), np.int8)  # (n_users, n_items) 0 = unrated
        R[inter.users, inter.items] = r
        self.ratings = R
        self.codes = answer_codes(R)  # (n_users, n_items) int8
        self.n_users, self.n_items = inter.n_users, n_items
        self.hist = np.stack([(R == v).sum(0) for v in range(1, 6)], 1).astype(np.float64)  # (n_items, 5)
        self.popularity = self.hist.sum(1)  # (n_items,) number of ratings
        self.entropy = entropy_bits(self.hist)  # (n_items,)

    def entropy0(self, w0: float = 0.5) -> np.ndarray:
        """(n_items,) weighted entropy of {not rated, 1..5} over all users, class 0 weighted w0."""
        h0 = np.concatenate([(self.n_users - self.popularity)[:, None], self.hist], 1)  # (n_items, 6)
        return entropy_bits(h0, np.array([w0, 1, 1, 1, 1, 1]))

    def helf(self) -> np.ndarray:
        """(n_items,) harmonic mean of log-popularity / log(n_users) and entropy / log2(5)."""
        lp = np.log(np.maximum(self.popularity, 1)) / math.log(max(self.n_users, 2))
        h = self.entropy / math.log2(5)
        return np.where(lp + h > 0, 2 * lp * h / np.maximum(lp + h, 1e-12), 0.0)


def informative_rows(catalog: Catalog, popularity: np.ndarray, entropy: np.ndarray, genres=(), k: int = 5,
                     pool: int = 60, exclude=()) -> list[int]:
    """The product's informative titles: among the `pool` most-rated rows not in `exclude`, score
    log(1 + #ratings) x entropy and pick `k` greedily, each pick's score multiplied by
    1 + (genres not yet covered) + 0.5 (new decade); titles in the chosen `genres` get 1.5x."""
    skip = set(int(r) for r in exclude)
    cand = [int(r) for r in np.argsort(-popularity, kind="stable") if int(r) not in skip][:pool]
    base = {r: math.log1p(popularity[r]) * entropy[r] for r in cand}
    chosen: list[int] = []
    covered_g: set[str] = set()
    covered_d: set = set()
    while len(chosen) < k and base:
        def gain(r: int) -> float:
            it = catalog.at(r)
            g = base[r] * (1 + len(set(it.genres) - covered_g) + (0.5 if it.decade not in covered_d else 0))
            return g * (1.5 if set(genres) & set(it.genres) else 1.0)

        best = max(base, key=gain)
        chosen.append(best)
        covered_g |= set(catalog.at(best).genres)
        covered_d.add(catalog.at(best).decade)
        del base[best]
    return chosen


class Answers:
    """What a new user said so far: chosen genres and {row: answer code} of shown titles (in order)."""

    def __init__(self, genres=(), user_seed: int = 0):
        self.genres = list(genres)
        self.shown: dict[int, int] = {}
        self.user_seed = user_seed  # fixes the random strategy's order for this user

    def rows_with(self, code: int) -> list[int]:
        return [r for r, a in self.shown.items() if a == code]


class Strategy:
    """Base: `next_titles(answers, k)` -> up to k distinct rows not in answers.shown."""

    name = "strategy"

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        raise NotImplementedError


class StaticOrder(Strategy):
    """Shows titles in one fixed order (highest `score` first), skipping those already shown."""

    def __init__(self, name: str, score: np.ndarray, eligible: np.ndarray | None = None):
        self.name = name
        s = np.where(eligible, score, -np.inf) if eligible is not None else score
        self.order = [int(r) for r in np.argsort(-s, kind="stable") if np.isfinite(s[r])]

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        return [r for r in self.order if r not in answers.shown][:k]


class RandomTitles(Strategy):
    """Uniform among titles with >= min_ratings training ratings, a fixed random order per user."""

    name = "random"

    def __init__(self, stats: RatingStats, min_ratings: int = 20, seed: int = 0):
        self.eligible = np.flatnonzero(stats.popularity >= min_ratings)
        self.seed = seed

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        order = np.random.default_rng([self.seed, answers.user_seed]).permutation(self.eligible)
        return [int(r) for r in order if int(r) not in answers.shown][:k]


class LogPopEntropy(Strategy):
    """The product's onboarding titles (`informative_rows`), genre-boosted by the user's genres."""

    name = "logpop_entropy"

    def __init__(self, stats: RatingStats, catalog: Catalog, pool: int = 60):
        self.stats, self.catalog, self.pool = stats, catalog, pool

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        return informative_rows(self.catalog, self.stats.popularity, self.stats.entropy, answers.genres, k,
                                self.pool, exclude=answers.shown)


def popularity_strategy(stats: RatingStats) -> Strategy:
    return StaticOrder("popularity", stats.popularity)


def helf_strategy(stats: RatingStats) -> Strategy:
    return StaticOrder("helf", stats.helf())


def entropy0_strategy(stats: RatingStats, w0: float = 0.5) -> Strategy:
    return StaticOrder("entropy0", stats.entropy0(w0))


class GreedyQuestionnaire(Strategy):
    """A static questionnaire chosen on training users with a cheap proxy.

    Proxy: a user's recommendation = EASE scores of the titles they would like minus half those
    they would dislike (`B`: (n_items, n_items) EASE weights fitted on training positives), plus a
    small popularity prior, with their training positives and the asked titles masked; quality =
    mean NDCG@10 on their validation positives. Titles are added one at a time from the
    `candidates` most-rated, each the one that raises the proxy most; past its `length`, the most-rated
    titles follow. The rows of `stats`, `train_mask` and `valid` are the same training users."""

    name = "greedy"

    def __init__(self, stats: RatingStats, B: np.ndarray, train_mask, valid, length: int = 20,
                 candidates: int = 150, max_users: int = 400, seed: int = 0, dislike_weight: float = 0.5):
        from .protocol import rank_metrics, topk_rows

        rng = np.random.default_rng(seed)
        users = np.flatnonzero(np.diff(valid.indptr) > 0)
        users = np.sort(rng.permutation(users)[:max_users])
        codes = stats.codes[users]  # (n_u, n_items)
        lp = np.log1p(stats.popularity)
        prior = (1e-3 * (lp - lp.mean()) / max(lp.std(), 1e-9)).astype(np.float32)  # (n_items,)
        S = np.tile(prior, (len(users), 1))  # (n_u, n_items) current proxy scores
        S[train_mask[users].nonzero()] = -np.inf
        targets = [valid.indices[valid.indptr[u] : valid.indptr[u + 1]] for u in users]

        def ndcg(scores, rows):
            return rank_metrics(topk_rows(scores, 10), [targets[i] for i in rows], ks=(10,))["ndcg@10"]

        cur = ndcg(S, np.arange(len(users)))  # (n_u,)
        cand = [int(r) for r in np.argsort(-stats.popularity, kind="stable")[:candidates]]
        self.order: list[int] = []
        self.proxy_log: list[float] = [float(cur.mean())]
        while len(self.order) < length and cand:
            best, best_gain, best_new = None, -np.inf, None
            for c in cand:
                a = codes[:, c]
                hit = np.flatnonzero((a == LIKE) | (a == DISLIKE))
                if len(hit) == 0:
                    continue
                w = np.where(a[hit] == LIKE, 1.0, -dislike_weight).astype(np.float32)[:, None]
                new = S[hit] + w * B[c][None, :]
                new[:, c] = -np.inf  # an asked title is never recommended
                v = ndcg(new, hit)
                gain = float((v - cur[hit]).sum())
                if gain > best_gain:
                    best, best_gain, best_new = c, gain, (hit, new, v)
            if best is None:
                break
            hit, new, v = best_new
            S[hit] = new
            S[:, best] = -np.inf
            cur[hit] = v
            self.order.append(best)
            cand.remove(best)
            self.proxy_log.append(float(cur.mean()))
        # past the questionnaire's end: most-rated titles
        self.fallback = [int(r) for r in np.argsort(-stats.popularity, kind="stable")]

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        rows = [r for r in self.order if r not in answers.shown][:k]
        rows += [r for r in self.fallback if r not in answers.shown and r not in rows][: k - len(rows)]
        return rows


class AdaptiveNeighbours(Strategy):
    """Next titles from the training users who answered like this user so far.

    Each training user u gets a weight: prod over chosen genres g of (0.1 + share of u's liked
    titles in g), times, for every shown title, 1 if u's answer is the same and `mismatch`
    otherwise. Among titles with >= min_ratings ratings not shown yet, each scores
    P_w(like) x (1 + H_w), P_w and H_w (bits) the weighted share of "like" answers and the entropy
    of the four answers; the top k are the next round. With no answers it is a genre-tailored
    list; after each round it follows the users who agree."""

    name = "adaptive"

    def __init__(self, stats: RatingStats, catalog: Catalog, min_ratings: int = 20, mismatch: float = 0.25):
        self.stats, self.mismatch = stats, mismatch
        self.eligible = stats.popularity >= min_ratings  # (n_items,) bool
        genres = sorted({g for it in catalog for g in it.genres})
        self.genre_col = {g: j for j, g in enumerate(genres)}
        G = np.zeros((len(catalog), len(genres)), np.float32)  # (n_items, n_genres) 0/1
        for r, it in enumerate(catalog):
            for g in it.genres:
                G[r, self.genre_col[g]] = 1.0
        L = (stats.codes == LIKE).astype(np.float32)  # (n_users, n_items)
        self.genre_share = (L @ G) / np.maximum(L.sum(1, keepdims=True), 1)  # (n_users, n_genres)

    def weights(self, answers: Answers) -> np.ndarray:
        w = np.ones(self.stats.n_users)  # (n_users,)
        for g in answers.genres:
            if g in self.genre_col:
                w *= 0.1 + self.genre_share[:, self.genre_col[g]]
        for r, a in answers.shown.items():
            w *= np.where(self.stats.codes[:, r] == a, 1.0, self.mismatch)
        return w / w.sum()

    def next_titles(self, answers: Answers, k: int) -> list[int]:
        w = self.weights(answers)
        C = self.stats.codes
        dist = np.stack([w @ (C == a) for a in (UNKNOWN, DISLIKE, SEEN, LIKE)], 1)  # (n_items, 4)
        score = dist[:, LIKE] * (1 + entropy_bits(dist))
        score[~self.eligible] = -np.inf
        score[list(answers.shown)] = -np.inf
        order = np.argsort(-score, kind="stable")[:k]
        return [int(r) for r in order if np.isfinite(score[r])]
