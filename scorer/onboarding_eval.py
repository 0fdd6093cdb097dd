"""`recassist eval onboarding`: how good are recommendations after the onboarding dialogue?

What it does, per seed (issue #16's protocol):
  1. holds out 10% of the users entirely: they are in no model's training and in none of the
     strategies' statistics (`RatingStats` is built from the training users' raw ratings only);
  2. trains on the rest as `run_coldstart` does (8:1:1 of their positives, EASE's lambda tuned on
     valid, the FusionScorer fitted with valid);
  3. splits each held-out user's positives (raw rating >= 4) 80/20 with a seeded RNG: the 80% is
     the user's known pool, the 20% the targets;
  4. runs the onboarding flow as used: the genre question, answered with the user's two genres of
     highest lift (share among the user's positives / share in the catalog), which become
     "genre:<Name>" entities of the Profile; then titles shown in rounds of `round_size` up to the
     budget, each answered from the user's true raw ratings (`elicitation.answer_for`: >= 4 like,
     3 seen, <= 2 dislike, unrated "haven't seen"); the early-stopping rule ends onboarding after a
     round once the user has liked >= `stop_after_likes` titles;
  5. a shown title that is one of the targets is answered (like), masked and removed from the
     targets ("consumed"); a user whose targets all get consumed is skipped and counted;
  6. ranks with FusionScorer.score_profile(Profile(liked, disliked, seen, entities)), masking the
     pool and every shown title, and measures NDCG@10 / Recall@10 on the remaining targets.
Denominators on the same users and remaining targets: Pop with the pool masked and nothing shown
("popularity without onboarding") and the fusion given the whole pool as Profile.liked ("warm").
Effort = titles shown / titles the user knew (liked + seen + disliked), summed over users.
What it does not do: tune anything on the held-out users, or write files (`scorer.report`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from catalog.types import Interactions
from .base import Profile
from .baselines import EASE, Pop
from .elicitation import (DISLIKE, LIKE, SEEN, UNKNOWN, AdaptiveNeighbours, Answers, GreedyQuestionnaire, LogPopEntropy,
                          RandomTitles, RatingStats, answer_for, entropy0_strategy, helf_strategy, popularity_strategy)
from .experiment import ExperimentConfig, _log, masked_user_metrics, tune
from .fusion import FusionConfig, FusionScorer
from .protocol import compact_users, dedupe, prepare, split_by_user

STRATEGIES = ("random", "popularity", "logpop_entropy", "helf", "entropy0", "greedy", "adaptive")


@dataclass
class OnboardingConfig:
    seeds: tuple[int, ...] = (0, 1, 2)
    budgets: tuple[int, ...] = (5, 10, 15, 20)  # titles shown at most
    strategies: tuple[str, ...] = STRATEGIES
    round_size: int = 5  # titles per question
    stop_after_likes: int = 5  # end onboarding after a round once this many titles are liked (0 = never)
    holdout_users: float = 0.1
    max_users: int = 600  # held-out users evaluated per seed
    like_threshold: float = 4.0  # a held-out user's positives (targets and pool)
    target_share: float = 0.2
    n_genres: int = 2  # genres the user picks at the genre question
    min_ratings: int = 20  # random / adaptive: titles with at least this many training ratings
    fusion: str = "full"  # FusionConfig preset
    short_profiles: float = 0.25  # as run_coldstart: train the fusion on short histories too


def user_genres(rows: np.ndarray, catalog, n: int = 2, min_count: int = 2) -> list[str]:
    """The user's `n` genres of highest lift: share among their positives `rows` / share of catalog
    items with that genre. Genres seen fewer than `min_count` times only fill remaining slots."""
    counts: dict[str, int] = {}
    for r in rows:
        for g in catalog.at(int(r)).genres:
            counts[g] = counts.get(g, 0) + 1
    cat_counts: dict[str, int] = {}
    for it in catalog:
        for g in it.genres:
            cat_counts[g] = cat_counts.get(g, 0) + 1
    lift = {g: (c / len(rows)) / (cat_counts[g] / len(catalog)) for g, c in counts.items()}
    order = sorted(lift, key=lambda g: (counts[g] < min_count, -lift[g], g))
    return order[:n]


@dataclass
class Flow:
    """One simulated onboarding: rounds of shown rows and their answers, in order."""

    rounds: list[list[int]]
    answers: dict[int, int]  # row -> answer code
    stopped_early: bool


def simulate_flow(strategy, ratings: dict[int, float], genres: list[str], budget: int, round_size: int,
                  stop_after_likes: int, user_seed: int = 0) -> Flow:
    """Show titles in rounds until `budget` titles are shown or the early-stopping rule fires;
    each title is answered from the user's raw `ratings` {row: 1-5} (`answer_for`)."""
    ans = Answers(genres, user_seed)
    rounds: list[list[int]] = []
    stopped = False
    while len(ans.shown) < budget:
        rows = strategy.next_titles(ans, min(round_size, budget - len(ans.shown)))
        if not rows:
            break
        for r in rows:
            ans.shown[r] = answer_for(ratings.get(r))
        rounds.append(rows)
        if stop_after_likes and sum(a == LIKE for a in ans.shown.values()) >= stop_after_likes:
            stopped = len(ans.shown) < budget
            break
    return Flow(rounds, dict(ans.shown), stopped)


