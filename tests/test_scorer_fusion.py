"""The fusion scorer on real ML-100K: it learns (beats Pop on validation), its explanation
decomposes the score exactly, it round-trips through save/load, and it serves profile-only users.
Its KG signals: the TransE embedding (deterministic, learns, puts same-director films together,
never reads 'rated' edges) and the 2-hop path counts (equal to a brute-force kg.paths count);
the use_kg / shuffle_kg ablations reach all of them."""

from __future__ import annotations

import numpy as np
import pytest

from scorer.base import Profile

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(ml100k, ml100k_kg, paths):
    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from scorer.baselines import Pop
    from scorer.fusion import FusionConfig, FusionScorer
    from scorer.protocol import prepare, split_by_user

    vec = item_embeddings(ml100k.catalog, MiniLMEmbedder(), paths.artifacts("ml-100k") / "item_vectors.npz")
    split = split_by_user(prepare(ml100k), len(ml100k.catalog), seed=0)
    fusion = FusionScorer(vec, ml100k_kg, FusionConfig.preset("small", seed=0)).fit(split.train, ml100k.catalog, valid=split.valid)
    pop = Pop().fit(split.train, ml100k.catalog)
    return split, fusion, pop


def test_fusion_beats_pop_on_validation(trained):
    from scorer.protocol import evaluate

    split, fusion, pop = trained
    f = evaluate(fusion, split, which="valid")
    p = evaluate(pop, split, which="valid")
    assert f["ndcg@10"] > 1.5 * p["ndcg@10"], (f, p)
    assert fusion.train_log[-1]["loss"] < fusion.train_log[0]["loss"]  # the ranking loss went down


def test_explanation_sums_to_score(trained, ml100k):
    _, fusion, _ = trained
    cat = ml100k.catalog
    liked = [cat.search_titles(t, limit=1)[0][0] for t in ("Star Wars (1977)", "Alien (1979)", "Blade Runner (1982)")]
    prof = Profile(liked=liked, disliked=[cat.search_titles("Sleepless in Seattle (1993)", limit=1)[0][0]],
                   entities=["genre:Sci-Fi"])
    ids, scores = fusion.recommend(prof, k=10)
    parts = fusion.explain(prof, ids)
    assert set(parts[0]) == set(fusion.signal_names)
    for s, p in zip(scores, parts):
        assert sum(p.values()) == pytest.approx(float(s), abs=1e-4)


def test_save_load_round_trip(trained, ml100k, ml100k_kg, tmp_path):
    from scorer.fusion import FusionScorer

    split, fusion, _ = trained
    fusion.save(tmp_path)
    again = FusionScorer.load(tmp_path, ml100k.catalog, ml100k_kg)
    user = split.train.user_ids[5]
    a, b = fusion.recommend(user, k=10), again.recommend(user, k=10)
    assert a[0] == b[0]
    np.testing.assert_allclose(a[1], b[1], rtol=1e-5)
    np.testing.assert_array_equal(again.Z, fusion.Z)  # the TransE vectors are stored, not retrained
    prof = Profile(liked=a[0][:2], entities=["person:Ridley Scott"])
    ea, eb = fusion.explain(prof, a[0][2:6]), again.explain(prof, a[0][2:6])
    for x, y in zip(ea, eb):
        assert x.keys() == y.keys() and {"kg_embedding", "kg_paths"} <= x.keys()
        np.testing.assert_allclose(list(x.values()), list(y.values()), rtol=1e-5, atol=1e-6)


def test_cold_start_scifi_profile_ranks_scifi_above_pop(trained, ml100k):
    _, fusion, pop = trained
    cat = ml100k.catalog
    liked = [cat.search_titles(t, limit=1)[0][0] for t in ("Star Wars (1977)", "Alien (1979)", "Terminator, The (1984)")]
    prof = Profile(liked=liked)

    def scifi_share(model):
        ids, _ = model.recommend(prof, k=20)
        return np.mean(["Sci-Fi" in cat[i].genres for i in ids])

    assert scifi_share(fusion) >= scifi_share(pop) + 0.1


def test_stated_entity_lifts_matching_items(trained, ml100k):
    _, fusion, _ = trained
    cat = ml100k.catalog
    base = Profile(liked=[cat.search_titles("Toy Story (1995)", limit=1)[0][0]])
    stated = Profile(liked=base.liked, entities=["genre:Film-Noir"])
    noir = [i for i in cat.ids if "Film-Noir" in cat[i].genres]
    assert noir
    delta = fusion.score_profile(stated) - fusion.score_profile(base)  # (n_items,)
    rows = [cat.index(i) for i in noir]
    others = np.setdiff1d(np.arange(len(cat)), rows)
    assert delta[rows].mean() > delta[others].mean()


# -- KG signals: TransE embedding and 2-hop path counts -----------------------------------------
def _ids(cat, *titles):
    return [cat.search_titles(t, limit=1)[0][0] for t in titles]


