"""The large-catalog scorer (scorer.sparse) on the real ML-100K data: its sparse parts agree with the dense
ones they replace, its features are the z-scores it claims, and its explanations add up.

The recommender contract (recommend, explain sums, save/load) is checked in test_scorer_contract.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from scorer.base import Profile

LIKED = ["183", "89", "50", "172", "181", "127", "174", "96"]  # Alien, Blade Runner, Star Wars, Empire, Jedi, ...


@pytest.fixture(scope="module")
def positives(ml100k):
    from scorer.protocol import dedupe

    return dedupe(ml100k.interactions.positives(3.0))


@pytest.fixture(scope="module")
def sparse_scorer(ml100k, ml100k_kg, paths, positives):
    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from scorer.sparse import SparseConfig, SparseFusionScorer

    vec = item_embeddings(ml100k.catalog, MiniLMEmbedder(), paths.artifacts("ml-100k") / "item_vectors.npz")
    cfg = SparseConfig.preset("small", seed=0, steps=60, max_train_users=400, n_reference=len(ml100k.catalog))
    return SparseFusionScorer(vec, ml100k_kg, cfg).fit(positives, ml100k.catalog)


def test_sparse_item_knn_is_the_dense_top_k(ml100k, positives):
    from scorer.base import binary_csr
    from scorer.baselines import ItemKNN
    from scorer.sparse import sparse_item_knn

    X = binary_csr(positives, len(ml100k.catalog))
    dense = ItemKNN(k=20); dense._fit(X)  # keeps the top 20 of each column
    S = sparse_item_knn(X, k=20, max_history=10**6, budget=200_000).toarray()  # small blocks: many of them
    assert (np.diff(sparse_item_knn(X, k=20).indptr) <= 20).all()
    D = dense.S.T  # cosine is symmetric: row j of the sparse table = column j of the dense one
    both = (S > 0) & (D > 0)
    np.testing.assert_allclose(S[both], D[both], rtol=1e-4)
    # the same neighbour similarities in every row (which of several tied items fills the k-th place may differ)
    np.testing.assert_allclose(-np.sort(-S, 1)[:, :20], -np.sort(-D, 1)[:, :20], rtol=1e-4, atol=1e-6)
    assert both.sum() >= 0.9 * (D > 0).sum()
    assert np.all(np.diag(S) == 0)


def test_ials_gathered_products_match_the_dense_blocks(ml100k, positives):
    from scorer.base import binary_csr
    from scorer.baselines import IALS

    X = binary_csr(positives, len(ml100k.catalog))
    a = IALS(dim=16, epochs=2, seed=3); a._fit(X)
    b = IALS(dim=16, epochs=2, seed=3); b.DENSE_BLOCK_COLS = 0; b._fit(X)  # the large-catalog path (float32)
    assert b.V.dtype == np.float32
    np.testing.assert_allclose(a.V, b.V, rtol=1e-3, atol=5e-4)


def test_catalog_triples_are_the_kgs(ml100k, ml100k_kg):
    from scorer.kg_embedding import catalog_triples, kg_triples

    a, b = kg_triples(ml100k_kg, ml100k.catalog), catalog_triples(ml100k.catalog)
    assert a.entity_ids == b.entity_ids and len(a.items) > 10_000
    for f in ("items", "rels", "ents"):
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f))


def test_features_are_z_scores_over_the_reference_items(sparse_scorer):
    m = sparse_scorer  # n_reference = every item: the estimate is the catalog-wide z-score
    h = m.history(m.profile_rows(Profile(liked=LIKED)))
    rows = np.arange(len(m.catalog))
    F = m.features_at(h, rows)
    for c, name in enumerate(m.learned_signals):
        raw = np.asarray(m._raw(name, h, rows), np.float64)
        want = raw if name in ("popularity", "kg_entities") else (raw - raw.mean()) / raw.std()
        np.testing.assert_allclose(F[:, c], want, atol=2e-3, err_msg=name)


def test_recommends_generated_or_given_candidates_only(sparse_scorer, ml100k):
    m = sparse_scorer
    prof = Profile(liked=LIKED)
    sc = m.score_profile(prof)
    finite = np.flatnonzero(np.isfinite(sc))
    assert 100 < len(finite) < len(ml100k.catalog)  # generated, not the whole catalog
    given = ["1", "2", "3", "50", "not-an-item"]  # Toy Story, GoldenEye, Four Rooms, Star Wars (liked)
    ids, scores = m.recommend(prof, k=10, candidates=given)
    assert set(ids) == {"1", "2", "3"} and np.all(np.isfinite(scores))
    ids_all, _ = m.recommend(prof, k=10)
    assert not set(ids_all) & set(LIKED) and len(ids_all) == 10


def test_warm_up_builds_the_folding_tables_and_changes_no_result(sparse_scorer, ml100k):
    from scorer.base import Profile

    ids = ml100k.catalog.ids
    profile = Profile(liked=[ids[0], ids[49], ids[180]])

    def answers():
        return [sparse_scorer.recommend(profile, k=10), sparse_scorer.recommend(profile, k=5, candidates=ids[200:400]),
                sparse_scorer.explain(profile, ids[300:303])]

    sparse_scorer.mf._fold_cache = sparse_scorer._popular = None
    cold = answers()
    sparse_scorer.mf._fold_cache = sparse_scorer._popular = None
    sparse_scorer.warm_up()
    assert sparse_scorer.mf._fold_cache is not None and sparse_scorer._popular is not None
    warm = answers()
    for (a_ids, a_s), (b_ids, b_s) in zip(cold[:2], warm[:2]):
        assert a_ids == b_ids and np.array_equal(a_s, b_s)
    assert cold[2] == warm[2]


def test_attribution_parts_add_up_and_shares_sum_to_the_history_terms(sparse_scorer):
    from scorer.attribution import HISTORY_SIGNALS, attribute

    m = sparse_scorer
    prof = Profile(liked=LIKED)
    cards, _ = m.recommend(prof, k=8)
    terms, hist, parts = m.attribution_inputs(prof, cards)
    h = m.history(hist)
    rows = np.asarray([m.catalog.index(i) for i in cards])
    for name in ("collaborative_mf", "collaborative_knn", "text", "kg"):  # linear raw signals: exact sums
        raw_at, raw_ref = m._raw(name, h, rows), m._raw(name, h, m.ref_rows)
        np.testing.assert_allclose(parts[name].sum(0), raw_at - raw_ref.mean(), rtol=1e-4, atol=1e-5, err_msg=name)
    for att in attribute(m, prof, cards):
        history = sum(v for k, v in att.contributions.items() if k in HISTORY_SIGNALS)
        assert sum(att.liked.values()) == pytest.approx(history, rel=0.05, abs=0.05)
        assert sum(att.contributions.values()) == pytest.approx(att.score, abs=1e-4)
        assert set(att.liked) == set(LIKED)


def test_removing_the_top_share_costs_more_than_removing_the_smallest(sparse_scorer):
    from scorer.attribution import attribute

    m = sparse_scorer
    prof = Profile(liked=LIKED)
    cards, _ = m.recommend(prof, k=8)
    wins = 0
    for att in attribute(m, prof, cards):
        top, bottom = next(iter(att.liked)), list(att.liked)[-1]
        without = {x: m.recommend(Profile(liked=[i for i in LIKED if i != x]), k=1, candidates=[att.item_id])[1][0]
                   for x in (top, bottom)}
        wins += (att.score - without[top]) > (att.score - without[bottom])
    assert wins >= 7, f"top-share deletion hurt more in only {wins} of 8 cards"


def test_train_picks_the_path_by_catalog_size_and_records_it(sparse_scorer, ml100k, ml100k_kg, tmp_path):
    from scorer.fusion import FusionConfig
    from scorer.sparse import SparseConfig
    from scorer.train import DENSE_MAX_ITEMS, _config, load_scorer

    assert type(_config(None, DENSE_MAX_ITEMS)) is FusionConfig
    assert type(_config("small", DENSE_MAX_ITEMS + 1)) is SparseConfig
    sparse_scorer.save(tmp_path)
    again = load_scorer(tmp_path, ml100k.catalog, ml100k_kg)
    assert type(again) is type(sparse_scorer)
    prof = Profile(liked=LIKED[:3])
    assert again.recommend(prof, k=5)[0] == sparse_scorer.recommend(prof, k=5)[0]