def answers_profile(answers: dict[int, int], catalog, entities=()) -> Profile:
    """The Profile onboarding builds: liked / disliked / seen titles from the answers, plus entities."""
    ids = lambda code: [catalog.ids[r] for r, a in answers.items() if a == code]  # noqa: E731
    return Profile(liked=ids(LIKE), disliked=ids(DISLIKE), seen=ids(SEEN), entities=list(entities))


def user_result(score_fn, catalog, pool: np.ndarray, targets: np.ndarray, shown: list[int], answers: dict[int, int],
                entities=(), references: dict[str, np.ndarray] | None = None) -> dict:
    """One held-out user after onboarding: shown targets are consumed (removed from the targets and
    counted); `score_fn(Profile) -> (n_items,)` ranks with the pool and every shown title masked.
    `references` {name: (n_items,) scores} (Pop, warm) are scored on the same remaining targets with
    only the pool masked (nothing was shown to them). skipped = no target left."""
    shown_arr = np.asarray(shown, np.int64)
    remaining = np.setdiff1d(targets, shown_arr)
    row = {"consumed": int(len(targets) - len(remaining)), "shown": len(shown), "remaining_targets": int(len(remaining)),
           "known": int(sum(a != UNKNOWN for a in answers.values())),
           "liked": int(sum(a == LIKE for a in answers.values())), "skipped": len(remaining) == 0}
    if len(remaining):
        known = np.union1d(pool, shown_arr)
        row.update(masked_user_metrics(score_fn(answers_profile(answers, catalog, entities)), known, remaining))
        for ref, sc in (references or {}).items():
            for k, v in masked_user_metrics(sc, pool, remaining).items():
                row[f"{ref}_{k}"] = v
    return row


def make_strategies(names, stats: RatingStats, catalog, ease_B, split, cfg: OnboardingConfig, seed: int) -> dict:
    from .base import binary_csr

    out = {}
    for name in names:
        t0 = time.perf_counter()
        if name == "random":
            out[name] = RandomTitles(stats, cfg.min_ratings, seed)
        elif name == "popularity":
            out[name] = popularity_strategy(stats)
        elif name == "logpop_entropy":
            out[name] = LogPopEntropy(stats, catalog)
        elif name == "helf":
            out[name] = helf_strategy(stats)
        elif name == "entropy0":
            out[name] = entropy0_strategy(stats)
        elif name == "greedy":
            out[name] = GreedyQuestionnaire(stats, ease_B, binary_csr(split.train, split.n_items),
                                            binary_csr(split.valid, split.n_items), length=max(cfg.budgets), seed=seed)
        elif name == "adaptive":
            out[name] = AdaptiveNeighbours(stats, catalog, cfg.min_ratings)
        else:
            raise ValueError(f"unknown strategy {name!r}; use {', '.join(STRATEGIES)}")
        _log(f"seed {seed}: strategy {name} ready in {time.perf_counter() - t0:.1f}s")
    return out


def _raw_by_user(dataset) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """user id -> (item rows, raw ratings) of all the user's (deduplicated) ratings."""
    raw = dedupe(dataset.interactions)
    order = np.argsort(raw.users, kind="stable")
    cuts = np.flatnonzero(np.diff(raw.users[order])) + 1
    out = {}
    for grp in np.split(order, cuts):
        if len(grp):
            out[raw.user_ids[int(raw.users[grp[0]])]] = (raw.items[grp], raw.ratings[grp])
    return out


