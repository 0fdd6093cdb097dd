"""Dialogue evaluation (issue #13): simulated users speak only pool utterances and never name the target,
their noise is seeded, targets are held out of the training data, the baseline never re-shows an
item, episodes are scored honestly, and a tiny end-to-end run produces the report."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from assistant.api import Card, Reply
from catalog.types import Item, normalise_title
from simulation.baselines import FilterPopularityBaseline
from simulation.dialogue import paired_bootstrap_ratio, run_episode, sample_targets, summarise
from simulation.phrasings import POOLS
from simulation.user import SimulatedUser, build_script, decade_forms, join_titles, leaks, noisy_title


def _pattern(template: str) -> re.Pattern:
    """A template as a regex whose placeholders capture what was filled in."""
    parts = re.split(r"\{(\w+)\}", template)
    rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{rx}$", re.S)


def _from_pool(utterance: str, pool: str) -> dict | None:
    """The placeholder values if `utterance` is a filled template of POOLS[pool], else None."""
    for tpl in POOLS[pool]:
        m = _pattern(tpl).match(utterance)
        if m:
            return m.groupdict()
    return None


# -- the simulated users (tiny catalog, no data needed) ------------------------------------
def test_noisy_titles_are_typed_like_users_and_seeded():
    godfather = "Godfather, The"
    forms = {noisy_title(godfather, random.Random(s), typo_p=0.0) for s in range(200)}
    assert forms == {"The Godfather", "Godfather", "the godfather", "godfather"}
    assert all("(" not in noisy_title("Shanghai Triad (Yao a yao yao dao waipo qiao)", random.Random(s)) for s in range(50))
    # the same seed gives the same noise; typos are rare and small
    assert [noisy_title("Usual Suspects, The", random.Random(7)) for _ in range(3)] == [noisy_title("Usual Suspects, The", random.Random(7))] * 3
    typos = [noisy_title("Raiders of the Lost Ark", random.Random(s), lower_p=0.0) for s in range(2000)]
    clean = {"Raiders of the Lost Ark"}
    rate = sum(t not in clean for t in typos) / len(typos)
    assert 0.11 < rate < 0.19
    for t in typos:
        if t not in clean:  # one word of >= 5 letters lost or swapped a letter
            assert abs(len(t) - len("Raiders of the Lost Ark")) <= 1 and t.split()[1:3] == ["of", "the"]
    lower = sum(noisy_title("Fargo", random.Random(s), typo_p=0.0) == "fargo" for s in range(2000)) / 2000
    assert 0.45 < lower < 0.55


def test_surface_forms():
    assert decade_forms(1994) == ("90s", "1990s", "nineties") and decade_forms(1939)[2] == "thirties"
    assert join_titles(["a", "b", "c"]) == "a, b and c" and join_titles(["a"]) == "a"
    assert leaks("i loved the godfather part ii", "Godfather, The") and leaks("big fan of godfather", "Godfather, The")
    assert not leaks("i loved aliens", "Alien")


def test_scripted_users_speak_from_the_pools_and_never_name_the_target(tiny_dataset):
    cat = tiny_dataset.catalog
    target, liked = cat["blade"], [cat["alien"], cat["toystory"], cat["amelie"]]
    for seed in range(30):
        v = build_script("vague", target, liked, random.Random(seed))
        t = build_script("taste", target, liked, random.Random(seed))
        assert len(v.script) == len(t.script) == 5
        first = _from_pool(v.script[0], "vague_open")
        assert first and first["genre"] in {"film-noir", "sci-fi"}
        typed = [normalise_title(x) for x in re.split(r", | and ", first["titles"])]
        assert len(typed) == 3 and typed[0].startswith("al") and typed[2].startswith("am")
        dec = _from_pool(v.script[1], "decade_followup")
        assert dec and dec["decade"] in decade_forms(1982)
        assert all(_from_pool(u, "other_options") is not None for u in v.script[2:])
        assert _from_pool(t.script[0], "taste_open") and all(_from_pool(u, "more") is not None for u in t.script[1:])
        assert len(set(v.script[2:])) == 3  # follow-ups are not repeated word for word
        assert not any(leaks(u, target.title) for u in v.script + t.script)
        assert v.revealed(1) == {"genres": [v.revealed(1)["genres"][0]], "liked": ["alien", "toystory", "amelie"]}
        assert v.revealed(2)["decade"] == 1980 and "decade" not in v.revealed(1)
        assert t.revealed(5) == {"liked": ["alien", "toystory", "amelie"]}
    assert build_script("vague", target, liked, random.Random(3)).script == build_script("vague", target, liked, random.Random(3)).script


def test_templates_that_would_name_the_target_are_never_chosen():
    # a film called "More" would be named by the "more" pool's own words
    more = Item("more", "More", 1969, genres=("Drama",))
    liked = [Item(f"l{i}", f"Liked Film {i}", 1990, genres=("Drama",)) for i in range(3)]
    for seed in range(20):
        u = build_script("taste", more, liked, random.Random(seed))
        assert not any(leaks(x, "More") for x in u.script)


def test_fact_user_reveals_facts_and_reports_them_structured(tiny_dataset):
    cat = tiny_dataset.catalog
    user = SimulatedUser(cat["blade"], cat, liked=["alien"], seed=1)
    first = user.message(1)
    assert "Alien" in first and "film-noir sci-fi film from the 1980s" in first and not user.leaks(first)
    assert user.revealed(1) == {"liked": ["alien"], "genres": ["Film-Noir", "Sci-Fi"], "decade": 1980}
    assert "directed by Ridley Scott" in user.message(2, Reply(text=""))
    assert user.revealed(2)["entities"] == [("directors", "Ridley Scott")]


# -- episodes and metrics -------------------------------------------------------------------
class ScriptedRecommender:
    """Shows fixed card lists turn by turn (a test double for the assistant)."""

    backend_name = "scripted"

    def __init__(self, turns):
        self.turns, self.seen = list(turns), []

    def respond(self, session_id, text):
        self.seen.append(text)
        ids = self.turns.pop(0) if self.turns else []
        return Reply(text="", cards=[Card(i, i, None, 0.0) for i in ids])


def test_episode_counts_hit_turn_reshown_and_off_catalog(tiny_dataset):
    cat = tiny_dataset.catalog
    user = build_script("vague", cat["blade"], [cat["alien"], cat["toystory"], cat["amelie"]], random.Random(0))
    bot = ScriptedRecommender([["alien", "ghost-item", "empire"], ["empire", "starwars", "starwars"], ["gladiator", "blade"]])
    ep = run_episode(bot, user, "s", cat)
    assert (ep.hit_turn, ep.off_catalog, ep.reshown) == (3, 1, 2)  # empire again, starwars twice in one reply
    assert bot.seen == user.script[:3]
    late = run_episode(ScriptedRecommender([[f"x{i}" for i in range(10)] + ["blade"]]), user, "t", cat)
    assert late.hit_turn is None and late.cards[0] == 11  # only the first 10 cards count as shown
    miss = run_episode(ScriptedRecommender([]), user, "u", cat)
    assert len(miss.transcript) == 5
    s = summarise([ep, late, miss])
    assert s["hit@10"] == 1 / 3 and s["hit@10_by_turn"] == [0, 0, 1 / 3, 1 / 3, 1 / 3]
    assert s["mean_turns"] == (3 + 6 + 6) / 3 and s["reshown_cards"] == 2 and s["off_catalog_cards"] == 1 + 10


def test_a_crashing_system_costs_turns_not_the_run(tiny_dataset):
    cat = tiny_dataset.catalog

    class Broken:
        def respond(self, session_id, text):
            raise RuntimeError("boom")

    user = build_script("taste", cat["blade"], [cat["alien"]], random.Random(0))
    ep = run_episode(Broken(), user, "s", cat)
    assert ep.errors == 5 and ep.hit_turn is None


def test_filter_popularity_pages_without_reshowing(tiny_dataset):
    cat = tiny_dataset.catalog
    pop = np.arange(len(cat))[::-1]  # catalog order = popularity order
    base = FilterPopularityBaseline(cat, pop, k=2)
    shown = []
    for turn in range(6):
        reply = base.respond("s", "whatever", facts={"liked": ["alien"], "genres": ["Sci-Fi"]})
        shown += [c.item_id for c in reply.cards]
    assert shown == ["blade", "starwars", "empire"]  # sci-fi, most popular first, 'alien' liked, never twice
    assert [c.item_id for c in base.respond("t", "", facts={"genres": ["Sci-Fi"], "decade": 1980}).cards] == ["blade", "empire"]
    assert [c.item_id for c in base.respond("u", "", facts={"entities": [("directors", "Ridley Scott")]}).cards] == ["alien", "blade"]


def test_paired_bootstrap_ratio():
    a = [1.0] * 60 + [0.0] * 40
    b = [1.0] * 30 + [0.0] * 70
    r = paired_bootstrap_ratio(a, b, n_boot=500)
    assert r["ratio"] == pytest.approx(2.0) and r["ci95"][0] < 2.0 < r["ci95"][1]
    assert not np.isfinite(paired_bootstrap_ratio([1.0, 0.0], [0.0, 0.0])["ratio"])


def test_targets_on_tiny_data(tiny_dataset):
    targets = sample_targets(tiny_dataset, n=5, seed=0, n_liked=1, min_positives=2)
    assert targets
    for t in targets:
        assert t.item_id not in t.liked and set(t.scripts) == {"vague", "taste"}


# -- real data ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_ml100k_targets_scripts_and_holdout(ml100k):
    from kg.graph import item_node, node_id
    from simulation.holdout import holdout_dataset, item_popularity

    targets = sample_targets(ml100k, n=40, seed=3)
    assert len(targets) == 40 and targets == sample_targets(ml100k, n=40, seed=3)  # seeded
    assert [t.scripts["vague"].script for t in targets] == [t.scripts["vague"].script for t in sample_targets(ml100k, 40, 3)]
    inter, cat = ml100k.interactions, ml100k.catalog
    urow = {u: i for i, u in enumerate(inter.user_ids)}
    for t in targets:
        item = cat[t.item_id]
        assert item.year and item.genres and len(t.liked) == 3 and t.item_id not in t.liked
        rows = np.flatnonzero(inter.users == urow[t.user_id])
        pos = rows[inter.ratings[rows] >= 4]
        assert len(pos) >= 5 and {cat.index(i) for i in t.liked} <= set(inter.items[pos].tolist())
        dated = [r for r in pos if cat.at(int(inter.items[r])).year and cat.at(int(inter.items[r])).genres]
        assert inter.timestamps[dated].max() == inter.timestamps[pos[inter.items[pos] == cat.index(t.item_id)]].max()
        for script in t.scripts.values():
            assert not any(leaks(u, item.title) for u in script.script)
        assert _from_pool(t.scripts["vague"].script[0], "vague_open")["genre"] in {g.lower() for g in item.genres}

    pairs = [(t.user_id, t.item_id) for t in targets]
    reduced = holdout_dataset(ml100k, pairs)
    r = reduced.interactions
    got = set(zip((r.user_ids[u] for u in r.users), (cat.at(int(i)).id for i in r.items)))
    assert not got & set(pairs)
    assert len(r) == len(inter) - len(pairs) == len(inter) - reduced.meta["held_out_interactions"]
    assert r.user_ids == inter.user_ids and reduced.catalog is cat
    pop, full = item_popularity(reduced), item_popularity(ml100k)
    for _, i in pairs:
        assert pop[cat.index(i)] == full[cat.index(i)] - sum(1 for _, j in pairs if j == i)
    from kg.graph import KnowledgeGraph

    kg = KnowledgeGraph.build(reduced)
    for u, i in pairs:
        assert not kg.g.has_edge(node_id("user", u), item_node(i))


@pytest.mark.slow
def test_tiny_end_to_end_run_writes_the_report(ml100k, paths, tmp_path):
    """3 targets, one seed, one profile, real assistant, scorer retrained on the held-out data (tiny config)."""
    from assistant.config import AssistantConfig
    from scorer.fusion import FusionConfig
    from simulation.dialogue import evaluate, held_out_systems, write_report

    cfg = AssistantConfig(dataset="ml-100k", home=paths.home, llm="none", k=10, feedback_db=tmp_path / "fb.sqlite")
    tiny = FusionConfig(steps=3, eval_every=1, use_mf=False, use_user_knn=False, use_kg_embedding=False,
                        use_kg_paths=False, loss="softmax")
    make = held_out_systems(ml100k, paths, cfg, scorer_config=tiny, cache_root=tmp_path / "eval_scorers", progress=False)
    res = evaluate(make, ml100k, n_targets=3, seeds=[0], profiles=["vague"], progress=False)
    vague = res["results"]["vague"]
    assert set(vague["systems"]) == {"recassist", "recassist-no-scorer", "filter+popularity"}
    for s in vague["systems"].values():
        assert s["n"] == 3 and len(s["hit@10_by_turn"]) == 5 and s["off_catalog_cards"] == 0
        assert {"hit@10", "mean_turns", "reshown_cards", "errors", "cards_per_turn", "per_seed"} <= set(s)
    assert vague["systems"]["filter+popularity"]["reshown_cards"] == 0
    assert "recassist / filter+popularity" in vague["ratios_hit@10"]
    info = res["seed_info"][0]
    assert info["held_out_pairs"] == 3 and not info["scorer"]["cached"]
    assert (tmp_path / "eval_scorers").exists() and not (paths.scorer_dir("ml-100k") / "seed0").exists()
    from kg.graph import KnowledgeGraph
    from simulation.holdout import holdout_dataset, holdout_scorer

    pairs = [(t.user_id, t.item_id) for t in sample_targets(ml100k, 3, 0)]
    reduced = holdout_dataset(ml100k, pairs)
    _, again = holdout_scorer(reduced, KnowledgeGraph.build(reduced), paths, 0, pairs, config=tiny,
                              cache_root=tmp_path / "eval_scorers", progress=False)
    assert again["cached"] and again["dir"] == info["scorer"]["dir"]  # the retrained scorer is reused
    md = write_report({"command": "test", "git": {"commit": "x"}, "dataset": "ml-100k", "llm": "none", **res},
                      tmp_path, "dialogue_test")
    text = md.read_text()
    assert "## Profile `vague`" in text and "| recassist-no-scorer |" in text and "t=5" in text
    assert (tmp_path / "dialogue_test.json").exists()
