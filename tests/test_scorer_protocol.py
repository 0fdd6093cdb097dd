"""The evaluation protocol: 10-core filtering, per-user 8:1:1 split, masking and metric values."""

from __future__ import annotations

import numpy as np
import pytest

from catalog.types import Interactions
from scorer.protocol import Split, core_filter, evaluate, rank_metrics, split_by_user, split_counts


def _inter(pairs, n_users):
    u = np.array([p[0] for p in pairs], np.int32)
    i = np.array([p[1] for p in pairs], np.int32)
    return Interactions([f"u{k}" for k in range(n_users)], u, i, np.full(len(pairs), 5, np.float32),
                        np.arange(len(pairs), dtype=np.int64))


def test_core_filter_is_iterative():
    # users 0..2 rate items 0..2 (3 each); user 3 rates items 0 and 3; item 3 has 1 event.
    pairs = [(u, i) for u in range(3) for i in range(3)] + [(3, 0), (3, 3)]
    out = core_filter(_inter(pairs, 4), core=3)
    # item 3 drops (1 event) -> user 3 has 1 event and drops -> items 0..2 keep 3 each
    assert out.n_users == 3 and set(out.items.tolist()) == {0, 1, 2}
    assert np.bincount(out.users).min() >= 3 and np.bincount(out.items).min() >= 3
    # with core 4 everything cascades away
    assert len(core_filter(_inter(pairs, 4), core=4)) == 0


def test_split_counts_match_recbole():
    assert split_counts(10) == [8, 1, 1]
    assert split_counts(15) == [13, 1, 1]
    assert split_counts(20) == [16, 2, 2]
    assert split_counts(5) == [3, 1, 1]  # shares that round to 0 still get one event


def test_split_is_disjoint_per_user_and_seeded():
    rng = np.random.default_rng(0)
    pairs = [(u, int(i)) for u in range(20) for i in rng.choice(50, size=10 + u, replace=False)]
    inter = _inter(pairs, 20)
    sp = split_by_user(inter, 50, seed=7)
    for u in range(20):
        tr, va, te = (set(x.items[x.users == u].tolist()) for x in (sp.train, sp.valid, sp.test))
        assert not (tr & va or tr & te or va & te)
        assert tr | va | te == set(inter.items[inter.users == u].tolist())
        assert [len(tr), len(va), len(te)] == split_counts(10 + u)
    again = split_by_user(inter, 50, seed=7)
    assert np.array_equal(sp.test.items, again.test.items)
    assert not np.array_equal(sp.test.items, split_by_user(inter, 50, seed=8).test.items)


def test_rank_metrics_hand_computed():
    top = np.array([[1, 2, 3], [4, 5, 6]])
    m = rank_metrics(top, [np.array([2, 9]), np.array([7])], ks=(3,))
    assert m["recall@3"].tolist() == [0.5, 0.0]
    assert m["hit@3"].tolist() == [1.0, 0.0]
    assert m["mrr@3"].tolist() == [0.5, 0.0]
    idcg = 1 + 1 / np.log2(3)
    assert m["ndcg@3"][0] == pytest.approx((1 / np.log2(3)) / idcg)
    m1 = rank_metrics(np.array([[3, 1]]), [np.array([1])], ks=(1, 2))
    assert m1["ndcg@1"][0] == 0 and m1["ndcg@2"][0] == pytest.approx(1 / np.log2(3))


class _Fixed:
    """A 'model' whose scores are fixed: item row r scores n_items - r."""

    def __init__(self, n):
        self.n = n

    def score_users(self, rows):
        return np.tile(np.arange(self.n, 0, -1, dtype=np.float32), (len(rows), 1))


def test_test_time_masks_train_and_valid():
    # one user, 6 items: train {0, 1}, valid {2}, test {3}. Fixed scores rank 0 > 1 > 2 > 3 ...
    mk = lambda items: _inter([(0, i) for i in items], 1)  # noqa: E731
    sp = Split(mk([0, 1]), mk([2]), mk([3]), n_items=6, seed=0)
    m = evaluate(_Fixed(6), sp, ks=(1, 2))
    assert m["hit@1"] == 1.0 and m["ndcg@1"] == 1.0  # 0, 1 (train) and 2 (valid) masked -> 3 first
    v = evaluate(_Fixed(6), sp, which="valid", ks=(1,))
    assert v["hit@1"] == 1.0  # at validation time only train is masked -> 2 first


def test_cold_user_metrics_mask_the_whole_known_pool():
    """A cold user's pool positives that were not given as the profile are known, not misses: with
    Pop (item r has 20 - r ratings), pool = rows 0..4, targets = rows 5, 6, profile = row 0 only,
    the targets must rank 1st and 2nd. Masking only the profile's row would put rows 1..4 first."""
    from catalog.types import Catalog, Item
    from scorer.base import Profile
    from scorer.baselines import Pop
    from scorer.experiment import cold_user_metrics

    cat = Catalog([Item(f"m{r}", f"Movie {r}", 1990) for r in range(20)])
    pairs = [(u, r) for r in range(20) for u in range(20 - r)]  # item r rated by users 0..19-r
    pop = Pop().fit(_inter(pairs, 20), cat)
    pool, targets = np.arange(5), np.array([5, 6])
    m = cold_user_metrics(pop, Profile(liked=["m0"]), pool, targets)
    assert m["ndcg@10"] == pytest.approx(1.0) and m["recall@10"] == pytest.approx(1.0)
    # the profile's own items are masked too when they are all of the pool
    m = cold_user_metrics(pop, Profile(liked=[f"m{r}" for r in range(5)]), pool, np.array([7]))
    assert m["ndcg@10"] == pytest.approx(1 / np.log2(4))  # row 7 is third after rows 5, 6
