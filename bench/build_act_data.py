"""Write assistant/dialogue/data/acts.jsonl, the act classifier's training rows.

Sources, each masked here with the ML-100K entity linker where it is not already:
  authored   assistant/dialogue/data/acts_authored.txt: phrasings written for the classifier (already masked);
  dev        the development part of the labelled NLU set, tests/data/nlu/dev.jsonl;
  open_dev   the development parts of the open-request sets, tests/data/open_requests/dev*.jsonl: every one is
             a first message that asks for films ("recommend", no cards, no request yet), written by thirteen
             writers in their own words ("flirty. two people bickering till they finally kiss").
Of the held-out parts (tests/data/nlu/heldout.jsonl, tests/data/open_requests/heldout*.jsonl) only the texts are
read, to leave out a development row written word for word as a held-out one.

Decontamination: a row whose words are nearly those of a template the dialogue simulator speaks
(simulation/phrasings.py; rapidfuzz ratio >= 85 on lower-cased words, placeholders as entity kinds)
is left out, so the dialogue evaluation never hears a phrasing the classifier was trained on.

Usage:  .venv/bin/python bench/build_act_data.py [--dev tests/data/nlu/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _words(s: str) -> str:
    import re

    return " ".join(re.findall(r"[a-z]+", s.lower()))


def decontaminate(rows: list[dict]) -> tuple[list[dict], list[tuple[dict, str]]]:
    import runpy

    from rapidfuzz import fuzz

    pools = runpy.run_path(str(ROOT / "simulation/phrasings.py"))["POOLS"]
    templates = [t.replace("{titles}", "TITLE").replace("{genre}", "GENRE").replace("{decade}", "DECADE")
                 for v in pools.values() for t in v]
    kept, dropped = [], []
    for r in rows:
        close = [t for t in templates if fuzz.ratio(_words(r["masked"]), _words(t)) >= 85]
        (dropped.append((r, close[0])) if close else kept.append(r))
    return kept, dropped


def main() -> int:
    from assistant.cli import edge_environment, paths_from_env

    edge_environment()
    from assistant.dialogue.entities import EntityLinker
    from bench.common import held_out_texts, jsonl
    from catalog import load_dataset_by_name

    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", default=str(ROOT / "tests/data/nlu/dev.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "assistant/dialogue/data/acts.jsonl"))
    args = ap.parse_args()
    rows = []
    for line in (ROOT / "assistant/dialogue/data/acts_authored.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        act, cards, request, masked = line.split("|", 3)
        rows.append({"masked": masked.strip(), "cards": cards == "1", "request": request == "1", "act": act, "source": "authored"})
    n_authored = len(rows)
    # a development text written word for word as a held-out one (dev2's D059 is) is left out
    held = held_out_texts(nlu=True)
    n_held = 0
    dev = Path(args.dev)
    linker = EntityLinker(load_dataset_by_name("ml-100k", paths_from_env()))
    if dev.exists():
        for case in jsonl(dev):
            if case["text"] in held:
                n_held += 1
                continue
            ctx = case.get("context") or {}
            shown = ctx.get("shown") or []
            masked = linker.link(case["text"], len(shown)).masked(case["text"])
            rows.append({"masked": masked, "cards": bool(shown), "request": bool(shown or ctx.get("constraints")),
                         "act": case["act"], "source": "dev"})
    for path in sorted((ROOT / "tests/data/open_requests").glob("dev*.jsonl")):
        for text in (c["text"] for c in jsonl(path)):
            if text in held:
                n_held += 1
                continue
            rows.append({"masked": linker.link(text).masked(text), "cards": False, "request": False,
                         "act": "recommend", "source": "open_dev"})
    kept, dropped = decontaminate(rows)
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in kept))
    print(f"wrote {args.out}: {sum(r['source'] == 'authored' for r in kept)} authored + "
          f"{sum(r['source'] == 'dev' for r in kept)} dev + {sum(r['source'] == 'open_dev' for r in kept)} open_dev rows; left out "
          f"{n_held} also held out and {len(dropped)} close to simulator phrasings:")
    for r, t in dropped:
        print(f"  {r['masked']!r} ~ {t!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