def training_stats(dataset, train_user_ids: list[str]) -> RatingStats:
    """RatingStats of the raw ratings of `train_user_ids` only (rows in that order)."""
    raw = dedupe(dataset.interactions)
    index = {u: i for i, u in enumerate(train_user_ids)}
    remap = np.array([index.get(u, -1) for u in raw.user_ids], np.int64)
    keep = remap[raw.users] >= 0
    sub = Interactions(list(train_user_ids), remap[raw.users[keep]].astype(np.int32), raw.items[keep],
                       raw.ratings[keep], raw.timestamps[keep])
    return RatingStats(sub, len(dataset.catalog))


def hold_out_users(inter: Interactions, n_items: int, seed: int, share: float, rng=None):
    """(held-out user ids, the other users' positives re-indexed, their 8:1:1 split). The draw is
    run_coldstart's: `rng` (default_rng(seed)) marks each user held out with probability `share`."""
    rng = np.random.default_rng(seed) if rng is None else rng
    cold = rng.random(inter.n_users) < share  # (n_users,) bool
    warm_inter = compact_users(inter.subset(~cold[inter.users]))
    return [inter.user_ids[u] for u in np.flatnonzero(cold)], warm_inter, split_by_user(warm_inter, n_items, seed)


def run_onboarding(dataset, kg, item_vectors, cfg: OnboardingConfig, progress: bool = False, best: str | None = None) -> dict:
    """Every strategy and budget on each seed's held-out users; `best`: the strategy chosen on
    development seeds (else picked on these seeds, and the result says so)."""
    import torch

    from kg.graph import node_id

    torch.set_num_threads(2)
    inter = prepare(dataset)
    cat = dataset.catalog
    n_items = len(cat)
    raw_of = _raw_by_user(dataset)
    exp = ExperimentConfig()
    max_budget = max(cfg.budgets)
    per_seed = []
    for seed in cfg.seeds:
        rng = np.random.default_rng(seed)
        cold_ids, warm_inter, split = hold_out_users(inter, n_items, seed, cfg.holdout_users, rng)
        ease, pt, _ = tune(lambda lam: EASE(lam), [{"lam": x} for x in exp.ease_lambdas], split, cat)
        pop = Pop().fit(split.train, cat)
        fcfg = FusionConfig.preset(cfg.fusion, seed=seed, short_profiles=cfg.short_profiles, ease_lambda=pt["lam"])
        fus = FusionScorer(item_vectors, kg, fcfg)
        t0 = time.perf_counter()
        fus.fit(split.train, cat, valid=split.valid, progress=progress)
        _log(f"onboarding seed {seed}: EASE lambda {pt['lam']:g}; fusion fitted in {time.perf_counter() - t0:.0f}s")
        stats = training_stats(dataset, warm_inter.user_ids)  # training users only
        strategies = make_strategies(cfg.strategies, stats, cat, ease.B, split, cfg, seed)

        rng.shuffle(cold_ids)
        cold_ids = cold_ids[: cfg.max_users]
        pop_scores = pop.score_profile(Profile())  # (n_items,)
        cells: dict[tuple[str, int], list[dict]] = {}
        skipped_few = 0
        t0 = time.perf_counter()
        for ui, uid in enumerate(cold_ids):
            items, ratings = raw_of[uid]
            pos = rng.permutation(items[ratings >= cfg.like_threshold])
            if len(pos) < 2:
                skipped_few += 1
                continue
            n_t = max(1, int(len(pos) * cfg.target_share))
            targets, pool = pos[-n_t:], pos[:-n_t]
            rated = {int(i): float(r) for i, r in zip(items, ratings)}
            genres = user_genres(pos, cat, cfg.n_genres)
            ents = [node_id("genre", g) for g in genres]
            warm_scores = fus.score_profile(Profile(liked=[cat.ids[i] for i in pool]))  # (n_items,)
            cache: dict[tuple, np.ndarray] = {}

            def fusion_scores(prof: Profile) -> np.ndarray:
                key = (tuple(sorted(prof.liked)), tuple(sorted(prof.disliked)), tuple(sorted(prof.seen)))
                if key not in cache:
                    cache[key] = fus.score_profile(prof)
                return cache[key]

            def record(name: str, budget: int, shown_rows: list[int], answers: dict[int, int], stopped: bool,
                       no_stop: dict | None = None):
                row = user_result(fusion_scores, cat, pool, targets, shown_rows, answers, ents,
                                  {"pop": pop_scores, "warm": warm_scores})
                row["stopped_early"] = stopped
                if no_stop is not None and not row["skipped"]:
                    row.update(no_stop)
                cells.setdefault((name, budget), []).append(row)

            record("genres_only", 0, [], {}, False)
            for name, strat in strategies.items():
                flow = simulate_flow(strat, rated, genres, max_budget, cfg.round_size, cfg.stop_after_likes, ui)
                full = simulate_flow(strat, rated, genres, max_budget, cfg.round_size, 0, ui) if cfg.stop_after_likes else flow
                for b in cfg.budgets:
                    shown = [r for rd in flow.rounds for r in rd][:b]
                    shown_ns = [r for rd in full.rounds for r in rd][:b]
                    ns = None
                    if shown_ns != shown and len(np.setdiff1d(targets, shown_ns)):
                        mm = user_result(fusion_scores, cat, pool, targets, shown_ns,
                                         {r: full.answers[r] for r in shown_ns}, ents)
                        ns = {"no_stop_ndcg@10": mm["ndcg@10"], "no_stop_same_targets": False}
                    elif shown_ns == shown:
                        ns = {"no_stop_same_targets": True}
                    stopped = flow.stopped_early and len(shown) < b
                    record(name, b, shown, {r: flow.answers[r] for r in shown}, stopped, ns)
            if (ui + 1) % 25 == 0:
                _log(f"onboarding seed {seed}: {ui + 1}/{len(cold_ids)} users, {time.perf_counter() - t0:.0f}s")
        per_seed.append({"seed": seed, "ease_lambda": pt["lam"], "held_out_users": len(cold_ids),
                         "skipped_fewer_than_2_positives": skipped_few,
                         "greedy_order": [cat.ids[r] for r in getattr(strategies.get("greedy"), "order", [])],
                         "cells": {f"{n}@{b}": _aggregate(rows) for (n, b), rows in cells.items()}})
    return summarise_onboarding(per_seed, dataset.name, cfg, best)


