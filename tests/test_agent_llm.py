"""Integration with the real local LLM (Qwen2.5-Coder-0.5B Q4_K_M) and the real ML-100K artifacts.

- the NLU's LLM route on a sample of the development messages: its calls succeed, and the default
  route (act classifier, LLM only when unsure) stays accurate with the real model in the loop
  (bench/bench_nlu.py reports both routes on the held-out split);
- end-to-end respond() turns: every card is a catalog item, an LLM intro passes the checker, and the
  conversation keeps its state across turns.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.agent_helpers import assert_only_catalog_titles

pytestmark = [pytest.mark.llm, pytest.mark.slow]
DEV = Path(__file__).parent / "data" / "nlu" / "dev.jsonl"


def test_nlu_with_the_local_llm(qwen, ml100k_assistant):
    from assistant.dialogue.nlu import Understander
    from assistant.dialogue.nlu_eval import context_of, load_cases, score

    a = ml100k_assistant
    cases = load_cases(DEV)[::8]  # 25 varied messages, follow-ups included
    nlu = Understander(a.linker, a.nlu.classifier, qwen, threshold=a.nlu.threshold)
    llm = [nlu.understand(c["text"], context_of(c, a.catalog), mode="llm") for c in cases]
    failed = [u.text for u in llm if u.llm_error]
    assert len(failed) <= len(cases) // 10, failed
    default = [nlu.understand(c["text"], context_of(c, a.catalog)) for c in cases]
    s_llm, s_default = score(cases, llm, a.catalog), score(cases, default, a.catalog)
    print({"llm": {k: s_llm[k] for k in ("act_accuracy", "entity_linking")},
           "default": {k: s_default[k] for k in ("act_accuracy", "entity_linking", "llm_share")}})
    assert s_default["act_accuracy"] >= 0.85 and s_default["entity_linking"]["f1"] >= 0.85
    for u in llm:  # whatever the small model wrote, only names from the message survive linking
        for iid in u.entities.titles():
            assert a.catalog[iid].title.split(",")[0].lower()[:4] in u.text.lower()


def test_end_to_end_real_model(qwen, ml100k, ml100k_kg, paths, tmp_path):
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig
    from assistant.dialogue.nlg import check

    cfg = AssistantConfig(home=paths.home, llm="llama_cpp", llm_timeout_s=180, feedback_db=tmp_path / "fb.sqlite")
    a = build_assistant(cfg, backend=qwen, dataset=ml100k, kg=ml100k_kg)
    cat = ml100k.catalog
    turns = ["I loved Blade Runner, any sci-fi from the 80s?", "more please", "why 1", "something like Alien but funnier",
             "I've seen Star Wars", "recommend a Tom Hanks movie", "something like The Matrix Reloaded"]
    replies, requests = [], []
    for t in turns:
        r = a.respond("e2e", t)
        replies.append(r)
        requests.append(copy.deepcopy(a.sessions.get("e2e").request))  # the request this reply answered
        print(t, "->", r.intent, r.backend, r.timings_ms, r.text.replace("\n", " | ")[:300])
        assert all(c.item_id in cat for c in r.cards), t
        assert_only_catalog_titles(r.text, cat)
    rec = replies[0]
    assert rec.cards and {"parse", "tools", "scorer", "answer"} <= set(rec.timings_ms)
    assert "89" in a.profile("e2e")["liked"]  # Blade Runner (1982)
    assert all(c.year and 1980 <= c.year <= 1989 and "Sci-Fi" in c.genres for c in rec.cards)
    more = replies[1]
    assert more.cards and not {c.item_id for c in more.cards} & {c.item_id for c in rec.cards}
    assert all(c.year and 1980 <= c.year <= 1989 and "Sci-Fi" in c.genres for c in more.cards)
    assert replies[2].intent == "explain" and replies[2].cards[0].item_id == more.cards[0].item_id
    assert "50" in a.profile("e2e")["seen"]  # Star Wars (1977)
    it = cat.get
    assert replies[5].cards and all("Tom Hanks" in it(c.item_id).cast + it(c.item_id).directors + it(c.item_id).writers
                                    for c in replies[5].cards)
    assert "couldn't find" in replies[6].text and not replies[6].cards
    for r, req in zip(replies, requests):  # an LLM-phrased intro passed the one checker, with that turn's facts
        if r.backend != "template" and r.cards:
            from assistant.dialogue.nlg import FactSheet

            sheet = FactSheet("recommend", request=req, cards=r.cards)
            intro = r.text.split("\n")[0].split(". ", 1)[-1] if r.text.startswith("Noted:") else r.text.split("\n")[0]
            assert not [p for p in check(intro, sheet.allowed(cat), a.linker) if "names title" in p], r.text


def test_answer_calls_leave_the_nlu_prompt_cached(qwen, ml100k_assistant):
    """NLU (JSON) and intro (text) calls use separate llama.cpp contexts, so an intro call does not
    evict the NLU prompt: the next NLU call starts from the cached prefix."""
    from assistant.dialogue.nlu import Context, Understander

    a = ml100k_assistant
    nlu = Understander(a.linker, None, qwen)
    nlu.understand("any sci-fi from the 80s?", Context(), mode="llm")
    nlu_tokens = list(qwen.llm._input_ids)
    assert len(nlu_tokens) > 300  # the system prompt + few-shot examples were evaluated in the JSON context
    qwen.complete_text([{"role": "system", "content": "Answer in one sentence."},
                        {"role": "user", "content": "Say hello."}], max_tokens=5)
    assert list(qwen.llm._input_ids) == nlu_tokens  # the text call ran in the other context
    assert list(qwen.llm_text._input_ids)[:len(nlu_tokens)] != nlu_tokens
