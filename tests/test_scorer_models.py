"""The pieces the fusion scorer and the harness are built from: the ranking losses on candidate
lists, UserKNN's self-exclusion, the iALS solve, early stopping of BPR-MF on validation NDCG,
masked NDCG and validation-split hyper-parameter selection."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from scorer.baselines import BPRMF, EASE, IALS, UserKNN
from scorer.fusion import ranking_loss
from scorer.protocol import masked_ndcg, prepare, split_by_user


def _lists(scores, targets, weights=None):
    """One candidate list per row: logits (b, C), weights (b, C), targets first (b, C) bool."""
    lo = torch.tensor(np.asarray(scores, np.float32), requires_grad=True)
    t = torch.zeros(lo.shape, dtype=torch.bool)
    for r, n in enumerate(targets):
        t[r, :n] = True
    w = torch.ones(lo.shape) if weights is None else torch.tensor(weights, dtype=torch.float32)
    return lo, w, t


def test_softmax_loss_weight_counts_like_repeated_items():
    # a candidate of weight 3 stands for three catalog items with its score
    lo, w, t = _lists([[2.0, 1.0, 0.5]], [1], [[1, 1, 3]])
    lo2, w2, t2 = _lists([[2.0, 1.0, 0.5, 0.5, 0.5]], [1])
    assert ranking_loss(lo, w, t, "softmax").item() == pytest.approx(ranking_loss(lo2, w2, t2, "softmax").item(), rel=1e-6)
    direct = -(2.0 - np.log(np.exp(2.0) + np.exp(1.0) + 3 * np.exp(0.5)))
    assert ranking_loss(lo, w, t, "softmax").item() == pytest.approx(direct, rel=1e-6)


def test_ndcg_loss_approximates_ndcg_and_rewards_moving_targets_up():
    n = 40
    base = np.linspace(5, -5, n)  # item j has the j-th best score
    at = lambda rank: np.r_[base[rank - 1], np.delete(base, rank - 1)]  # noqa: E731  target (column 0) at `rank`
    losses = {}
    for rank in (1, 5, 30):
        lo, w, t = _lists([at(rank) * 20], [1])  # sharp: sigmoid ranks are exact
        losses[rank] = ranking_loss(lo, w, t, "ndcg").item()
    assert losses[1] < losses[5] < losses[30] <= 0.0
    assert -losses[1] == pytest.approx(1.0, abs=0.02)  # rank 1 of one target: NDCG@10 = 1 (soft cut ~0.99)
    assert -losses[5] == pytest.approx(0.96 / np.log2(6), abs=0.02)  # 1/log2(1+5) times the soft cut at rank 5
    assert abs(losses[30]) < 1e-3  # far below the cut: no gain
    lo, w, t = _lists([at(3)], [1])
    ranking_loss(lo, w, t, "ndcg").backward()
    assert lo.grad[0, 0] < 0  # descending the loss raises the target
    assert (lo.grad[0, 1:3] > 0).all()  # and lowers the two items above it


def test_ndcg_loss_weight_shifts_rank():
    # the single non-target candidate stands for 6 items above the target -> rank 7
    lo, w, t = _lists([[0.0, 100.0]], [1], [[1, 6]])
    expect = 1 / np.log2(8) / (1 + np.exp(-(10.5 - 7) / 2.0))
    assert -ranking_loss(lo, w, t, "ndcg").item() == pytest.approx(expect, rel=1e-3)
    with pytest.raises(Exception, match="unknown loss"):
        ranking_loss(lo, w, t, "hinge")


def test_user_knn_never_uses_the_user_itself(tiny_dataset):
    m = UserKNN(k=2).fit(tiny_dataset.interactions.positives(3.0), tiny_dataset.catalog)
    X = m.train_csr
    for row in range(X.shape[0]):
        others = np.setdiff1d(np.arange(X.shape[0]), [row])
        ref = UserKNN(k=2)
        ref._fit(X[others])
        np.testing.assert_allclose(m.score_users(np.array([row]))[0], ref.scores(X[row])[0], rtol=1e-6)
    # a profile identical to a training user's history does find that user
    assert m.scores(X[0])[0].max() > m.score_users(np.array([0]))[0].max()


def test_ials_fold_in_is_the_least_squares_solution(tiny_dataset):
    m = IALS(dim=3, alpha0=0.2, reg=0.5, epochs=4, seed=0).fit(tiny_dataset.interactions.positives(3.0), tiny_dataset.catalog)
    V = m.V.astype(np.float64)
    h = np.zeros(len(tiny_dataset.catalog)); h[[0, 1]] = 1.0
    u = np.linalg.solve(0.2 * V.T @ V + V[[0, 1]].T @ V[[0, 1]] + 0.5 * np.eye(3), V[[0, 1]].sum(0))
    np.testing.assert_allclose(m._score_history(sp.csr_matrix(h[None]))[0], V @ u, rtol=1e-4, atol=1e-6)


def _ials_objective(m, X):
    V = m.V.astype(np.float64)
    U = m._solve(X, V)
    P = U @ V.T
    Xd = X.toarray()
    return ((1 - P[Xd > 0]) ** 2).sum() + m.alpha0 * (P ** 2).sum() + m.reg * ((U ** 2).sum() + (V ** 2).sum())


@pytest.mark.slow
def test_ials_training_lowers_its_objective(ml100k):
    split = split_by_user(prepare(ml100k), len(ml100k.catalog), seed=0)
    a = IALS(dim=16, epochs=1, seed=0).fit(split.train, ml100k.catalog)
    b = IALS(dim=16, epochs=4, seed=0).fit(split.train, ml100k.catalog)
    assert _ials_objective(b, a.train_csr) < _ials_objective(a, a.train_csr)


@pytest.mark.slow
def test_bpr_early_stopping_keeps_the_best_validation_epoch(ml100k):
    split = split_by_user(prepare(ml100k), len(ml100k.catalog), seed=0)
    m = BPRMF(epochs=12, lr=0.01, batch=4096, seed=0, eval_every=1, patience=2)
    m.fit(split.train, ml100k.catalog, valid=split.valid)
    epochs, scores = zip(*m.valid_log)
    assert list(epochs) == list(range(1, len(epochs) + 1)) and m.epochs_run == epochs[-1]
    assert m.best_epoch == epochs[int(np.argmax(scores))]
    stopped = m.epochs_run < 12
    assert not stopped or m.epochs_run - m.best_epoch == 2  # patience 2
    kept = masked_ndcg(m.score_users, m.train_csr, m.valid_csr)  # the embeddings kept are the best epoch's
    assert kept == pytest.approx(max(scores), abs=1e-5)
    plain = BPRMF(epochs=3, lr=0.01, batch=4096, seed=0).fit(split.train, ml100k.catalog)
    assert plain.valid_log == [] and plain.best_epoch == 3  # no validation split: all epochs, last kept


@pytest.mark.slow
def test_tune_picks_the_best_validation_point(ml100k):
    from scorer.experiment import tune

    split = split_by_user(prepare(ml100k), len(ml100k.catalog), seed=0)
    grid = [{"lam": x} for x in (1.0, 300.0, 30000.0)]
    best, point, log = tune(lambda lam: EASE(lam), grid, split, ml100k.catalog)
    assert [p for p, _ in log] == grid
    assert point == max(log, key=lambda pv: pv[1])[0] and point["lam"] == 300.0  # both extremes are worse
    assert best.lam == point["lam"]
