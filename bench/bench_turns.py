"""Per-turn latency of the assistant (plan-first, local Qwen GGUF) on ML-100K, by stage.

Usage:  .venv/bin/python bench/bench_turns.py [--threads 2] [--backend llama_cpp|none]
Writes docs/results/agent_turns.json and docs/results/agent_turns.md (medians over the turns).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TURNS = ["I loved Blade Runner, any sci-fi from the 80s?", "something like Alien but funnier", "why 1",
         "I've seen Star Wars", "recommend a Tom Hanks movie", "a French film about love",
         "movies directed by Alfred Hitchcock", "any good westerns?"]


def main() -> int:
    from assistant.cli import edge_environment

    edge_environment()
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--backend", default="llama_cpp", choices=["llama_cpp", "none"])
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    cfg = AssistantConfig(dataset=args.dataset, llm=args.backend, n_threads=args.threads, llm_timeout_s=300,
                          feedback_db=Path(tempfile.mkdtemp()) / "fb.sqlite")
    a = build_assistant(cfg)
    build_s = time.perf_counter() - t0
    rows = []
    for text in TURNS:
        t = time.perf_counter()
        r = a.respond("bench", text)
        rows.append({"text": text, "intent": r.intent, "backend": r.backend, "n_cards": len(r.cards),
                     "wall_ms": round((time.perf_counter() - t) * 1000, 1), "timings_ms": r.timings_ms,
                     "reply": r.text})
        print(f"{rows[-1]['wall_ms']:8.0f} ms  {r.backend:<40} {text}", file=sys.stderr, flush=True)
    stages = ["parse", "tools", "scorer", "answer", "total"]
    med = {s: statistics.median([r["timings_ms"][s] for r in rows if s in r["timings_ms"]] or [0]) for s in stages}
    med["wall"] = statistics.median(r["wall_ms"] for r in rows)
    res = {"command": " ".join(["python", "bench/bench_turns.py"] + sys.argv[1:]), "backend": a.backend_name,
           "threads": args.threads, "build_s": round(build_s, 1), "notes": a.notes, "median_ms": med, "turns": rows,
           "llm_answers_used": sum(r["backend"] not in ("template",) for r in rows)}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "agent_turns" if args.backend == "llama_cpp" else "agent_turns_nollm"
    (out / f"{name}.json").write_text(json.dumps(res, indent=2))
    lines = [f"# Assistant per-turn latency ({a.backend_name})", "",
             f"Command: `{res['command']}`; dataset {args.dataset}; {len(TURNS)} turns in one session; build {res['build_s']} s. "
             f"Shared 2-core machine: other jobs were running, so absolute numbers are pessimistic.", "",
             "| stage | median ms |", "|---|---|"] + [f"| {s} | {med[s]:.0f} |" for s in stages + ["wall"]] + [
             "", f"LLM-phrased intros kept by the grounding guard: {res['llm_answers_used']} of {len(TURNS)} turns "
             "(the rest used the template: explain/feedback turns are template by design).", "",
             "| turn | intent | backend | ms |", "|---|---|---|---|"] + [
             f"| {r['text']} | {r['intent']} | {r['backend']} | {r['wall_ms']:.0f} |" for r in rows]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