def _aggregate(rows: list[dict]) -> dict:
    """Means over one seed's users of one (strategy, budget) cell."""
    ev = [r for r in rows if not r["skipped"]]
    out = {"users": len(ev), "skipped_no_targets_left": len(rows) - len(ev),
           "targets_consumed": int(sum(r["consumed"] for r in rows)),
           "targets_consumed_per_user": float(np.mean([r["consumed"] for r in rows])) if rows else 0.0,
           "titles_shown": float(np.mean([r["shown"] for r in rows])) if rows else 0.0,
           "stopped_early_share": float(np.mean([r["stopped_early"] for r in rows])) if rows else 0.0,
           "liked": float(np.mean([r["liked"] for r in rows])) if rows else 0.0,
           "known": float(np.mean([r["known"] for r in rows])) if rows else 0.0}
    out["effort"] = float(sum(r["shown"] for r in rows) / max(sum(r["known"] for r in rows), 1))
    for k in ("ndcg@10", "recall@10", "pop_ndcg@10", "pop_recall@10", "warm_ndcg@10", "warm_recall@10"):
        out[k] = float(np.mean([r[k] for r in ev])) if ev else 0.0
    # the same flow without the early-stopping rule (= the rule's cost), on the users evaluated with it
    ns = [r.get("no_stop_ndcg@10", r["ndcg@10"]) for r in ev if r.get("no_stop_same_targets") is not None]
    out["no_stop_ndcg@10"] = float(np.mean(ns)) if ns else out["ndcg@10"]
    return out


def goal_margin(cell: dict) -> float:
    """How far a cell is from issue #16's goal, as one number: min(NDCG@10 / popularity / 1.25,
    NDCG@10 / warm / 0.5) (>= 1 meets both)."""
    return min(cell["vs_popularity"] / 1.25, cell["share_of_warm"] / 0.5)


