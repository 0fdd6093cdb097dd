"""Does the act classifier call a new writer's open requests requests? Leave one open-request development split out.

The act classifier trains on its packaged rows (assistant/dialogue/data/acts.jsonl). Its "open_dev" rows are the
first messages of tests/data/open_requests/dev*.jsonl, one split per writer. For each such split this bench trains
  without   the rows that are not open_dev (the classifier before it learned from open requests), and
  with      those rows plus the open_dev rows of every other split,
and counts, on the left-out split's requests (no cards, no request yet), how many each calls "recommend" and how
many "out_of_scope". Beside them: the packaged out-of-scope phrasings of the NLU set cannot be reused (they are
training rows), so a fixed list of chit-chat written for this bench (CHAT) checks that it is still out of scope.
The act decided here is the classifier's alone: the assistant's rules (nlu.consistent_act) may still change it.

Usage:  .venv/bin/python bench/bench_act_open_requests.py
Writes docs/results/act_open_requests.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHAT = ["Cheers mate", "thanks, bye", "hey", "good evening!", "who built this thing", "do you get paid",
        "what's your name", "can you set an alarm for 7", "what is the capital of peru", "lol ok", "you're useless",
        "hmm", "nah im good", "is this free"]


def main() -> int:
    from assistant.cli import edge_environment, paths_from_env

    edge_environment()
    from assistant.dialogue.classifier import ActClassifier, training_rows
    from assistant.dialogue.entities import EntityLinker
    from catalog import load_dataset_by_name
    from retrieval.embedders import MiniLMEmbedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    linker = EntityLinker(load_dataset_by_name("ml-100k", paths_from_env()))
    embedder = MiniLMEmbedder()
    rows = training_rows()
    base = [r for r in rows if r["source"] != "open_dev"]
    splits: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "tests/data/open_requests").glob("dev*.jsonl")):
        splits[path.stem] = [{"masked": linker.link(c["text"]).masked(c["text"]), "cards": False, "request": False,
                              "act": "recommend", "source": "open_dev"}
                             for c in map(json.loads, path.read_text().splitlines()) if c.get("text")]
    without = ActClassifier.train(base, embedder)

    def acts(clf, masked: list[str]) -> Counter:
        return Counter(clf.predict(m, False, False)[0][0] for m in masked)

    per_split = {}
    for name, held in splits.items():
        with_ = ActClassifier.train(base + [r for k, v in splits.items() if k != name for r in v], embedder)
        a, b = acts(without, [r["masked"] for r in held]), acts(with_, [r["masked"] for r in held])
        per_split[name] = {"n": len(held), "without": {"recommend": a["recommend"], "out_of_scope": a["out_of_scope"]},
                           "with": {"recommend": b["recommend"], "out_of_scope": b["out_of_scope"]}}
    with_all = ActClassifier.train(base + [r for v in splits.values() for r in v], embedder)
    chat = [linker.link(t).masked(t) for t in CHAT]
    chat_oos = {"without": acts(without, chat)["out_of_scope"], "with": acts(with_all, chat)["out_of_scope"]}
    n = sum(s["n"] for s in per_split.values())
    total = {k: {a: sum(s[k][a] for s in per_split.values()) for a in ("recommend", "out_of_scope")}
             for k in ("without", "with")}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    command = "python bench/bench_act_open_requests.py"
    out = {"command": command, "commit": commit, "n_requests": n, "splits": per_split, "total": total,
           "chat_out_of_scope": {**chat_oos, "n": len(CHAT)}, "wall_s": round(time.perf_counter() - t0, 1)}
    od = Path(args.out)
    od.mkdir(parents=True, exist_ok=True)
    (od / "act_open_requests.json").write_text(json.dumps(out, indent=1))
    lines = ["# The act classifier on open requests of a writer it never saw (leave one development split out)", "",
             f"Command: `{command}` at commit {commit}. Each open-request development split in turn is left out; the "
             "classifier is trained without any open request (\"without\") and with those of the other splits "
             "(\"with\"). The act is the classifier's alone, before the assistant's rules.", "",
             "| split | requests | recommend: without -> with | out of scope: without -> with |", "|---|---|---|---|"]
    for name, s in per_split.items():
        lines.append(f"| {name} | {s['n']} | {s['without']['recommend']} -> {s['with']['recommend']} | "
                     f"{s['without']['out_of_scope']} -> {s['with']['out_of_scope']} |")
    lines.append(f"| all | {n} | {total['without']['recommend']} -> {total['with']['recommend']} | "
                 f"{total['without']['out_of_scope']} -> {total['with']['out_of_scope']} |")
    lines += ["", f"Chit-chat written for this bench, out of scope: {chat_oos['without']}/{len(CHAT)} without, "
              f"{chat_oos['with']}/{len(CHAT)} with (trained on every split)."]
    (od / "act_open_requests.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
