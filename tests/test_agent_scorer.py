"""Explanations and ranking with the real trained fusion scorer and KG on ML-100K (no LLM).

Needs the artifacts `recassist build` makes (KG, vector index, scorer).
"""

from __future__ import annotations

import pytest

from kg.paths import KGPath, verify_path
from tests.agent_helpers import assert_only_catalog_titles

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(ml100k_assistant):
    return ml100k_assistant


def test_explanations_are_verified_paths_plus_scorer_contributions(assistant, ml100k_kg, ml100k):
    from tools.explain_item import explain

    a = assistant
    a.feedback("x", "183", "like")  # Alien (1979)
    r = a.respond("x", "recommend some sci-fi")
    assert r.cards and all(c.item_id in ml100k.catalog for c in r.cards)
    assert_only_catalog_titles(r.text, ml100k.catalog)
    s = a.sessions.get("x")
    profile = s.scorer_profile(ml100k.catalog)
    n_paths = 0
    for c in r.cards:
        ex = explain(a._ctx(s), c.item_id)
        for nodes, rels in ex.kg_paths:
            n_paths += 1
            assert verify_path(ml100k_kg, KGPath(nodes, rels, 1.0))
            for rel, u, v in zip(rels, nodes, nodes[1:]):
                assert rel in ml100k_kg.edge_relations(u, v)
        want = a.scorer.explain(profile, [c.item_id])[0]
        assert ex.contributions == pytest.approx({k: float(v) for k, v in want.items()})
        assert sum(want.values()) == pytest.approx(c.score, abs=1e-3)  # contributions sum to the ranked score
        assert set(want) <= set(a.scorer.signal_names)
    assert n_paths > 0  # sci-fi picks connect to Alien through real edges


def test_blade_runner_explained_through_ridley_scott(assistant):
    a = assistant
    a.feedback("y", "183", "like")  # Alien
    ex = a.why("y", "89")  # Blade Runner
    hops = [(h.source, h.relation, h.target) for p in ex.paths for h in p]
    assert ("Alien (1979)", "directed_by", "Ridley Scott") in hops
    assert "Ridley Scott" in ex.text and ex.contributions
