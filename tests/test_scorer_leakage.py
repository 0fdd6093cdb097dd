"""The test split never reaches what is fitted or chosen, and the plain ensemble is tuned on validation.

A spy run of `scorer.experiment.run_accuracy` on tiny synthetic data (60 users x 40 items, one seed,
every model of the accuracy table) records every Interactions and matrix handed to
  - `fit` of every model (`Recommender.fit`, `FusionScorer.fit`: train and valid),
  - `tune`'s selection metric (`masked_ndcg` in scorer.experiment: history mask and targets),
  - the fusion's weight and loss choice (`FusionScorer._train_net`: histories and held-out targets;
    `FusionScorer._monitor_ndcg`: the monitor users' histories and targets that pick the loss),
  - the ensemble's weight choice (`PlainEnsemble.choose_weights`),
and asserts that none of them contains a (user, item) pair of the seed's test split. The spy sees
the validation pairs (checked), so a test pair passed anywhere in their place would be caught.
"""

from __future__ import annotations

import numpy as np
import pytest

from catalog.types import Catalog, Dataset, Interactions, Item

GENRES = ("Action", "Comedy", "Drama", "Sci-Fi")


def synthetic_dataset(n_users: int = 60, n_items: int = 40, seed: int = 0) -> Dataset:
    """Two taste groups over two halves of the catalog; every user and item keeps >= 10 positives
    (ratings >= 3), so the protocol's 10-core filter leaves the data intact."""
    rng = np.random.default_rng(seed)
    items = [Item(f"i{r}", f"Item {r}", 1970 + r, genres=(GENRES[r % 4],), directors=(f"Director {r % 6}",),
                  cast=(f"Actor {r % 9}", f"Actor {(r + 3) % 9}")) for r in range(n_items)]
    cat = Catalog(items)
    users, its, ratings = [], [], []
    for u in range(n_users):
        half = np.arange(n_items // 2) + (n_items // 2) * (u % 2)  # (n_items/2,) the user's preferred items
        liked = rng.choice(half, size=14, replace=False)
        other = rng.choice(np.setdiff1d(np.arange(n_items), liked), size=8, replace=False)
        for i, r in [(i, rng.choice([4, 5])) for i in liked] + [(i, rng.choice([1, 2, 3])) for i in other]:
            users.append(u); its.append(int(i)); ratings.append(float(r))
    inter = Interactions([f"u{u}" for u in range(n_users)], np.array(users, np.int32), np.array(its, np.int32),
                         np.array(ratings, np.float32), np.arange(len(users), dtype=np.int64))
    return Dataset("synthetic", cat, inter, {})


def _pairs_inter(inter: Interactions) -> set[tuple[str, int]]:
    return {(inter.user_ids[u], int(i)) for u, i in zip(inter.users, inter.items)}


def _pairs_csr(X, user_ids: list[str]) -> set[tuple[str, int]]:
    """(user id, item row) of every stored non-zero of an (n_users, n_items) matrix on `user_ids`."""
    X = X.tocsr(); X.eliminate_zeros()
    rows, cols = X.nonzero()
    return {(user_ids[r], int(c)) for r, c in zip(rows, cols)}


def _pairs_monitor(Xm, Ym, split) -> tuple[set, set]:
    """The fusion's monitor matrices are row subsets (Xh[mon], Y[mon]) without their user rows: each
    history row is matched to the one user whose training items it equals. A row that matches no
    user (e.g. a history built from test items) becomes the user id None, which no check lets pass."""
    by_train: dict[frozenset, list[str]] = {}
    for u, items in _items_by_user(split.train).items():
        by_train.setdefault(frozenset(items), []).append(u)
    Xm, Ym = Xm.tocsr(), Ym.tocsr()
    hist, targ = set(), set()
    for j in range(Xm.shape[0]):
        h = Xm.indices[Xm.indptr[j] : Xm.indptr[j + 1]]
        match = by_train.get(frozenset(int(i) for i in h), [])
        u = match[0] if len(match) == 1 else None
        hist |= {(u, int(i)) for i in h}
        targ |= {(u, int(i)) for i in Ym.indices[Ym.indptr[j] : Ym.indptr[j + 1]]}
    return hist, targ


def _items_by_user(inter: Interactions) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for u, i in zip(inter.users, inter.items):
        out.setdefault(inter.user_ids[u], set()).add(int(i))
    return out


@pytest.fixture(scope="module")
def spy_run():
    """run_accuracy with spies on every path into fitting and choosing; returns (result, split, records)
    where records = [(what, model, pairs)]."""
    from kg.graph import KnowledgeGraph
    from scorer import experiment
    from scorer.base import Recommender
    from scorer.ensemble import PlainEnsemble
    from scorer.experiment import ExperimentConfig, run_accuracy
    from scorer.fusion import FusionConfig, FusionScorer

    mp = pytest.MonkeyPatch()
    ds = synthetic_dataset()
    splits, raw = [], []  # raw: (what, model, Interactions or matrix); matrices are converted after the run

    def spy_split(*a, **kw):
        sp = split_by_user(*a, **kw)
        splits.append(sp)
        return sp

    def spy_fit(orig):
        def fit(self, train, catalog, valid=None, **kw):
            raw.append(("fit train", self.name, train))
            if valid is not None:
                raw.append(("fit valid", self.name, valid))
            return orig(self, train, catalog, valid=valid, **kw)
        return fit

    def spy_method(orig, what, model):
        def method(self, *args, **kw):
            for j, m in enumerate(a for a in args if hasattr(a, "tocsr")):
                raw.append((f"{what} arg{j}", model, m))
            return orig(self, *args, **kw)
        return method

    def spy_monitor(self, F_parts, hs_parts, Xm, Ym):
        raw.append(("fusion loss choice (monitor)", "Fusion", (Xm, Ym)))
        return monitor_ndcg(self, F_parts, hs_parts, Xm, Ym)

    def spy_masked_ndcg(score_rows, mask, target, *a, **kw):
        raw.append(("tune mask", "tune", mask)); raw.append(("tune target", "tune", target))
        return masked_ndcg(score_rows, mask, target, *a, **kw)

    split_by_user, masked_ndcg, monitor_ndcg = experiment.split_by_user, experiment.masked_ndcg, FusionScorer._monitor_ndcg
    mp.setattr(experiment, "split_by_user", spy_split)
    mp.setattr(experiment, "masked_ndcg", spy_masked_ndcg)
    mp.setattr(Recommender, "fit", spy_fit(Recommender.fit))
    mp.setattr(FusionScorer, "fit", spy_fit(FusionScorer.fit))
    mp.setattr(FusionScorer, "_train_net", spy_method(FusionScorer._train_net, "fusion weights/loss", "Fusion"))
    mp.setattr(FusionScorer, "_monitor_ndcg", spy_monitor)
    # a short fusion fit (the data flow is what is tested, not the weights): 30 steps per loss, short lists
    preset = FusionConfig.preset
    fast = dict(steps=30, max_targets=16, train_pool=24, train_random=8, kg_epochs=3)
    mp.setattr(FusionConfig, "preset", classmethod(lambda cls, name, **kw: preset(name, **{**fast, **kw})))
    mp.setattr(PlainEnsemble, "choose_weights", spy_method(PlainEnsemble.choose_weights, "ensemble weights", "Ensemble"))
    try:
        cfg = ExperimentConfig.preset("small", seeds=(3,), bpr_epochs=5, lightgcn_epochs=5, bpr_budget_s=10,
                                      lightgcn_budget_s=10, knn_sizes=(10,), ease_lambdas=(10.0, 100.0))
        vectors = np.random.default_rng(1).normal(size=(len(ds.catalog), 384)).astype(np.float32)  # (n_items, 384)
        res = run_accuracy(ds, KnowledgeGraph.build(ds), vectors, cfg, progress=False)
    finally:
        mp.undo()
    assert len(splits) == 1
    split = splits[0]
    records = []
    for what, model, x in raw:
        if isinstance(x, Interactions):
            records.append((what, model, _pairs_inter(x)))
        elif isinstance(x, tuple):  # the monitor's (histories, targets)
            hist, targ = _pairs_monitor(*x, split)
            records += [(what + " histories", model, hist), (what + " targets", model, targ)]
        else:
            records.append((what, model, _pairs_csr(x, split.train.user_ids)))
    return res, split, records


def test_no_test_pair_reaches_fit_tune_or_loss_choice(spy_run):
    res, split, records = spy_run
    test = _pairs_inter(split.test)
    assert len(test) > 50
    for what, model, pairs in records:
        leaked = pairs & test
        assert not leaked, f"{model} {what} saw {len(leaked)} test pairs, e.g. {sorted(leaked)[:3]}"
        assert all(u is not None for u, _ in pairs), f"{model} {what}: a history row that is no user's training items"
    # the spy covered every path: each model's fit, tune's metric, the fusion's loss choice, the ensemble's weights
    fitted = {m for w, m, _ in records if w == "fit train"}
    assert {"Pop", "ItemKNN", "EASE", "UserKNN", "iALS", "BPR-MF", "LightGCN", "Ensemble", "Fusion"} <= fitted
    valid = _pairs_inter(split.valid)
    whats = {w.split(" arg")[0] for w, _, _ in records}
    assert {"tune mask", "tune target", "fusion weights/loss", "fusion loss choice (monitor) histories",
            "fusion loss choice (monitor) targets", "ensemble weights"} <= whats
    # the monitor rows were matched to users: its histories are training rows, its targets validation pairs
    train = _pairs_inter(split.train)
    for w, _, p in records:
        if w.startswith("fusion loss choice (monitor)"):
            assert p and p <= (valid if w.endswith("targets") else train), w
    # ... and it sees held-out pairs: tune's targets are exactly the validation split
    assert all(p == valid for w, _, p in records if w == "tune target")
    assert res["fusion_chosen_loss"]["3"] in ("softmax", "ndcg")


def test_ensemble_fitted_on_train_and_valid_only(spy_run):
    res, split, records = spy_run
    train, valid = _pairs_inter(split.train), _pairs_inter(split.valid)
    ens = {w: p for w, m, p in records if m == "Ensemble"}
    assert ens["fit train"] == train and ens["fit valid"] == valid
    assert ens["ensemble weights arg0"] == train and ens["ensemble weights arg1"] == valid  # histories, targets
    assert "Ensemble" in res["summary"] and set(res["fusion_vs_plain_ensemble"]) == {"ndcg@10", "recall@10"}
    det = res["runs"][0]["details"]["Ensemble"]
    assert sum(det["chosen"].values()) == pytest.approx(1.0) and len(det["grid"]) == 66
    assert res["runs"][0]["details"]["Fusion"]["chosen_loss"] == res["runs"][0]["chosen_loss"]
    # the ensemble is neither a single model nor one of the baselines
    assert res["fusion_vs_best_single_model"]["ndcg@10"]["best_baseline"] != "Ensemble"


def test_ensemble_weights_maximise_validation_ndcg():
    """The grid search scores the protocol's validation NDCG@10 (train masked) and its EASE-only
    corner is EASE-uw itself, so the chosen blend is at least as good as EASE-uw on validation."""
    from scorer.base import binary_csr
    from scorer.baselines import EASE
    from scorer.ensemble import PlainEnsemble
    from scorer.protocol import masked_ndcg, prepare, split_by_user

    ds = synthetic_dataset(seed=4)
    split = split_by_user(prepare(ds), len(ds.catalog), seed=0)
    M, V = binary_csr(split.train, split.n_items), binary_csr(split.valid, split.n_items)
    ens = PlainEnsemble(ease_lambda=50.0, ease_user_weight=0.5, mf_dim=8, mf_epochs=4, seed=0)
    ens.fit(split.train, ds.catalog, valid=split.valid)
    assert ens.valid_ndcg == pytest.approx(max(v for _, v in ens.grid_log), abs=1e-5)
    assert masked_ndcg(ens.score_users, M, V) == pytest.approx(ens.valid_ndcg, abs=1e-6)
    ease = EASE(50.0, user_weight=0.5).fit(split.train, ds.catalog)
    assert ens.valid_ndcg >= masked_ndcg(ease.score_users, M, V) - 1e-9


def test_accuracy_files_record_commit_loss_and_ensemble(spy_run, tmp_path):
    """What `recassist eval accuracy` writes for the spy run: the commit, the loss each seed kept,
    the Ensemble row and the fusion / ensemble ratio."""
    import json

    from assistant.commands.scorer import commit_id
    from scorer.report import write_accuracy

    res, _, _ = spy_run
    commit = commit_id()
    assert len(commit.removesuffix("-dirty")) == 40
    js, md, _ = write_accuracy(res, tmp_path, "recassist eval accuracy --dataset synthetic", commit)
    saved = json.loads(js.read_text())
    assert saved["commit"] == commit and saved["runs"][0]["chosen_loss"] in ("softmax", "ndcg")
    assert saved["fusion_chosen_loss"] == {"3": saved["runs"][0]["chosen_loss"]}
    text = md.read_text()
    assert f"Commit: `{commit}`" in text and "| Ensemble |" in text and "Fusion / plain ensemble" in text
    assert "Fusion: " in text and f"loss {saved['runs'][0]['chosen_loss']}" in text
    # BPR-MF and LightGCN are labelled with their CPU budget from the config (no published level for this data)
    assert "| BPR-MF (under-trained: 10 s CPU budget) |" in text and "| LightGCN (under-trained: 10 s CPU budget) |" in text
    assert "- LightGCN: fit " in text and "against its 10 s cap" in text and "which ended" in text
