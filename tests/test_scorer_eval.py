"""`recassist eval accuracy`, `eval coldstart` and `eval onboarding` end to end on ML-100K (the small preset:
one seed, short grids, BPR-MF/LightGCN capped at 20/30 s), through the real CLI: the JSON, the
markdown table and the plot are written, every model is there, and the numbers behave (the fusion
beats popularity, early stopping is recorded, cold profiles with more seed items do better)."""

from __future__ import annotations

import json

import pytest

from test_cli import cli

pytestmark = pytest.mark.slow


def test_eval_accuracy_small_ml100k(ml100k_kg, tmp_path):
    r = cli("eval", "accuracy", "--dataset", "ml-100k", "--seeds", "1", "--config", "small", "--json", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    s = res["summary"]
    assert {"Pop", "ItemKNN", "EASE", "EASE (λ=300)", "UserKNN", "iALS", "BPR-MF", "LightGCN", "Fusion"} <= set(s)
    assert s["Fusion"]["ndcg@10"]["mean"] > 1.5 * s["Pop"]["ndcg@10"]["mean"]
    assert s["EASE"]["ndcg@10"]["mean"] > s["Pop"]["ndcg@10"]["mean"]
    best = res["fusion_vs_best_baseline"]["ndcg@10"]
    assert best["best_baseline"] in ("Pop", "ItemKNN", "EASE", "BPR-MF", "LightGCN")
    assert best["ratio"] == pytest.approx(s["Fusion"]["ndcg@10"]["mean"] / s[best["best_baseline"]]["ndcg@10"]["mean"])
    full = json.loads((tmp_path / "accuracy_ml100k.json").read_text())
    det = full["runs"][0]["details"]
    assert det["EASE"]["chosen"]["lam"] in (100.0, 300.0, 800.0) and len(det["EASE"]["grid"]) == 3
    for m in ("BPR-MF", "LightGCN"):
        assert 1 <= det[m]["best_epoch"] <= det[m]["epochs_run"] and det[m]["valid_log"]
    assert det["Fusion"]["train_log"] and "monitor_ndcg@10" in det["Fusion"]["train_log"][0]
    md = (tmp_path / "accuracy_ml100k.md").read_text()
    assert "Command: `recassist eval accuracy" in md and "| Fusion |" in md and "best single model" in md
    assert (tmp_path / "accuracy_ml100k.png").stat().st_size > 10_000


def test_eval_coldstart_small_ml100k(ml100k_kg, tmp_path):
    r = cli("eval", "coldstart", "--dataset", "ml-100k", "--config", "small", "--json", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    t = res["ndcg@10"]
    assert set(t) == {"Pop", "EASE", "iALS", "Fusion"} and set(t["Fusion"]) == {"0", "1", "3", "5", "all_history"}
    assert res["cold_users"] > 50
    assert t["Fusion"]["5"] > t["Fusion"]["1"] and t["Fusion"]["all_history"] > t["Fusion"]["5"]
    assert t["Fusion"]["3"] > t["Pop"]["3"]
    assert res["fusion_over_pop"]["3"] == pytest.approx(t["Fusion"]["3"] / t["Pop"]["3"])
    assert (tmp_path / "coldstart_ml100k.md").exists() and (tmp_path / "coldstart_ml100k.png").exists()


def test_eval_onboarding_small_ml100k(ml100k_kg, tmp_path):
    r = cli("eval", "onboarding", "--dataset", "ml-100k", "--config", "small", "--seed-list", "0", "--max-users", "15",
            "--budgets", "5,10", "--strategies", "popularity,logpop_entropy,adaptive", "--json", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    t = res["by_budget"]
    assert set(t) == {"0", "5", "10"} and set(t["10"]) == {"popularity", "logpop_entropy", "adaptive"}
    assert res["best_strategy"] in t["10"] and res["best_strategy_chosen_on"].startswith("these seeds")
    c = t["10"][res["best_strategy"]]
    # one pair of denominators for every strategy: Pop and warm with nothing shown (the genre-only cell's)
    pop0, warm0 = t["0"]["genres_only"]["pop_ndcg@10"], t["0"]["genres_only"]["warm_ndcg@10"]
    assert res["popularity_without_onboarding_ndcg@10"] == pytest.approx(pop0)
    assert res["ndcg10_vs_popularity_at_10"] == pytest.approx(c["ndcg@10"] / pop0)
    assert res["ndcg10_vs_warm_at_10"] == pytest.approx(c["ndcg@10"] / warm0)
    assert c["vs_popularity_remaining"] == pytest.approx(c["ndcg@10"] / c["pop_ndcg@10"])
    assert all(cell["titles_shown"] <= 10 for cell in t["10"].values())
    md = (tmp_path / "onboarding_ml-100k.md").read_text()
    assert "Command: `recassist eval onboarding" in md and "| adaptive |" in md and "Commit: `" in md
