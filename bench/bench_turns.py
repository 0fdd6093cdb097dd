"""Per-turn latency of the assistant on ML-100K, by stage, with and without the local LLM, side by side.

Usage:  .venv/bin/python bench/bench_turns.py [--sessions 3] [--threads 2]
Writes docs/results/agent_turns.json and docs/results/agent_turns.md.

Each turn goes through the chat UI's handler (assistant.ui.handlers.chat), as in the browser, so
"first cards visible" is the time from the user's message to the first UI state that shows the ranked
cards, and "reply done" the time to the final state. The per-stage split (parse, tools, scorer, answer)
comes from Reply.timings_ms. Two systems run the same turns in the same process:
  llm        the default: rules + act classifier, the local GGUF (Qwen2.5-Coder-0.5B Q4_K_M) reads a message only
             when the classifier is unsure, and writes the intro sentence after the cards are shown
  tool path  the same without an LLM: rules + classifier, template intro
Every session starts fresh; turns follow a fixed script: the single requests of the earlier benchmark plus
multi-turn follow-ups that depend on the previous turn ("more", "from the 60s", "like #2 but older").
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TURNS = ["I loved Blade Runner, any sci-fi from the 80s?", "something like Alien but funnier", "why 1",
         "I've seen Star Wars", "recommend a Tom Hanks movie", "a French film about love",
         "movies directed by Alfred Hitchcock", "any good westerns?", "not 2",
         "dark crime thrillers from the 90s", "I didn't like Titanic, something romantic but not cheesy",
         "what should I watch tonight?",
         # follow-ups that depend on the turn before
         "big fan of toy story, fargo and heat -- got any comedy picks for tonight?", "ideally from the 1990s",
         "more please", "like #2 but older", "any decade is fine", "none of those", "start over",
         "westerns instead", "from the 60s", "why 3"]
STAGES = ["parse", "tools", "scorer", "answer", "total"]


class Recorder:
    """Passes calls through to an assistant and keeps the last Reply (for its timings)."""

    def __init__(self, assistant):
        self.assistant, self.backend_name, self.last = assistant, assistant.backend_name, None

    def respond(self, session_id, text, on_cards=None):
        self.last = self.assistant.respond(session_id, text, on_cards=on_cards)
        return self.last

    def __getattr__(self, name):
        return getattr(self.assistant, name)


def run_turns(assistant, sessions: int, label: str) -> list[dict]:
    from assistant.ui import handlers

    rec = Recorder(assistant)
    rows = []
    for s in range(sessions):
        ui = handlers.UISession(session_id=f"bench-{label}-{s}")
        for text in TURNS:
            t0 = time.perf_counter()
            first_cards = None
            for state in handlers.chat(rec, ui, text):
                if first_cards is None and state.history[-1]["content"] == handlers.WRITING:  # cards shown early
                    first_cards = (time.perf_counter() - t0) * 1000
            done = (time.perf_counter() - t0) * 1000
            r = rec.last
            if first_cards is None:  # this kind of turn shows its cards with the final text
                first_cards = done
            rows.append({"session": s, "text": text, "intent": r.intent, "backend": r.backend, "n_cards": len(r.cards),
                         "first_cards_ms": round(first_cards, 1) if first_cards is not None and r.cards else None,
                         "done_ms": round(done, 1), "timings_ms": r.timings_ms})
            print(f"{label:<9} {done:8.0f} ms  first cards {rows[-1]['first_cards_ms']}  {r.backend:<44} {text}",
                  file=sys.stderr, flush=True)
    return rows


def summary(rows: list[dict]) -> dict:
    from bench.common import pct

    out = {}
    for s in STAGES:
        vals = [r["timings_ms"][s] for r in rows if s in r["timings_ms"]]
        out[s] = pct(vals) if vals else None
    rec = [r for r in rows if r["n_cards"]]
    out["first_cards_visible"] = pct([r["first_cards_ms"] for r in rec])
    out["reply_done"] = pct([r["done_ms"] for r in rows])
    out["reply_done_with_cards"] = pct([r["done_ms"] for r in rec])
    return out


def main() -> int:
    from assistant.cli import edge_environment

    edge_environment()
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig
    from bench.common import write

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sessions", type=int, default=3)
    args = ap.parse_args()
    from assistant.cli import paths_from_env

    home = paths_from_env().home
    tmp = Path(tempfile.mkdtemp())
    systems, builds, rows = {}, {}, {}
    for label, backend in (("llm", "llama_cpp"), ("tool path", "none")):
        t0 = time.perf_counter()
        systems[label] = build_assistant(AssistantConfig(dataset=args.dataset, home=home, llm=backend, n_threads=args.threads,
                                                         llm_timeout_s=300, feedback_db=tmp / f"{backend}.sqlite"))
        builds[label] = round(time.perf_counter() - t0, 1)
    for label, a in systems.items():
        rows[label] = run_turns(a, args.sessions, label)
    summ = {label: summary(r) for label, r in rows.items()}
    llm_intros = sum(r["backend"] != "template" for r in rows["llm"])
    command = " ".join(["python", "bench/bench_turns.py"] + sys.argv[1:])
    payload = {"dataset": args.dataset, "threads": args.threads, "sessions": args.sessions, "turns_per_session": len(TURNS),
               "backends": {k: a.backend_name for k, a in systems.items()}, "build_s": builds, "summary": summ,
               "llm_intros_kept": llm_intros, "turns": rows}
    table = []
    for key in STAGES + ["first_cards_visible", "reply_done_with_cards", "reply_done"]:
        cells = [key]
        for label in systems:
            v = summ[label][key]
            cells += [f"{v['p50_ms']:.0f}", f"{v['p95_ms']:.0f}"] if v else ["–", "–"]
        table.append(cells)
    load = os.getloadavg()[0]
    notes = (f"1-min load average at the end: {load:.1f} (2 cores; other jobs raise it). {args.sessions} sessions x {len(TURNS)} scripted turns per system, each turn through the chat UI handler; "
             f"dataset {args.dataset}; llama.cpp threads {args.threads}. Build (load data, KG, index, scorer, model): "
             f"{builds}. 'first cards visible' = user message -> first UI state showing the ranked cards (they are shown "
             "before the intro sentence is written); turns without cards (explain, feedback without a prior list, help) "
             f"count in 'reply done' only. LLM intro sentences kept by the checker: {llm_intros} of "
             f"{len(rows['llm'])} turns (explain/feedback/'not N' turns use templates by design). LLM reads (classifier "
             f"unsure): {sum(r['timings_ms'].get('parse', 0) > 300 for r in rows['llm'])} of {len(rows['llm'])} turns took "
             f"over 300 ms to parse.")
    write("agent_turns", payload, table, ["stage", "llm p50 ms", "llm p95 ms", "tool path p50 ms", "tool path p95 ms"],
          command, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
