"""Integration with the real local LLM (Qwen2.5-Coder-0.5B Q4_K_M) and real ML-100K artifacts.

- parsing accuracy on tests/data/parsing_cases.jsonl (>= 30 varied requests): intent + all slots
  exact for >= 80% with the assistant's parser (LLM plan reconciled with cue rules); the LLM-only
  and rules-only numbers are printed next to it (bench/bench_parsing.py writes them to docs/results/);
- end-to-end respond() turns: every card is a catalog item and no reply names an off-catalog title.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agent_helpers import assert_only_catalog_titles

pytestmark = [pytest.mark.llm, pytest.mark.slow]
CASES = Path(__file__).parent / "data" / "parsing_cases.jsonl"


def test_parsing_accuracy(qwen, ml100k, ml100k_kg):
    from assistant.parse_eval import evaluate, load_cases
    from assistant.planner import Linker, Planner

    cases = load_cases(CASES)
    assert len(cases) >= 30 and len({c["intent"] for c in cases}) == 6
    planner = Planner(Linker(ml100k, ml100k_kg), qwen)
    res = evaluate(planner, cases, variants=("llm", "hybrid"))
    s = res["summary"]
    print(json.dumps({"summary": s, "llm_ms": res["llm_ms"]}))
    fallbacks = sum(r["source"] == "rules" for r in res["cases"]["llm"])
    assert fallbacks <= len(cases) // 10, f"{fallbacks} LLM calls failed"
    wrong = [(r["text"], r["wrong"]) for r in res["cases"]["hybrid"] if not r["correct"]]
    assert s["hybrid"]["accuracy"] >= 0.80, wrong


def test_end_to_end_real_model(qwen, ml100k, ml100k_kg, paths, tmp_path):
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig
    from assistant.grounding import ungrounded

    cfg = AssistantConfig(home=paths.home, llm="llama_cpp", llm_timeout_s=180, feedback_db=tmp_path / "fb.sqlite")
    a = build_assistant(cfg, backend=qwen, dataset=ml100k, kg=ml100k_kg)
    cat = ml100k.catalog
    turns = ["I loved Blade Runner, any sci-fi from the 80s?", "something like Alien but funnier", "why 1",
             "I've seen Star Wars", "recommend a Tom Hanks movie", "something like The Matrix Reloaded"]
    replies = []
    for t in turns:
        r = a.respond("e2e", t)
        replies.append(r)
        s = a.sessions.get("e2e")
        print(t, "->", r.backend, r.timings_ms, r.text.replace("\n", " | ")[:300])
        assert all(c.item_id in cat for c in r.cards), t
        assert_only_catalog_titles(r.text, cat)
        if r.backend != "template":  # the LLM wrote the first line: it may name only the cards (and the user's titles)
            allowed = [c.item_id for c in r.cards] + s.seeds + s.liked + s.seen + s.disliked
            assert not ungrounded(r.text.split("\n")[0], allowed, a.linker), (t, r.text)
    rec = replies[0]
    assert rec.cards and rec.timings_ms["parse"] > 0 and {"tools", "scorer", "answer"} <= set(rec.timings_ms)
    assert "89" in a.profile("e2e")["liked"]  # Blade Runner (1982)
    assert all(c.year and 1980 <= c.year <= 1989 and "Sci-Fi" in c.genres for c in rec.cards)
    assert replies[2].intent == "explain" and replies[2].cards[0].item_id == replies[1].cards[0].item_id
    assert "50" in a.profile("e2e")["seen"]  # Star Wars (1977)
    it = cat.get
    assert replies[4].cards and all("Tom Hanks" in it(c.item_id).cast + it(c.item_id).directors + it(c.item_id).writers
                                    for c in replies[4].cards)
    assert "couldn't find" in replies[5].text and not replies[5].cards


def test_answer_calls_leave_the_plan_prompt_cached(qwen, ml100k, ml100k_kg):
    """Plan (JSON) and answer (text) calls use separate llama.cpp contexts, so an answer call does not
    evict the plan prompt: the next plan call starts from the cached prefix."""
    from assistant.planner import Linker, Planner

    planner = Planner(Linker(ml100k, ml100k_kg), qwen)
    planner.parse("any sci-fi from the 80s?")
    plan_tokens = list(qwen.llm._input_ids)
    assert len(plan_tokens) > 300  # the system prompt + few-shot examples were evaluated in the JSON context
    qwen.complete_text([{"role": "system", "content": "Answer in one sentence."},
                        {"role": "user", "content": "Say hello."}], max_tokens=5)
    assert list(qwen.llm._input_ids) == plan_tokens  # the text call ran in the other context
    assert list(qwen.llm_text._input_ids)[:len(plan_tokens)] != plan_tokens
