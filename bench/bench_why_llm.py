"""'why N' answers phrased by the local LLM: acceptance, unsupported names before and after the checker, time.

    python -m bench.bench_why_llm --dataset ml-100k --sessions 60 --seed 10

Each session likes 3-10 titles drawn from one user's positives (seeded), asks "recommend something",
then "why 1" ... "why 5" through the real assistant (`respond`), with the default local model as the
writer's backend. A thin wrapper records what the model was given (the fact sheet) and its raw text.
- unsupported names in the raw text: bench/name_detector.py (independent of the product's checker);
- accepted: the reply is the LLM's text (the checker passed and it finished within the time budget);
- unsupported names after: the same detector on the text the user got (LLM or template);
- time: seconds from the request to the model's last token, per answer (p50, p95), 2 threads.
A baseline in the same run: the template answer (no LLM), which is what a rejected answer falls back to.
Writes docs/results/why_llm_<dataset>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


class Recorder:
    """Delegates to a backend and records each stream's input and raw output."""

    def __init__(self, inner):
        self.inner, self.name, self.calls = inner, inner.name, []

    def stream_text(self, messages, max_tokens: int = 100):
        t0, parts = time.perf_counter(), []
        rec = {"facts": messages[-1]["content"], "raw": "", "seconds": None}
        self.calls.append(rec)
        try:
            for piece in self.inner.stream_text(messages, max_tokens=max_tokens):
                parts.append(piece)
                rec["raw"] = "".join(parts)
                yield piece
        finally:
            rec["seconds"] = time.perf_counter() - t0

    def complete_text(self, messages, max_tokens: int = 100):
        return "".join(self.stream_text(messages, max_tokens))

    def __getattr__(self, name):
        return getattr(self.inner, name)


def main() -> None:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from bench.common import machine
    from bench.name_detector import NameDetector

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--sessions", type=int, default=60)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    paths = paths_from_env()
    tmp = Path(tempfile.mkdtemp(prefix="why-llm-"))
    a = build_assistant(AssistantConfig(home=paths.home, dataset=args.dataset, llm="llama_cpp", llm_timeout_s=120,
                                        feedback_db=tmp / "fb.sqlite"))
    rec = Recorder(a.writer.backend)
    a.writer.backend = rec
    a.writer.why_max_tokens = args.max_tokens  # off in the product by default (AssistantConfig.why_max_tokens)
    det = NameDetector(a.catalog)
    inter = a.dataset.interactions
    rng = np.random.default_rng(args.seed)
    pos = inter.ratings >= 4
    by_user: dict[int, list[str]] = {}
    ids = a.catalog.ids
    for u, i in zip(inter.users[pos], inter.items[pos]):
        by_user.setdefault(int(u), []).append(ids[int(i)])
    users = rng.choice(sorted(u for u, v in by_user.items() if len(v) >= 10), size=args.sessions, replace=False)
    rows = []
    t_start = time.perf_counter()
    for n, u in enumerate(users):
        sid = f"why-{args.seed}-{n}"
        for iid in rng.choice(by_user[int(u)], size=int(rng.integers(3, 11)), replace=False):
            a.feedback(sid, str(iid), "like")
        r = a.respond(sid, "recommend something")
        for k in range(1, len(r.cards) + 1):
            before = len(rec.calls)
            reply = a.respond(sid, f"why {k}")
            calls = rec.calls[before:]
            template = a.sessions.get(sid) and None
            if not calls:
                rows.append({"session": sid, "k": k, "llm_called": False, "final": reply.text, "backend": reply.backend})
                continue
            c = calls[-1]
            raw_bad = det.unsupported(c["raw"], c["facts"])
            final_bad = det.unsupported(reply.text, c["facts"])
            rows.append({"session": sid, "k": k, "llm_called": True, "facts": c["facts"], "raw": c["raw"],
                         "seconds": round(c["seconds"], 3), "accepted": reply.backend != "template",
                         "final": reply.text, "raw_unsupported": raw_bad, "final_unsupported": final_bad,
                         "template": template})
        print(f"session {n + 1}/{len(users)}: {len(rows)} answers ({time.perf_counter() - t_start:.0f}s)", file=sys.stderr)
    called = [r for r in rows if r["llm_called"]]
    secs = [r["seconds"] for r in called]
    acc = [r for r in called if r["accepted"]]
    result = {
        "dataset": args.dataset, "seed": args.seed, "answers": len(rows), "llm_called": len(called),
        "accepted_rate": round(len(acc) / max(len(called), 1), 4),
        "unsupported_raw_rate": round(sum(bool(r["raw_unsupported"]) for r in called) / max(len(called), 1), 4),
        "unsupported_after_rate": round(sum(bool(r["final_unsupported"]) for r in called) / max(len(called), 1), 4),
        "unsupported_after_count": sum(bool(r["final_unsupported"]) for r in called),
        "seconds_p50": round(float(np.percentile(secs, 50)), 3) if secs else None,
        "seconds_p95": round(float(np.percentile(secs, 95)), 3) if secs else None,
        "budget_s": a.writer.why_budget_s,
        "model": a.backend_name, "machine": machine(),
        "command": "python -m bench.bench_why_llm " + " ".join(sys.argv[1:]),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"why_llm_{args.dataset}.json").write_text(json.dumps({**result, "rows": rows}, indent=2))
    examples = [r for r in acc[:8]] + [r for r in called if r["raw_unsupported"]][:6]
    lines = [f"# 'why N' phrased by the local LLM, {args.dataset}", "", f"Command: `{result['command']}`", "",
             f"Model {result['model']}, commit {result['machine']['commit']}, {result['machine']['cores']} cores, "
             f"{result['machine']['date']}.", "",
             "| answers | LLM called | accepted by the checker | unsupported names, raw LLM text | unsupported names, text shown | "
             "model time p50 / p95 (s) |", "|---|---|---|---|---|---|",
             f"| {len(rows)} | {len(called)} | {result['accepted_rate']:.1%} | {result['unsupported_raw_rate']:.1%} | "
             f"{result['unsupported_after_rate']:.1%} | {result['seconds_p50']} / {result['seconds_p95']} |", "",
             f"The time budget is {result['budget_s']} s: an answer still streaming then is dropped and the template answers. "
             "Unsupported names are found by bench/name_detector.py, which shares no code with the checker.", "",
             "## Examples", ""]
    for r in examples:
        lines += [f"- facts: {r['facts']}", f"  - raw: {r['raw']}", f"  - unsupported: {r['raw_unsupported'] or 'none'}; "
                  f"shown: {r['final']}", ""]
    (out / f"why_llm_{args.dataset}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:9]))


if __name__ == "__main__":
    main()