def test_kg_embedding_deterministic_and_loss_goes_down(ml100k, ml100k_kg):
    from scorer.kg_embedding import kg_triples, train_triples

    tr = kg_triples(ml100k_kg, ml100k.catalog)
    a, b = train_triples(tr, epochs=3, seed=0), train_triples(tr, epochs=3, seed=0)
    np.testing.assert_array_equal(a.items, b.items)
    np.testing.assert_array_equal(a.entities, b.entities)
    assert a.loss_log == b.loss_log
    c = train_triples(tr, epochs=3, seed=1)
    assert not np.allclose(a.items, c.items)
    assert a.items.shape == (len(ml100k.catalog), 64) and a.items.dtype == np.float32
    assert a.loss_log[-1] < 0.8 * a.loss_log[0], a.loss_log


def _director_pairs(kg, cat) -> np.ndarray:
    """(n_pairs, 2) catalog rows of films that share a director."""
    pairs = []
    for node in kg.nodes_of_type("person"):
        rows = sorted({cat.index(i) for i in kg.items_of_entity(node, "directed_by")})
        pairs += [(a, b) for j, a in enumerate(rows) for b in rows[j + 1 :]]
    return np.asarray(pairs)


def _same_vs_random_cosine(Z, pairs, seed=0):
    """Mean cosine of the pairs, mean cosine of random pairs, and the AUC of telling them apart."""
    same = (Z[pairs[:, 0]] * Z[pairs[:, 1]]).sum(1)
    rnd = np.random.default_rng(seed).integers(0, len(Z), (5000, 2))
    rand = (Z[rnd[:, 0]] * Z[rnd[:, 1]]).sum(1)
    return same.mean(), rand.mean(), (same[:, None] > rand[None, :1000]).mean()


def test_kg_embedding_puts_same_director_films_together(trained, ml100k, ml100k_kg):
    _, fusion, _ = trained
    pairs = _director_pairs(ml100k_kg, ml100k.catalog)
    assert len(pairs) > 200
    same, rand, auc = _same_vs_random_cosine(fusion.Z, pairs)  # Z: centred unit TransE vectors of the scorer
    assert same > rand + 0.3 and auc > 0.85, (same, rand, auc)


def test_kg_signals_never_read_rated_edges(ml100k, ml100k_kg):
    from kg.graph import KnowledgeGraph
    from scorer.kg_embedding import kg_triples, train_triples

    g = ml100k_kg.g.copy()
    rated = [(u, v, k) for u, v, k in g.edges(keys=True) if k == "rated"]
    assert len(rated) > 10_000
    g.remove_edges_from(rated)
    no_users = KnowledgeGraph(g)
    a, b = kg_triples(ml100k_kg, ml100k.catalog), kg_triples(no_users, ml100k.catalog)
    assert a.entity_ids == b.entity_ids and np.array_equal(a.items, b.items) and np.array_equal(a.ents, b.ents)
    ea, eb = train_triples(a, epochs=2, seed=0), train_triples(b, epochs=2, seed=0)
    np.testing.assert_array_equal(ea.items, eb.items)
    np.testing.assert_array_equal(ea.entity_images, eb.entity_images)


def test_kg_paths_equal_brute_force_path_scores(trained, ml100k, ml100k_kg):
    import scipy.sparse as sp

    from kg.paths import find_paths, verify_path

    _, fusion, _ = trained
    cat = ml100k.catalog
    seeds = _ids(cat, "Star Wars (1977)", "Alien (1979)", "Blade Runner (1982)")
    targets = _ids(cat, "Empire Strikes Back, The (1980)", "Aliens (1986)", "Toy Story (1995)", "Alien (1979)")
    targets += [cat.ids[r] for r in np.random.default_rng(1).choice(len(cat), 4, replace=False)]
    H = sp.csr_matrix((np.ones(len(seeds), np.float32), ([0] * len(seeds), [cat.index(i) for i in seeds])),
                      shape=(1, len(cat)))
    W = fusion.path_weight(H)[0]  # (n_items,)
    for t in targets:
        paths = find_paths(ml100k_kg, seeds, t, max_hops=2, limit=10**6)
        assert all(p.hops == 2 and verify_path(ml100k_kg, p) for p in paths)
        assert W[cat.index(t)] == pytest.approx(sum(p.score for p in paths), rel=1e-5, abs=1e-6), t
    aliens, toy = W[cat.index(targets[1])], W[cat.index(targets[2])]
    assert aliens > 1.0 and aliens > 2 * toy, (aliens, toy)  # Aliens shares a writer and its star with Alien
    F = fusion.features(H)[0, :, fusion.learned_signals.index("kg_paths")]  # (n_items,) the signal itself
    assert np.corrcoef(F, np.log1p(W))[0, 1] > 0.999


