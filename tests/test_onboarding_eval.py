"""`recassist eval onboarding` building blocks (scorer.elicitation, scorer.onboarding_eval) with real
components on small data: the answer rule, the simulated flow and its early stopping, held-out users
kept out of training and out of the strategies' statistics, masking of the pool and of shown
titles, consumed targets, and strategies that return distinct unseen titles."""

from __future__ import annotations

import numpy as np
import pytest

from catalog.types import Catalog, Interactions, Item
from scorer.baselines import EASE, Pop
from scorer.base import Profile
from scorer.base import binary_csr
from scorer.elicitation import (DISLIKE, LIKE, SEEN, UNKNOWN, AdaptiveNeighbours, Answers, GreedyQuestionnaire,
                                LogPopEntropy, RandomTitles, RatingStats, StaticOrder, answer_codes, answer_for,
                                entropy0_strategy, helf_strategy, popularity_strategy)
from scorer.onboarding_eval import (answers_profile, hold_out_users, simulate_flow, training_stats, user_genres,
                                    user_result)
from scorer.protocol import prepare


def test_answer_rule():
    assert [answer_for(r) for r in (5, 4, 3, 2, 1, None, 0)] == [LIKE, LIKE, SEEN, DISLIKE, DISLIKE, UNKNOWN, UNKNOWN]
    assert answer_codes(np.array([5, 4, 3, 2, 1, 0])).tolist() == [LIKE, LIKE, SEEN, DISLIKE, DISLIKE, UNKNOWN]


def test_flow_answers_from_ratings_in_rounds_and_stops_early():
    ratings = {0: 5, 1: 4, 2: 3, 3: 2, 4: 1, 6: 4, 7: 5, 8: 4}  # row 5 unrated
    order = StaticOrder("fixed", -np.arange(20, dtype=float))  # shows rows 0, 1, 2, ...
    f = simulate_flow(order, ratings, [], budget=10, round_size=5, stop_after_likes=0)
    assert f.rounds == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]] and not f.stopped_early
    assert [f.answers[r] for r in range(6)] == [LIKE, LIKE, SEEN, DISLIKE, DISLIKE, UNKNOWN]
    p = answers_profile(f.answers, Catalog([Item(f"m{r}", f"M{r}", 1990) for r in range(20)]), ["genre:Drama"])
    assert p.liked == ["m0", "m1", "m6", "m7", "m8"] and p.seen == ["m2"] and p.disliked == ["m3", "m4"]
    assert p.entities == ["genre:Drama"]
    # 2 likes after round 1, 5 after round 2: with the rule at 5 likes, a 20-title budget ends after 10
    f = simulate_flow(order, ratings, [], budget=20, round_size=5, stop_after_likes=5)
    assert len(f.rounds) == 2 and f.stopped_early
    f = simulate_flow(order, ratings, [], budget=20, round_size=5, stop_after_likes=6)
    assert len(f.rounds) == 4 and not f.stopped_early


def test_held_out_users_are_absent_from_training_and_from_the_statistics(ml100k):
    inter = prepare(ml100k)
    cold_ids, warm_inter, split = hold_out_users(inter, len(ml100k.catalog), seed=0, share=0.1)
    assert 50 < len(cold_ids) < 150
    assert not set(cold_ids) & set(split.train.user_ids) and set(split.train.user_ids) == set(warm_inter.user_ids)
    for part in (split.train, split.valid, split.test):
        assert not set(cold_ids) & {part.user_ids[u] for u in np.unique(part.users)}
    stats = training_stats(ml100k, warm_inter.user_ids)
    raw = ml100k.interactions
    warm = np.isin(np.asarray(raw.user_ids)[raw.users], warm_inter.user_ids)
    assert np.array_equal(stats.popularity, np.bincount(raw.items[warm], minlength=len(ml100k.catalog)))
    everyone = np.bincount(raw.items, minlength=len(ml100k.catalog))
    assert (stats.popularity < everyone).any()  # the held-out users' ratings really are left out
    assert stats.codes.shape == (len(warm_inter.user_ids), len(ml100k.catalog))


def _pop_world():
    """20 items, item r rated by users 0..19-r (Pop ranks rows 0, 1, 2, ... first)."""
    cat = Catalog([Item(f"m{r}", f"Movie {r}", 1990, genres=("Drama",) if r % 2 else ("Comedy",)) for r in range(20)])
    pairs = [(u, r) for r in range(20) for u in range(20 - r)]
    inter = Interactions([f"u{k}" for k in range(20)], np.array([p[0] for p in pairs], np.int32),
                         np.array([p[1] for p in pairs], np.int32), np.full(len(pairs), 5, np.float32),
                         np.arange(len(pairs), dtype=np.int64))
    return cat, Pop().fit(inter, cat)


def test_pool_and_shown_titles_are_masked_and_shown_targets_consumed():
    cat, pop = _pop_world()
    pool, targets = np.array([0, 1]), np.array([4, 5, 19])
    seen_profiles = []

    def score(profile):
        seen_profiles.append(profile)
        return pop.score_profile(profile)

    # shown 2, 3 (not targets) and 4 (a target): 4 is consumed; the ranking starts at 5
    answers = {2: DISLIKE, 3: UNKNOWN, 4: LIKE}
    row = user_result(score, cat, pool, targets, [2, 3, 4], answers, references={"pop": pop.score_profile(Profile())})
    assert row["consumed"] == 1 and row["remaining_targets"] == 2 and row["shown"] == 3 and row["known"] == 2
    top_two = 1 / np.log2(2) + 1 / np.log2(3)
    assert row["ndcg@10"] == pytest.approx(1 / np.log2(2) / top_two)  # 5 first, 19 beyond the top 10
    assert row["recall@10"] == pytest.approx(0.5)
    # Pop without onboarding: only the pool masked, same remaining targets (5 at rank 4 after 2, 3, 4)
    assert row["pop_ndcg@10"] == pytest.approx(1 / np.log2(5) / top_two)
    assert seen_profiles[-1].liked == ["m4"] and seen_profiles[-1].disliked == ["m2"]
    # every target shown: the user is skipped
    row = user_result(score, cat, pool, np.array([4, 5]), [4, 5], {4: LIKE, 5: LIKE})
    assert row["skipped"] and row["consumed"] == 2 and "ndcg@10" not in row