def summarise_onboarding(per_seed: list[dict], dataset: str, cfg: OnboardingConfig, best: str | None = None) -> dict:
    """Seed means per (strategy, budget), ratios to the denominators, and the best strategy at 10
    titles (by `goal_margin` on these seeds unless `best` - chosen on development seeds - is given)."""
    keys = list(per_seed[0]["cells"])
    table: dict[str, dict[str, dict]] = {}
    # The denominators are what the user gets with no onboarding at all, on all their targets: Pop, and the
    # fusion given the whole pool (warm), the pool masked and nothing shown (the genres_only cell measures
    # both). The same two numbers divide every strategy. Scored instead on each strategy's *remaining*
    # targets, they would reward showing popular titles: those use up the targets popularity finds, so the
    # popularity denominator collapses (3x "gains" for the strategies with the lowest NDCG); those ratios
    # are kept as vs_popularity_remaining / share_of_warm_remaining.
    base = [s["cells"]["genres_only@0"] for s in per_seed]
    pop0 = float(np.mean([c["pop_ndcg@10"] for c in base]))
    warm0 = float(np.mean([c["warm_ndcg@10"] for c in base]))
    for key in keys:
        name, b = key.rsplit("@", 1)
        cells = [s["cells"][key] for s in per_seed]
        mean = {k: float(np.mean([c[k] for c in cells])) for k in cells[0]}
        mean["users"] = int(sum(c["users"] for c in cells))
        mean["skipped_no_targets_left"] = int(sum(c["skipped_no_targets_left"] for c in cells))
        mean["targets_consumed"] = int(sum(c["targets_consumed"] for c in cells))
        mean["vs_popularity"] = mean["ndcg@10"] / max(pop0, 1e-12)
        mean["share_of_warm"] = mean["ndcg@10"] / max(warm0, 1e-12)
        mean["vs_popularity_remaining"] = mean["ndcg@10"] / max(mean["pop_ndcg@10"], 1e-12)
        mean["share_of_warm_remaining"] = mean["ndcg@10"] / max(mean["warm_ndcg@10"], 1e-12)
        mean["goal_margin"] = goal_margin(mean)
        table.setdefault(b, {})[name] = mean
    at10 = table.get("10", {})
    chosen_on = "development seeds (given with --best-strategy)" if best else f"these seeds {list(cfg.seeds)}"
    if best is None and at10:
        best = max((n for n in at10 if n != "genres_only"), key=lambda n: goal_margin(at10[n]))
    res = {"dataset": dataset, "seeds": [s["seed"] for s in per_seed], "config": asdict(cfg),
           "best_strategy": best, "best_strategy_chosen_on": chosen_on,
           "popularity_without_onboarding_ndcg@10": pop0, "warm_ndcg@10": warm0,
           "ndcg10_vs_popularity_at_10": at10[best]["vs_popularity"] if best in at10 else None,
           "ndcg10_vs_warm_at_10": at10[best]["share_of_warm"] if best in at10 else None,
           "by_budget": table, "per_seed": per_seed}
    return res


def resummarise(saved: dict, best: str | None = None) -> dict:
    """The tables of a saved `run_onboarding` result (its JSON), recomputed from its per-seed cells."""
    cfg = OnboardingConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in saved["config"].items()})
    return summarise_onboarding(saved["per_seed"], saved["dataset"], cfg, best)


def product_questionnaire(dataset, length: int = 20, seed: int = 0) -> list[str]:
    """The greedy questionnaire the product asks (item ids, in asking order), built as in evaluation but
    from every user: RatingStats of all raw ratings, EASE (lambda tuned on a per-user validation split)
    as the proxy, NDCG@10 on that validation split as the quality. Cached by the caller."""
    inter = prepare(dataset)
    n_items = len(dataset.catalog)
    split = split_by_user(inter, n_items, seed)
    exp = ExperimentConfig()
    ease, _, _ = tune(lambda lam: EASE(lam), [{"lam": x} for x in exp.ease_lambdas], split, dataset.catalog)
    stats = training_stats(dataset, inter.user_ids)
    from .base import binary_csr

    greedy = GreedyQuestionnaire(stats, ease.B, binary_csr(split.train, n_items), binary_csr(split.valid, n_items),
                                 length=length, seed=seed)
    return [dataset.catalog.at(r).id for r in greedy.order]
