"""The simulated user never leaks the title, reveals facts one per turn; episodes score hits honestly."""

from __future__ import annotations

from assistant.api import Card, Reply
from catalog.types import Catalog, Item
from simulation.dialogue import run_episode, sample_targets, summarise
from simulation.user import SimulatedUser


def test_reveals_facts_broad_to_specific_without_the_title(tiny_dataset):
    cat = tiny_dataset.catalog
    user = SimulatedUser(cat["blade"], cat, liked=["alien"], seed=1)
    first = user.first_message()
    assert "Alien" in first and "film-noir sci-fi film from the 1980s" in first
    assert "Blade Runner" not in first
    second = user.reply()
    assert "directed by Ridley Scott" in second
    turns = [user.reply() for _ in range(6)]
    assert all("blade runner" not in t.lower() for t in [first, second, *turns])
    assert turns[-1].startswith("None of those are it")


def test_facts_that_would_leak_the_title_are_skipped():
    # a documentary named after its subject: the director fact would say the title
    it = Item("x", "Ridley Scott", 2000, genres=("Documentary",), directors=("Ridley Scott",), cast=("Sean Young",))
    user = SimulatedUser(it, Catalog([it]), seed=0)
    assert all("ridley scott" not in f.text.lower() for f in user.facts)
    msgs = [user.first_message()] + [user.reply() for _ in range(4)]
    assert not any(user.leaks(m) for m in msgs)


def test_onboarding_questions_answered_from_target_genres(tiny_dataset):
    user = SimulatedUser(tiny_dataset.catalog["toystory"], tiny_dataset.catalog)
    assert user.reply("Which genres do you like?", ["Action", "Comedy", "Animation"]) == "Comedy, Animation"
    assert user.reply("Which genres do you like?", ["Western"]) == "skip"


class ScriptedRecommender:
    """Shows fixed card lists turn by turn (a test double for the assistant)."""

    backend_name = "scripted"

    def __init__(self, catalog, turns):
        self.catalog, self.turns, self.seen = catalog, list(turns), []

    def respond(self, session_id, text):
        self.seen.append(text)
        ids = self.turns.pop(0) if self.turns else []
        return Reply(text="", cards=[Card(i, i, None, 0.0) for i in ids])


def test_episode_counts_turn_of_first_hit_and_off_catalog_ids(tiny_dataset):
    cat = tiny_dataset.catalog
    # the episode ends when the target is shown in the top 10; hit@5 asks whether it was in the top 5 then
    bot = ScriptedRecommender(cat, [["alien", "ghost-item"], ["a", "b", "c", "d", "e", "blade"], ["blade"]])
    ep = run_episode(bot, SimulatedUser(cat["blade"], cat), "s", max_turns=5)
    assert (ep.hit10_turn, ep.hit5_turn, ep.off_catalog) == (2, None, 6)  # 'a'..'e' and 'ghost-item' are off-catalog
    assert len(bot.seen) == 2 and "directed by Ridley Scott" in bot.seen[1]
    top = run_episode(ScriptedRecommender(cat, [[], ["blade"]]), SimulatedUser(cat["blade"], cat), "u", max_turns=5)
    assert (top.hit10_turn, top.hit5_turn) == (2, 2)
    miss = run_episode(ScriptedRecommender(cat, []), SimulatedUser(cat["blade"], cat), "t", max_turns=5)
    assert len(miss.transcript) == 5
    s = summarise([ep, top, miss], max_turns=5)
    assert s["hit@10"] == 2 / 3 and s["hit@5"] == 1 / 3 and s["avg_turns"] == (2 + 2 + 6) / 3


def test_targets_are_latest_positives_with_entities(tiny_dataset):
    targets = sample_targets(tiny_dataset, n=5, seed=0, n_liked=1)
    assert targets, "tiny users with >1 positive exist"
    for t in targets:
        assert tiny_dataset.catalog[t.item_id].directors
        assert t.item_id not in t.liked


def test_evaluate_runs_systems_on_the_same_targets_and_reports(tiny_dataset, tmp_path):
    from simulation.dialogue import evaluate, write_report

    everything = [it.id for it in tiny_dataset.catalog]  # 8 items: any target is in this top 10
    perfect = ScriptedRecommender(tiny_dataset.catalog, [everything] * 100)
    empty = ScriptedRecommender(tiny_dataset.catalog, [])
    res = evaluate({"perfect": perfect, "empty": empty}, tiny_dataset, n_targets=3, seeds=[0, 1], max_turns=3, progress=False,
                   n_liked=1)
    assert res["systems"]["perfect"]["hit@10"]["mean"] == 1.0 and res["systems"]["perfect"]["avg_turns"]["mean"] == 1.0
    assert res["systems"]["empty"]["hit@10"]["mean"] == 0.0 and res["systems"]["empty"]["avg_turns"]["mean"] == 4.0
    assert len(res["systems"]["empty"]["per_seed"]) == 2
    md = write_report({**res, "llm": "none"}, tmp_path, "tiny", "recassist eval dialogue")
    text = md.read_text()
    assert "| empty | 0.000 ± 0.000 | 0.000 ± 0.000 | 4.000 ± 0.000 | 0 |" in text and "| perfect | 1.000" in text
