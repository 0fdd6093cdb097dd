"""Can the default local LLM read the years a request asks for? The rules' year reading and a constrained LLM
call, side by side, on the development era requests.

Each development request of category "era" (tests/data/open_requests/dev*.jsonl) has its year bounds in its hard
criterion (year, year_min, year_max). Both readers are scored on the exact pair (year_min, year_max):
  rules  the assistant's reading (entities year_min / year_max, or a decade's ends)
  llm    one JSON-constrained call to the local model (default qwen2.5-coder-0.5b) with a short instruction and
         worked examples; no other context
Development requests only: the rules were written on them, so "rules" is in-sample and an upper bound; the LLM saw
none of them. This measures whether the LLM is worth trying as a year slot filler, not a held-out figure.

    python bench/bench_llm_years.py [--limit N] [--model qwen2.5-coder-0.5b]

Writes docs/results/llm_years.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "open_requests"

INSTRUCTION = """You read a film request and fill in the release-year range it asks for. Films in the catalog run up to 1998.
Answer JSON: {"year_min": int or null, "year_max": int or null}. Use null when the request sets no bound.
Work out the years the request implies: "the 80s" = 1980 to 1989, "late 70s" = 1976 to 1979, "before 1960" = year_max 1959,
"made the year I was born, 1975" = 1975 to 1975."""
SCHEMA = {"type": "object", "properties": {"year_min": {"type": ["integer", "null"]},
                                            "year_max": {"type": ["integer", "null"]}},
          "required": ["year_min", "year_max"]}


def criterion_years(pred) -> tuple[int | None, int | None]:
    """(year_min, year_max) of a hard criterion; a single "year" gives both. Years under any_of are not a range."""
    lo = hi = None
    for k, v in (pred or {}).items():
        if k == "all_of":
            for sub in v:
                a, b = criterion_years(sub)
                lo, hi = a if a is not None else lo, b if b is not None else hi
        elif k == "year":
            lo = hi = v
        elif k == "year_min":
            lo = v
        elif k == "year_max":
            hi = v
    return lo, hi


def rules_years(e) -> tuple[int | None, int | None]:
    lo, hi = e.year_min, e.year_max
    if e.decades and lo is None and hi is None:
        starts = sorted(int(d[:4]) for d in e.decades)
        lo, hi = starts[0], starts[-1] + 9
    return lo, hi


def main() -> None:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from assistant.llm import LLMUnavailable, load_backend
    from bench.common import machine
    from tools.state import SessionState

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "results")
    a = ap.parse_args()
    cases = [c for f in sorted(DATA.glob("dev*.jsonl")) for c in map(json.loads, f.read_text().splitlines())
             if c["category"] == "era" and "any_of" not in json.dumps(c["hard"])]
    cases = cases[: a.limit] if a.limit else cases
    paths = paths_from_env()
    cfg = AssistantConfig(home=paths.home, dataset="ml-100k", llm="llama_cpp", model_name=a.model, llm_timeout_s=120,
                          feedback_db=Path(tempfile.mkdtemp()) / "fb.sqlite")
    backend = load_backend(cfg)
    assistant = build_assistant(cfg.model_copy(update={"llm": "none"}))
    rows, t0, llm_s = [], time.perf_counter(), []
    for c in cases:
        want = criterion_years(c["hard"])
        u = assistant.understand(SessionState("years-" + c["id"]), c["text"])
        t = time.perf_counter()
        try:
            out = backend.complete_json([{"role": "system", "content": INSTRUCTION}, {"role": "user", "content": c["text"]}],
                                        SCHEMA, max_tokens=40)
            got = (out.get("year_min"), out.get("year_max"))
        except LLMUnavailable:
            got = ("error", "error")
        llm_s.append(time.perf_counter() - t)
        rows.append({"id": c["id"], "want": want, "rules": rules_years(u.entities), "llm": got})
    n = len(rows)
    score = {k: sum(tuple(r[k]) == tuple(r["want"]) for r in rows) for k in ("rules", "llm")}
    llm_right_rules_wrong = sum(tuple(r["llm"]) == tuple(r["want"]) != tuple(r["rules"]) for r in rows)
    llm_s.sort()
    command = " ".join(["python", "bench/bench_llm_years.py"] + sys.argv[1:])
    out = {"command": command, "machine": machine(), "model": a.model, "n": n,
           "exact": {k: round(v / n, 4) for k, v in score.items()}, "llm_right_where_rules_wrong": llm_right_rules_wrong,
           "llm_median_s": round(llm_s[n // 2], 2), "wall_s": round(time.perf_counter() - t0, 1), "rows": rows}
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "llm_years.json").write_text(json.dumps(out, indent=1) + "\n")
    md = [f"# Year bounds read by the rules and by the local LLM ({a.model}), development era requests", "",
          f"Command: `{command}` (commit {out['machine']['commit']}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
          "| reader | exact (year_min, year_max) | of |", "|---|---|---|",
          f"| rules (in-sample: written on these requests) | {score['rules'] / n:.1%} | {n} |",
          f"| LLM, one constrained call | {score['llm'] / n:.1%} | {n} |", "",
          f"The LLM was right where the rules were wrong on {llm_right_rules_wrong} request(s). Median LLM call: "
          f"{out['llm_median_s']} s on {out['machine']['cores']} cores.", ""]
    (a.out / "llm_years.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
