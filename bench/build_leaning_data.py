"""Write assistant/dialogue/data/leanings.jsonl, the training rows of the genre-leaning model
(assistant/dialogue/leanings.py).

One row per development open request (tests/data/open_requests/dev*.jsonl): its text, every genre its
criteria ask for (`genres_any` anywhere in its hard or soft predicate), whether they ask for a critic score
(`critic_pct_min` anywhere: the quality leaning) and whether they name a year (`year`, `year_min`, `year_max`: the
dated model). Of the held-out splits
(heldout*.jsonl) only the texts are read, to leave out a development request written word for word as a
held-out one (dev2's D059 is). `--upto N` keeps dev..devN only (dev is batch 1): the split used to
choose when a leaning is read and ranks (train on dev..dev12, measure on dev13..dev19).

Usage:  .venv/bin/python bench/build_leaning_data.py [--upto N] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def batch(path: Path) -> int:
    return int(re.fullmatch(r"dev(\d*)", path.stem).group(1) or 1)


def main() -> int:
    from assistant.dialogue.leanings import YEAR_KEYS, criterion_genres, criterion_keys
    from bench.common import held_out_texts, jsonl

    ap = argparse.ArgumentParser()
    ap.add_argument("--upto", type=int, default=None, help="only dev..devN (dev is 1)")
    ap.add_argument("--out", default=str(ROOT / "assistant/dialogue/data/leanings.jsonl"))
    args = ap.parse_args()
    files = sorted((ROOT / "tests/data/open_requests").glob("dev*.jsonl"), key=batch)
    held = held_out_texts()
    rows, left_out = [], 0
    for f in files:
        if args.upto is not None and batch(f) > args.upto:
            continue
        for c in jsonl(f):
            if c["text"] in held:
                left_out += 1
                continue
            asked = criterion_genres(c.get("hard")) | criterion_genres(c.get("soft"))
            keys = criterion_keys(c.get("hard")) | criterion_keys(c.get("soft"))
            rows.append({"text": c["text"], "asked": sorted(asked), "critics": "critic_pct_min" in keys,
                         "dated": bool(keys & YEAR_KEYS), "source": f.stem})
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows))
    n_labelled = sum(bool(r["asked"]) for r in rows)
    n_critics = sum(r["critics"] for r in rows)
    n_dated = sum(r["dated"] for r in rows)
    n_splits = len(files) if args.upto is None else args.upto
    print(f"{len(rows)} rows ({n_labelled} ask for a genre, {n_critics} for a critic score, {n_dated} name a year) from "
          f"{n_splits} "
          f"development splits, {left_out} left out as also held out -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
