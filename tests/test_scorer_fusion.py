"""The fusion scorer on real ML-100K: it learns (beats Pop on validation), its explanation
decomposes the score exactly, it round-trips through save/load, and it serves profile-only users."""

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
