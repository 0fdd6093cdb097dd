"""Contract tests every Recommender must pass; subclass `RecommenderContract` and implement `build`.

`build(dataset)` returns a fitted model on the tiny hand-written dataset (positives >= 3).
"""

from __future__ import annotations

import numpy as np
import pytest

from catalog.types import CatalogError, RecassistError
from scorer.base import Profile


class RecommenderContract:
    def build(self, dataset):  # -> fitted Recommender
        raise NotImplementedError

    @pytest.fixture(scope="class")
    def model(self, tiny_dataset):
        return self.build(tiny_dataset)

    @staticmethod
    def train_items(ds, user):
        pos = ds.interactions.positives(3.0)
        row = pos.user_ids.index(user)
        return {ds.catalog.ids[i] for i in pos.items[pos.users == row]}

    def test_returns_k_distinct_catalog_ids_sorted(self, model, tiny_dataset):
        ids, scores = model.recommend("u1", k=4)
        assert len(ids) == 4 and len(set(ids)) == 4
        assert all(i in tiny_dataset.catalog for i in ids)
        assert scores.dtype == np.float32 and scores.shape == (4,)
        assert np.all(np.diff(scores) <= 0)

    def test_seen_items_excluded(self, model, tiny_dataset):
        seen = self.train_items(tiny_dataset, "u1")
        ids, _ = model.recommend("u1", k=20)
        assert not seen & set(ids)
        assert len(ids) == len(tiny_dataset.catalog) - len(seen)
        ids_all, _ = model.recommend("u1", k=20, exclude_seen=False)
        assert seen <= set(ids_all)

    def test_candidates_respected_unknown_ignored(self, model):
        ids, scores = model.recommend("u2", k=10, candidates=["amelie", "gladiator", "not-an-item", "starwars"])
        assert set(ids) <= {"amelie", "gladiator"}  # starwars is u2's training item
        assert "not-an-item" not in ids and len(ids) == len(scores) == 2

    def test_profile_only_user(self, model, tiny_dataset):
        prof = Profile(liked=["alien", "blade"], disliked=["toystory"], entities=["genre:Sci-Fi"])
        ids, scores = model.recommend(prof, k=3)
        assert len(ids) == 3 and not {"alien", "blade", "toystory"} & set(ids)
        assert all(i in tiny_dataset.catalog for i in ids) and np.all(np.isfinite(scores))
        empty_ids, _ = model.recommend(Profile(), k=3)  # zero-seed profile still ranks something
        assert len(empty_ids) == 3

    def test_unknown_user_is_a_clear_error(self, model):
        with pytest.raises(RecassistError, match="unknown user"):
            model.recommend("nobody", k=3)
        with pytest.raises(CatalogError, match="unknown item id"):
            model.recommend(Profile(liked=["no-such-film"]), k=3)

    def test_deterministic_with_seed(self, model, tiny_dataset):
        again = self.build(tiny_dataset)
        a_ids, a_sc = model.recommend("u3", k=5)
        b_ids, b_sc = again.recommend("u3", k=5)
        assert a_ids == b_ids
        np.testing.assert_allclose(a_sc, b_sc, rtol=1e-5, atol=1e-6)
