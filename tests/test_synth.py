"""bench/synth.py: a small synthetic dataset loads as BYO data, has the structure it claims, and its vector
cache is used by item_embeddings and `recassist build` without embedding anything."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bench.synth import GENRES, generate, load_labels, load_vectors
from catalog.byo import load_dataset
from catalog.paths import Paths
from catalog.types import RecassistError
from retrieval.embedders import MiniLMEmbedder, item_embeddings

N_ITEMS, N_USERS, N_INTER = 2_000, 300, 20_000


class NoEmbedder:
    """Has MiniLM's name (the cache key) but refuses to embed."""

    name = MiniLMEmbedder.name
    dim = 384

    def embed(self, texts):
        raise AssertionError(f"asked to embed {len(texts)} documents")


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth") / "synth2k"
    generate(d, N_ITEMS, N_USERS, N_INTER, seed=0, quiet=True)
    return d


@pytest.fixture(scope="module")
def ds(synth_dir):
    return load_dataset(synth_dir)


def test_loads_as_byo_with_the_asked_counts(synth_dir, ds):
    meta = json.loads((synth_dir / "meta.json").read_text())
    assert meta["synthetic"] is True and meta["generator"]["seed"] == 0
    assert len(ds.catalog) == N_ITEMS == meta["n_items"]
    inter = ds.interactions
    assert len(inter) == meta["n_interactions"] and 0.97 * N_INTER <= len(inter) <= N_INTER
    assert inter.n_users == N_USERS and np.bincount(inter.users).min() >= 5
    pairs = inter.users.astype(np.int64) * N_ITEMS + inter.items
    assert len(np.unique(pairs)) == len(pairs)  # (user, item) deduplicated
    assert set(np.unique(inter.ratings)) <= {1, 2, 3, 4, 5} and np.mean(inter.ratings >= 3) > 0.75
    for it in ds.catalog:
        assert 1 <= len(it.genres) <= 3 and set(it.genres) <= set(GENRES)
        assert len(it.directors) == 1 and len(it.writers) <= 2 and 2 <= len(it.cast) <= 5
        assert it.countries and it.languages and 1920 <= it.year <= 2020
    assert len({it.title for it in ds.catalog}) > 0.9 * N_ITEMS  # most titles unique
    share = lambda key: np.mean([key in it.attributes for it in ds.catalog])  # noqa: E731
    assert 0.15 < share("rated") < 0.3 and 0.7 < share("runtime_min") < 0.9


def test_vectors_are_unit_and_clustered(synth_dir):
    V = load_vectors(synth_dir)  # (n_items, 384)
    assert V.shape == (N_ITEMS, 384) and V.dtype == np.float32
    assert np.allclose(np.linalg.norm(V, axis=1), 1.0, atol=1e-4)
    cl = load_labels(synth_dir)["item_cluster"]
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, N_ITEMS, (2, 20_000))
    cos = np.einsum("ij,ij->i", V[a], V[b])
    same = (cl[a] == cl[b]) & (a != b)
    assert same.sum() > 50
    assert cos[same].mean() > cos[~same].mean() + 0.2
    assert np.percentile(cos[same], 5) > np.percentile(cos[~same], 95)


