"""The genre-leaning model (assistant/dialogue/leanings.py) measured on development requests it was not trained on.

Trains on dev..dev<N> (default 12) and reads dev<N+1>..dev19, the split its threshold and scope were chosen on; the
held-out splits are not read (their texts only leave out a repeated request, as in the shipped rows). For each read
request whose criteria name a genre: is the most probable genre one they ask for (top-1), against the training rows'
most common genre? At the model's threshold: precision and recall of the leanings, and the share of requests whose
criteria name no genre that lean anyway. Two labellings side by side: every `genres_any` of the hard and soft
predicates (what ships), and the soft predicate's alone (the mood meaning).

    .venv/bin/python bench/bench_leanings.py [--upto 12]
Writes docs/results/leanings_dev.{json,md}.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from assistant.cli import edge_environment

    edge_environment()
    from assistant.dialogue.leanings import THRESHOLD, Leanings, criterion_genres
    from bench.build_leaning_data import batch
    from bench.common import held_out_texts, jsonl, write
    from retrieval.embedders import MiniLMEmbedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--upto", type=int, default=12, help="train on dev..devN, read the later development splits")
    args = ap.parse_args()
    held = held_out_texts()
    cases = [(batch(f), c) for f in (ROOT / "tests/data/open_requests").glob("dev*.jsonl") for c in jsonl(f)
             if c["text"] not in held]
    embedder = MiniLMEmbedder()
    labellings = {"hard and soft": lambda c: criterion_genres(c.get("hard")) | criterion_genres(c.get("soft")),
                  "soft only": lambda c: criterion_genres(c.get("soft"))}
    rows, results = [], {}
    for name, label in labellings.items():
        train = [{"text": c["text"], "asked": sorted(label(c))} for b, c in cases if b <= args.upto]
        test = [(c["text"], label(c)) for b, c in cases if b > args.upto]
        model = Leanings.train(train, embedder)
        common = Counter(g for r in train for g in r["asked"]).most_common(1)[0][0]
        P = [model.probabilities(t) for t, _ in test]
        named = [(p, asked) for p, (_, asked) in zip(P, test) if asked]
        top1 = float(np.mean([max(p, key=p.get) in asked for p, asked in named]))
        base = float(np.mean([common in asked for _, asked in named]))
        leaned = [(g, asked) for p, asked in named for g in model.read_probabilities(p)]
        precision = float(np.mean([g in asked for g, asked in leaned])) if leaned else None
        recall = sum(g in asked for g, asked in leaned) / sum(len(a) for _, a in named)
        unnamed = [p for p, (_, asked) in zip(P, test) if not asked]
        false_lean = float(np.mean([bool(model.read_probabilities(p)) for p in unnamed])) if unnamed else None
        results[name] = {"n_train": len(train), "n_read": len(test), "n_naming_a_genre": len(named), "top1": round(top1, 4),
                         "most_common_genre": common, "most_common_top1": round(base, 4),
                         "precision_at_threshold": None if precision is None else round(precision, 4),
                         "recall_at_threshold": round(recall, 4),
                         "lean_without_a_genre": None if false_lean is None else round(false_lean, 4)}
        r = results[name]
        rows.append([name, r["n_naming_a_genre"], f"{100 * top1:.1f}%", f"{100 * base:.1f}% ({common})",
                     "-" if precision is None else f"{100 * precision:.1f}%", f"{100 * recall:.1f}%",
                     "-" if false_lean is None else f"{100 * false_lean:.1f}% of {len(unnamed)}"])
    command = " ".join(["python", "bench/bench_leanings.py"] + sys.argv[1:])
    md = write("leanings_dev", {"upto": args.upto, "threshold": THRESHOLD, "labellings": results}, rows,
               ["labels", "requests naming a genre", "top-1 asked", "most common genre", f"precision at {THRESHOLD}",
                f"recall at {THRESHOLD}", "lean with no genre asked"], command,
               notes=f"Trained on dev..dev{args.upto}, read on the later development splits; held-out splits not read.")
    print(md.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
