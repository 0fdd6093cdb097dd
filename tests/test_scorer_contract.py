"""Every recommender (baselines and the fusion scorer) passes the shared contract."""

from __future__ import annotations

import pytest

from recommender_contract import RecommenderContract
from scorer.baselines import BPRMF, EASE, IALS, ItemKNN, LightGCN, Pop, UserKNN
from scorer.ensemble import PlainEnsemble


def _fit(model, ds):
    return model.fit(ds.interactions.positives(3.0), ds.catalog)


class TestPop(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(Pop(), ds)


class TestItemKNN(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(ItemKNN(k=5), ds)


class TestEASE(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(EASE(lam=1.0), ds)


class TestBPRMF(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(BPRMF(epochs=5, batch=4, seed=3), ds)


class TestLightGCN(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(LightGCN(epochs=5, batch=4, seed=3), ds)


@pytest.fixture(scope="module")
def tiny_kg(tiny_dataset):
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.build(tiny_dataset)


@pytest.fixture(scope="module")
def tiny_vectors(tiny_dataset):
    from retrieval.embedders import MiniLMEmbedder, item_embeddings

    return item_embeddings(tiny_dataset.catalog, MiniLMEmbedder())


class TestFusion(RecommenderContract):
    @pytest.fixture(scope="class")
    @classmethod
    def model(cls, tiny_dataset, tiny_kg, tiny_vectors):
        cls._kg, cls._vec = tiny_kg, tiny_vectors
        return cls.build(tiny_dataset)

    @classmethod
    def build(cls, ds):
        from scorer.fusion import FusionConfig, FusionScorer

        cfg = FusionConfig(steps=20, batch_users=2, holdout=0.5, seed=1, ease_lambda=1.0)
        return FusionScorer(cls._vec, cls._kg, cfg).fit(ds.interactions.positives(3.0), ds.catalog)

    def test_explain_sums_to_score_and_round_trips(self, model, tiny_dataset, tmp_path):
        from scorer.base import Profile
        from scorer.train import load_scorer

        prof = Profile(liked=["alien"], disliked=["toystory"], entities=["person:Harrison Ford"])
        ids, scores = model.recommend(prof, k=5)
        parts = model.explain(prof, ids)
        assert list(parts[0]) == model.signal_names
        for s, p in zip(scores, parts):
            assert sum(p.values()) == pytest.approx(float(s), abs=1e-5)
        model.save(tmp_path)
        again = load_scorer(tmp_path, tiny_dataset.catalog, self._kg)  # the class its meta.json names
        assert type(again) is type(model) and again.recommend(prof, k=5)[0] == ids


class TestSparseFusion(TestFusion):
    """The large-catalog path (scorer.sparse) keeps the same contract, explain and save/load."""

    @classmethod
    def build(cls, ds):
        from scorer.sparse import SparseConfig, SparseFusionScorer

        cfg = SparseConfig(steps=20, batch_users=2, holdout=0.5, seed=1, mf_dim=4, n_reference=8)
        return SparseFusionScorer(cls._vec, cls._kg, cfg).fit(ds.interactions.positives(3.0), ds.catalog)


def test_fusion_load_without_artifact_is_a_clear_error(tiny_dataset, tmp_path):
    from scorer.base import ScorerError
    from scorer.fusion import FusionScorer

    with pytest.raises(ScorerError, match="recassist scorer train|recassist train"):
        FusionScorer.load(tmp_path, tiny_dataset.catalog, None)


class TestUserKNN(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(UserKNN(k=2), ds)


class TestIALS(RecommenderContract):
    @classmethod
    def build(cls, ds):
        return _fit(IALS(dim=4, reg=0.1, epochs=3, seed=2), ds)


class TestPlainEnsemble(RecommenderContract):
    @classmethod
    def build(cls, ds):  # no validation split: the blend weights are picked on a holdout of train
        return _fit(PlainEnsemble(ease_lambda=1.0, mf_dim=4, mf_reg=0.1, mf_epochs=3, holdout=0.3, seed=2), ds)