def test_profile_only_user_kg_signals(trained, ml100k):
    _, fusion, _ = trained
    cat = ml100k.catalog
    liked = _ids(cat, "Toy Story (1995)")
    scott = [i for i in cat.ids if "Ridley Scott" in cat[i].directors]
    rows = [cat.index(i) for i in scott]
    k = fusion.learned_signals.index("kg_embedding")

    def emb_feature(prof):  # (n_items,) the kg_embedding signal for a profile-only user
        H, stated, _ = fusion._profile_inputs(prof)
        return fusion.features(H, stated)[0, :, k]

    base, stated = emb_feature(Profile(liked=liked)), emb_feature(Profile(liked=liked, entities=["person:Ridley Scott"]))
    others = np.setdiff1d(np.arange(len(cat)), rows)
    assert (stated - base)[rows].mean() > (stated - base)[others].mean() + 0.5
    only_entity = emb_feature(Profile(entities=["person:Ridley Scott"]))  # no liked items at all
    assert only_entity[rows].mean() > np.percentile(only_entity, 90)
    parts = fusion.explain(Profile(liked=liked, entities=["person:Ridley Scott"]), scott[:2])
    assert all({"kg", "kg_entities", "kg_embedding", "kg_paths"} <= p.keys() for p in parts)


def test_kg_ablations_reach_every_kg_signal(trained, ml100k, ml100k_kg):
    from scorer.fusion import KG_SIGNALS, FusionConfig, FusionScorer

    _, fusion, _ = trained
    cat = ml100k.catalog
    assert set(KG_SIGNALS) <= set(fusion.learned_signals)
    no_kg = FusionScorer(None, ml100k_kg, FusionConfig(use_kg=False, use_text=False))
    assert not set(KG_SIGNALS) & set(no_kg.signal_names)
    shuf = FusionScorer(None, ml100k_kg, FusionConfig(shuffle_kg=True, use_text=False, seed=fusion.config.seed))
    shuf._prepare_static(cat)
    perm = np.random.default_rng(fusion.config.seed + 991).permutation(len(cat))  # item i gets item perm[i]'s triples
    assert (shuf.E_bin != fusion.E_bin[perm]).nnz == 0  # kg / kg_entities
    np.testing.assert_array_equal(shuf.KP, fusion.KP[perm][:, perm])  # kg_paths
    inv = np.argsort(perm)
    np.testing.assert_array_equal(shuf.triples.items, inv[fusion.triples.items])  # what TransE trains on
    shuf._fit_kg_embedding()  # TransE on the shuffled triples: director pairs are close only after un-permuting
    pairs = _director_pairs(ml100k_kg, cat)
    same, rand, _ = _same_vs_random_cosine(shuf.Z, pairs)
    assert same < rand + 0.1, (same, rand)
    same, rand, auc = _same_vs_random_cosine(shuf.Z[inv], pairs)
    assert same > rand + 0.3 and auc > 0.85, (same, rand, auc)


# -- collaborative signals and training ----------------------------------------------------------
def test_cached_and_direct_features_agree(ml100k, ml100k_kg, paths):
    """The FeatureCache path (training users, computed once for all users) and the direct path
    (any history, UserKNN told which training row to skip) give the same signal columns."""
    from retrieval.embedders import MiniLMEmbedder, item_embeddings
    from scorer.fusion import FeatureCache, FusionConfig, FusionScorer
    from scorer.protocol import prepare, split_by_user

    vec = item_embeddings(ml100k.catalog, MiniLMEmbedder(), paths.artifacts("ml-100k") / "item_vectors.npz")
    split = split_by_user(prepare(ml100k), len(ml100k.catalog), seed=1)
    m = FusionScorer(vec, ml100k_kg, FusionConfig(steps=5, seed=1, use_kg_embedding=False))
    m.cache = FeatureCache()
    m.fit(split.train, ml100k.catalog, valid=split.valid)
    rows = np.array([0, 7, 300])
    H = m.train_csr[rows]
    cached = m.features(H, rows=rows)
    direct = m.features(H, own=rows)
    np.testing.assert_allclose(cached, direct, rtol=1e-5, atol=1e-5)
    k = m.learned_signals.index("collaborative_user")
    assert not np.allclose(m.features(H)[:, :, k], direct[:, :, k])  # without `own` the user is its own neighbour


def test_training_keeps_the_best_monitor_step_and_loss(trained):
    _, fusion, _ = trained
    log = [e for e in fusion.train_log if "monitor_ndcg@10" in e]
    assert {e["loss_kind"] for e in log} == {"softmax", "ndcg"}  # loss="auto" tries both
    best = max(log, key=lambda e: e["monitor_ndcg@10"])
    assert fusion.chosen_loss == best["loss_kind"]
    assert np.isfinite(fusion.score_users(np.arange(40))).all()


def test_collaborative_signal_switches(ml100k_kg):
    from scorer.fusion import COLLABORATIVE, FusionConfig, FusionScorer

    full = FusionScorer(None, ml100k_kg, FusionConfig(use_text=False))
    assert set(COLLABORATIVE) <= set(full.learned_signals)
    lean = FusionScorer(None, ml100k_kg, FusionConfig(use_text=False, use_mf=False, use_user_knn=False))
    assert not {"collaborative_mf", "collaborative_user"} & set(lean.signal_names)