def test_user_genres_by_lift():
    cat = Catalog([Item("a", "A", 1990, genres=("Drama",)), Item("b", "B", 1990, genres=("Drama",)),
                   Item("c", "C", 1990, genres=("Drama",)), Item("d", "D", 1990, genres=("Film-Noir", "Drama")),
                   Item("e", "E", 1990, genres=("Film-Noir",)), Item("f", "F", 1990, genres=("Comedy",))])
    # positives a, d, e: Film-Noir 2/3 of them vs 2/6 of the catalog (lift 2), Drama 2/3 vs 4/6 (1)
    assert user_genres(np.array([0, 3, 4]), cat, n=2) == ["Film-Noir", "Drama"]


@pytest.fixture(scope="module")
def strategies(ml100k):
    inter = prepare(ml100k)
    cat = ml100k.catalog
    _, warm_inter, split = hold_out_users(inter, len(cat), seed=0, share=0.1)
    stats = training_stats(ml100k, warm_inter.user_ids)
    ease = EASE(300.0).fit(split.train, cat)
    greedy = GreedyQuestionnaire(stats, ease.B, binary_csr(split.train, len(cat)), binary_csr(split.valid, len(cat)),
                                 length=12, candidates=30, max_users=100)
    return stats, [RandomTitles(stats), popularity_strategy(stats), LogPopEntropy(stats, cat), helf_strategy(stats),
                   entropy0_strategy(stats), greedy, AdaptiveNeighbours(stats, cat)]


def test_strategies_return_distinct_unseen_titles(strategies):
    stats, strats = strategies
    rng = np.random.default_rng(0)
    for s in strats:
        ans = Answers(["Sci-Fi", "Horror"], user_seed=3)
        for _ in range(3):
            rows = s.next_titles(ans, 5)
            assert len(rows) == 5 and len(set(rows)) == 5, s.name
            assert not set(rows) & set(ans.shown), s.name
            assert all(0 <= r < stats.n_items for r in rows), s.name
            for r in rows:
                ans.shown[r] = int(rng.choice([LIKE, SEEN, DISLIKE, UNKNOWN]))


def test_adaptive_follows_the_answers(strategies):
    stats, strats = strategies
    adaptive = strats[-1]
    first = adaptive.next_titles(Answers(), 5)
    a, b = Answers(), Answers()
    for r in first:
        a.shown[r], b.shown[r] = LIKE, UNKNOWN
    assert adaptive.next_titles(a, 5) != adaptive.next_titles(b, 5)
    # static strategies ignore answers
    pop = strats[1]
    assert pop.next_titles(a, 5) == pop.next_titles(b, 5)


def test_greedy_questionnaire_raises_its_proxy(strategies):
    _, strats = strategies
    greedy = strats[5]
    assert len(greedy.order) == 12 and len(set(greedy.order)) == 12
    assert greedy.proxy_log[-1] > greedy.proxy_log[0]


# -- the product's onboarding (assistant.onboarding), on the real ML-100K assistant ---------------------------
@pytest.mark.slow
def test_product_onboarding_rounds_answers_and_early_stop(ml100k_assistant, paths):
    """Titles come in rounds of five from the built questionnaire, each answered like / dislike / seen
    (in words or with the card buttons); a round with few likes brings another, five likes end the titles;
    titles shown and not answered stay out of the first picks."""
    from assistant.onboarding import QUESTIONNAIRE_FILE, ROUND_SIZE, load_questionnaire

    a = ml100k_assistant
    q = load_questionnaire(a.dataset, paths.artifacts(a.dataset.name) / QUESTIONNAIRE_FILE)
    assert q and a.onboarding.strategy == "greedy" and a.onboarding.questionnaire == q  # `recassist build` made it
    a.start_onboarding("onb-a")
    r = a.respond("onb-a", "skip")  # no genres
    first = [c.item_id for c in r.cards]
    assert first == q[:ROUND_SIZE] and len(r.options) == ROUND_SIZE
    r = a.respond("onb-a", "liked 1 and 3, didn't like 2, seen 4")
    p = a.profile("onb-a")
    assert p["liked"] == [first[0], first[2]] and p["disliked"] == [first[1]] and first[3] in p["seen"]
    second = [c.item_id for c in r.cards]
    assert second == q[ROUND_SIZE:2 * ROUND_SIZE] and r.question  # two likes: a second round
    a.feedback("onb-a", second[0], "like")  # the card buttons answer too
    a.feedback("onb-a", second[1], "dislike")
    r = a.respond("onb-a", "3 and 4 were great")  # five likes now: the titles end
    p = a.profile("onb-a")
    assert len(p["liked"]) == 5 and second[1] in p["disliked"]
    assert "directors or actors" in r.question and not r.cards
    r = a.respond("onb-a", "skip")
    unanswered = {first[4], second[4]}
    assert r.cards and not unanswered & {c.item_id for c in r.cards}
    assert not set(p["liked"] + p["disliked"]) & {c.item_id for c in r.cards}
