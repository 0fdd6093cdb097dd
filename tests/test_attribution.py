"""Per-liked-item attribution of the real trained fusion scorer on ML-100K (scorer.attribution).

The raw parts must add up to each signal exactly (they are the decomposition the explanations cite),
the fused split must add up to the history signals' contributions, and removing the title with the
largest share must cost the card more than removing the one with the smallest.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from scorer.base import Profile

pytestmark = pytest.mark.slow

LIKED = ["183", "89", "50", "172", "181", "127", "174", "96"]  # Alien, Blade Runner, Star Wars, Empire, Jedi, Godfather, Raiders, T2


@pytest.fixture(scope="module")
def scorer(ml100k_assistant):
    return ml100k_assistant.scorer


def _zscore(x):
    x = np.asarray(x, np.float64)
    return (x - x.mean()) / x.std()


def test_raw_parts_add_up_to_every_history_signal(scorer):
    from scorer.attribution import raw_parts

    hist = scorer.profile_rows(Profile(liked=LIKED))
    h = np.zeros(len(scorer.catalog), np.float32); h[hist] = 1.0
    H = sp.csr_matrix(h[None])
    parts = raw_parts(scorer, hist)
    assert set(parts) == {s for s in scorer.learned_signals if s not in ("popularity", "kg_entities")}
    for name, R in parts.items():
        assert R.shape == (len(hist), len(scorer.catalog)), name
        feature = scorer._feature(name, H, [[]])[0]  # what the scorer feeds its net: z-scored
        total = np.log1p(R.sum(0)) if name == "kg_paths" else R.sum(0)
        z = _zscore(total)
        if name == "kg_embedding":
            z = _zscore(np.where(scorer.kge_has, total, 0.0))
            z[~scorer.kge_has] = 0.0
            feature = np.asarray(feature, np.float64)
            keep = scorer.kge_has
            assert np.corrcoef(z[keep], feature[keep])[0, 1] > 0.999, name
            continue
        assert np.allclose(z, feature, atol=2e-3), f"{name}: parts do not add up to the signal"


def test_liked_shares_add_up_to_the_history_contributions(scorer, ml100k):
    from scorer.attribution import HISTORY_SIGNALS, attribute

    profile = Profile(liked=LIKED)
    sc = scorer.score_profile(profile)
    sc[scorer.profile_rows(profile)] = -np.inf
    cards = [scorer.catalog.ids[j] for j in np.argsort(-sc)[:10]]
    for att in attribute(scorer, profile, cards):
        history = sum(v for k, v in att.contributions.items() if k in HISTORY_SIGNALS)
        assert sum(att.liked.values()) == pytest.approx(history, rel=0.05, abs=0.05)
        assert sum(att.contributions.values()) == pytest.approx(att.score, abs=1e-4)
        assert list(att.liked) == sorted(att.liked, key=lambda i: -att.liked[i])  # largest first
        assert set(att.liked) == set(LIKED)
        assert "baseline" not in att.families


def test_removing_the_top_share_costs_more_than_removing_the_smallest(scorer):
    from scorer.attribution import attribute

    profile = Profile(liked=LIKED)
    sc = scorer.score_profile(profile)
    sc[scorer.profile_rows(profile)] = -np.inf
    cards = [scorer.catalog.ids[j] for j in np.argsort(-sc)[:8]]
    wins = 0
    for att in attribute(scorer, profile, cards):
        col = scorer.catalog.index(att.item_id)
        top, bottom = next(iter(att.liked)), list(att.liked)[-1]
        drop_top = att.score - scorer.score_profile(Profile(liked=[i for i in LIKED if i != top]))[col]
        drop_bottom = att.score - scorer.score_profile(Profile(liked=[i for i in LIKED if i != bottom]))[col]
        wins += drop_top > drop_bottom
    assert wins >= 7, f"top-share deletion hurt more in only {wins} of 8 cards"
