"""Request-parsing accuracy of the local LLM planner (intent + slots), three variants side by side.

Usage:  .venv/bin/python bench/bench_parsing.py [--model PATH.gguf] [--dataset ml-100k]
Writes docs/results/parsing.json and docs/results/parsing.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from assistant.cli import edge_environment

    edge_environment()
    from assistant.llm.llama_cpp import LlamaCppBackend
    from assistant.models import QWEN
    from assistant.parse_eval import evaluate, load_cases
    from assistant.planner import Linker, Planner
    from catalog import load_dataset_by_name
    from catalog.paths import Paths, default_home
    from kg.graph import KnowledgeGraph

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--model", default=None)
    ap.add_argument("--cases", default=str(ROOT / "tests/data/parsing_cases.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    ap.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    ap.add_argument("--timeout", type=float, default=120.0, help="per LLM call (s); a timeout counts as a fallback")
    args = ap.parse_args()
    paths = Paths(default_home())
    ds = load_dataset_by_name(args.dataset, paths)
    kg = KnowledgeGraph.load(paths.kg_path(ds.name))
    model = Path(args.model) if args.model else paths.models_dir / QWEN.filename
    backend = LlamaCppBackend(model, n_threads=args.threads, timeout_s=args.timeout)
    planner = Planner(Linker(ds, kg), backend)
    cases = load_cases(Path(args.cases))
    t0 = time.perf_counter()
    res = evaluate(planner, cases, log=lambda m: print(m, file=sys.stderr, flush=True))
    wall = time.perf_counter() - t0
    fallbacks = sum(r["source"] == "rules" for r in res["cases"]["llm"])
    res.update({"threads": args.threads, "llm_fallbacks": fallbacks, "model": model.name, "dataset": ds.name, "n_cases": len(cases), "wall_s": round(wall, 1),
                "load_s": round(backend.load_s, 2), "warmup_s": round(backend.warmup_s, 2),
                "machine": f"{platform.machine()} {platform.processor() or ''} (2 cores shared)".strip(),
                "command": " ".join(["python", "bench/bench_parsing.py"] + sys.argv[1:])})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "parsing.json").write_text(json.dumps(res, indent=2))
    s = res["summary"]
    lines = [
        "# Request parsing accuracy (intent + all slots exact)", "",
        f"Model `{model.name}` via llama-cpp-python, dataset {ds.name}, {len(cases)} labelled requests "
        f"(`tests/data/parsing_cases.jsonl`). Command: `{res['command']}`.", "",
        "| variant | cases correct | intent correct |", "|---|---|---|",
    ]
    for v in ("llm", "hybrid", "rules"):
        lines.append(f"| {v} | {s[v]['accuracy']:.1%} | {s[v]['intent_accuracy']:.1%} |")
    lines += ["", f"LLM plan call: median {res['llm_ms']['median']:.0f} ms, max {res['llm_ms']['max']:.0f} ms "
              f"(model load {res['load_s']} s, warm-up {res['warmup_s']} s, total {res['wall_s']} s, "
              f"{args.threads} llama.cpp threads; {fallbacks} calls failed/timed out and fell back to rules).", "",
              "`llm` = constrained-JSON plan + linking (names not written by the user or not in the catalog/KG are dropped); "
              "`hybrid` (used by the assistant) = the same reconciled with cue-word rules; `rules` = no LLM (the fallback).", "",
              "Failures (hybrid):", ""]
    for r in res["cases"]["hybrid"]:
        if not r["correct"]:
            lines.append(f"- `{r['text']}`: wrong {', '.join(r['wrong'])}")
    (out / "parsing.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