def test_popularity_is_skewed(ds):
    pop = np.sort(np.bincount(ds.interactions.items, minlength=N_ITEMS))[::-1]
    assert pop[: N_ITEMS // 100].sum() / pop.sum() > 0.05  # the top 1% of items hold > 5x their share
    assert np.median(pop) < pop.mean()


def test_vector_cache_is_used_without_embedding(synth_dir, ds, tmp_path):
    cache = tmp_path / "item_vectors.npz"
    shutil.copy(synth_dir / "item_vectors.npz", cache)
    vecs = item_embeddings(ds.catalog, NoEmbedder(), cache, facts=True)
    assert np.array_equal(vecs, load_vectors(synth_dir))
    with pytest.raises(AssertionError, match="asked to embed"):  # the scorer's facts=False documents differ
        item_embeddings(ds.catalog, NoEmbedder(), cache, facts=False)


def test_scorer_vectors_option_covers_facts_free_documents(tmp_path):
    d = tmp_path / "s"
    generate(d, 300, 40, 2_000, seed=1, scorer_vectors=True, quiet=True)
    small = load_dataset(d)
    plain = item_embeddings(small.catalog, NoEmbedder(), d / "item_vectors.npz", facts=False)
    assert np.array_equal(plain, item_embeddings(small.catalog, NoEmbedder(), d / "item_vectors.npz", facts=True))


def _build_args(synth_dir, home, steps="kg"):
    return argparse.Namespace(dataset=str(synth_dir), paths=Paths(home), force=False, steps=steps)


def test_build_writes_a_report_per_stage_and_seeds_the_vector_cache(synth_dir, tmp_path):
    from assistant.commands import build
    from kg.graph import KnowledgeGraph

    paths = Paths(tmp_path / "home")
    assert build.run(_build_args(synth_dir, tmp_path / "home")) == 0
    art = paths.artifacts(synth_dir.name)
    report = json.loads((art / "build_report.json").read_text())
    assert [s["stage"] for s in report["stages"]] == ["catalog", "kg"]
    for s in report["stages"]:
        assert s["seconds"] >= 0 and 0 < s["rss_gb"] <= s["peak_rss_gb"] + 1e-3
        assert s["stage_peak_rss_gb"] is None or s["rss_gb"] <= s["stage_peak_rss_gb"] + 1e-3 <= s["peak_rss_gb"] + 2e-3
    assert report["peak_rss_gb"] >= max(s["peak_rss_gb"] for s in report["stages"])
    assert report["n_items"] == N_ITEMS and report["n_interactions"] > 0.97 * N_INTER
    assert "commit" in report
    assert (art / "item_vectors.npz").exists()  # seeded from the dataset directory
    kg = KnowledgeGraph.load(paths.kg_path(synth_dir.name))
    assert kg.stats()["nodes_by_type"]["user"] == N_USERS  # far below MAX_USER_EDGES: users kept


def test_isolated_build_runs_each_stage_in_its_own_process(synth_dir, tmp_path):
    """--isolate (the CLI default): every stage, the catalog load included, runs in a spawned child, so a
    stage's leftovers die with it; the report adds the parent's RSS to each child's own peak."""
    from assistant.commands import build
    from kg.graph import KnowledgeGraph

    args = _build_args(synth_dir, tmp_path / "home", steps="kg")
    args.isolate = True
    assert build.run(args) == 0
    report = json.loads((Paths(tmp_path / "home").artifacts(synth_dir.name) / "build_report.json").read_text())
    assert report["isolated"] is True and [s["stage"] for s in report["stages"]] == ["catalog", "kg"]
    for s in report["stages"]:
        assert 0 < s["rss_gb"] <= s["stage_peak_rss_gb"] + 1e-3
        assert s["peak_rss_gb"] >= s["stage_peak_rss_gb"] + s["parent_rss_gb"] - 2e-3
        assert 0 <= s["load_seconds"] <= s["seconds"]
    assert report["peak_rss_gb"] == max(s["peak_rss_gb"] for s in report["stages"])
    assert report["n_items"] == N_ITEMS
    kg = KnowledgeGraph.load(Paths(tmp_path / "home").kg_path(synth_dir.name))
    assert kg.stats()["nodes_by_type"]["item"] == N_ITEMS
    assert "kg: up to date" in build._run_stage_in_child(args, "kg")["message"]  # a second run skips the work


def test_isolated_build_starts_no_child_for_a_step_that_would_skip_itself(synth_dir, tmp_path, monkeypatch):
    """Above QUESTIONNAIRE_MAX_ITEMS the questionnaire step only skips itself: the parent, which knows the item
    count from the catalog stage, says so without a child's dataset load (63 s at 1M items)."""
    from assistant.commands import build

    monkeypatch.setattr(build, "QUESTIONNAIRE_MAX_ITEMS", N_ITEMS - 1)  # the parent's decision: no child sees it
    started = []
    real = build._run_stage_in_child
    monkeypatch.setattr(build, "_run_stage_in_child", lambda a, stage: started.append(stage) or real(a, stage))
    args = _build_args(synth_dir, tmp_path / "home", steps="questionnaire")
    args.isolate = True
    assert build.run(args) == 0
    assert started == ["catalog"]
    report = json.loads((Paths(tmp_path / "home").artifacts(synth_dir.name) / "build_report.json").read_text())
    quest = report["stages"][-1]
    assert quest["stage"] == "questionnaire" and quest["child"] is False and quest["stage_peak_rss_gb"] is None
    assert f"skipped ({N_ITEMS:,} items > QUESTIONNAIRE_MAX_ITEMS" in quest["message"]
    assert quest["load_seconds"] == 0 and report["peak_rss_gb"] >= quest["parent_rss_gb"]
    assert build.questionnaire_skip(N_ITEMS - 1) is None  # at or below the limit the step runs


def test_isolated_build_reports_a_childs_expected_error_as_one_line(tmp_path):
    from assistant.commands import build

    args = _build_args(tmp_path / "no-such-dataset", tmp_path / "home")
    args.isolate = True
    with pytest.raises(RecassistError, match="no-such-dataset"):
        build.run(args)


def test_build_leaves_users_out_above_the_edge_limit(synth_dir, tmp_path, monkeypatch, capsys):
    import kg.graph
    from assistant.commands import build
    from kg.graph import KnowledgeGraph

    monkeypatch.setattr(kg.graph, "MAX_USER_EDGES", 100)
    assert build.run(_build_args(synth_dir, tmp_path / "home")) == 0
    assert "ratings stay with the scorer's data" in capsys.readouterr().err
    st = KnowledgeGraph.load(Paths(tmp_path / "home").kg_path(synth_dir.name)).stats()
    assert st["nodes_by_type"]["user"] == 0 and st["edges_by_relation"]["rated"] == 0
    assert st["nodes_by_type"]["item"] == N_ITEMS


def test_unknown_build_step_names_the_valid_ones():
    from assistant.commands.build import select_steps, step_name

    assert [step_name(s) for s in select_steps("questionnaire,kg")] == ["kg", "questionnaire"]
    assert len(select_steps(None)) == len(select_steps("all")) == 4
    with pytest.raises(RecassistError, match="unknown build step.*bogus.*valid steps: kg, index, scorer, questionnaire"):
        select_steps("kg,bogus")


def test_questionnaire_is_skipped_above_its_item_limit(ds, tmp_path, monkeypatch):
    from assistant.commands import build

    monkeypatch.setattr(build, "QUESTIONNAIRE_MAX_ITEMS", N_ITEMS - 1)
    msg = build.build_questionnaire(ds, Paths(tmp_path), False)
    assert "skipped" in msg and "QUESTIONNAIRE_MAX_ITEMS" in msg
    assert not (tmp_path / "artifacts").exists()


def test_tree_rss_counts_a_child_and_its_parent_together(tmp_path):
    """bench/tree_rss.py sums the whole process tree: a parent holding ~150 MB while its child holds ~300 MB
    peaks near 450 MB, which getrusage (largest single process) would report as ~300 MB."""
    import subprocess
    import sys

    code = ("import subprocess, sys, time; a = bytearray(150 * 2**20); "
            "subprocess.run([sys.executable, '-c', 'import time; b = bytearray(300 * 2**20); time.sleep(1.5)'])")
    out = tmp_path / "tr.json"
    r = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench" / "tree_rss.py"), "--interval", "0.05", "--out", str(out),
                        "--", sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rep = json.loads(out.read_text())
    assert 0.42 <= rep["peak_tree_rss_gb"] <= 0.6
    assert max(s[2] for s in rep["samples"]) == 2
