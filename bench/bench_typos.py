"""Titles typed with a typo: is each linked to the right catalog item, and does a misspelt title ever become a
person or a different film?

Messages: three of the 400 most rated titles, one typo in each (a typo model of this bench's own, not the dialogue
simulator's): two neighbouring letters swapped, a letter dropped, a letter doubled, or a letter replaced by a
common one; written as the title or all lowercase, the year and a trailing ", The" left out. Four sentence frames
(a list before a cue, a cue before a list, one title, "something like"). The same messages, also without typos,
go to each system.

Systems, same messages, same run:
  recassist   the linker of this tree
  today       the linker at --today-commit (a git worktree)

Per typo kind: the share of titles linked to the right item; the share of messages where a title that was not
written got linked (a wrong film), and where a person got linked (no person is written).

Usage: .venv/bin/python bench/bench_typos.py --dataset ml-100k --seeds 10,11,12 [--today-commit 1094961]
Writes docs/results/typos_<dataset>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("none", "swap", "drop", "double", "replace")
FRAMES = (  # (frame, number of titles)
    ("{0}, {1} and {2} are some of my faves. any recs?", 3),
    ("loved {0} and {1}, anything similar?", 2),
    ("just watched {0}. what should i watch next?", 1),
    ("something like {0} please", 1),
)

# links every message with the linker of the tree it runs in (this tree, or a worktree of --today-commit)
LINKER = r"""
import json, sys
from pathlib import Path
from assistant.build import build_assistant
from assistant.config import AssistantConfig

home, dataset, msgs, out, db = sys.argv[1:6]
a = build_assistant(AssistantConfig(home=Path(home), dataset=dataset, llm="none", feedback_db=Path(db)))
rows = []
for text in json.loads(Path(msgs).read_text()):
    e = a.nlu.linker.link(text).entities
    rows.append({"titles": [a.catalog[i].display_title for i in e.titles()], "people": list(e.people)})
Path(out).write_text(json.dumps(rows))
"""


def typo(title: str, rng: random.Random, kind: str) -> str:
    """One typo at a letter inside a word of 4+ letters (not its first letter)."""
    if kind == "none":
        return title
    spots = [m.start() + k for m in re.finditer(r"[A-Za-z]{4,}", title) for k in range(1, len(m.group()) - 1)]
    if not spots:
        return title
    i = rng.choice(spots)
    if kind == "swap":
        return title[:i] + title[i + 1] + title[i] + title[i + 2:]
    if kind == "drop":
        return title[:i] + title[i + 1:]
    if kind == "double":
        return title[:i] + title[i] + title[i:]
    return title[:i] + rng.choice([c for c in "aeioustrnl" if c != title[i].lower()]) + title[i + 1:]


def as_typed(title: str) -> str:
    """"Godfather, The (1972)" -> "The Godfather"; alternate titles in brackets dropped."""
    t = re.sub(r"\s*\([^)]*\)", "", title).strip()
    m = re.match(r"(.*), (The|A|An)$", t)
    return f"{m.group(2)} {m.group(1)}" if m else t


def messages(catalog, popularity, seed: int, per_kind: int) -> list[dict]:
    import numpy as np

    top = [catalog.at(int(j)) for j in np.argsort(-popularity)[:400]]
    rng = random.Random(seed)
    out = []
    for kind in KINDS:
        for n in range(per_kind):
            frame, k = FRAMES[n % len(FRAMES)]
            items = rng.sample(top, k)
            written = [typo(as_typed(it.title), rng, kind) for it in items]
            written = [w.lower() if rng.random() < 0.5 else w for w in written]
            out.append({"seed": seed, "kind": kind, "text": frame.format(*written),
                        "want": [it.display_title for it in items]})
    return out


def link_all(texts: list[str], home: Path, dataset: str, repo: Path) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        msgs, out = Path(tmp) / "msgs.json", Path(tmp) / "out.json"
        msgs.write_text(json.dumps(texts))
        subprocess.run([sys.executable, "-c", LINKER, str(home), dataset, str(msgs), str(out), str(Path(tmp) / "fb.sqlite")],
                       cwd=repo, check=True, capture_output=True, env={**__import__("os").environ, "PYTHONPATH": str(repo)})
        return json.loads(out.read_text())


def score(msgs: list[dict], linked: list[dict]) -> dict:
    res = {}
    for kind in KINDS:
        rows = [(m, r) for m, r in zip(msgs, linked) if m["kind"] == kind]
        n_titles = sum(len(m["want"]) for m, _ in rows)
        res[kind] = {
            "messages": len(rows),
            "titles_linked": round(sum(t in r["titles"] for m, r in rows for t in m["want"]) / n_titles, 4),
            "wrong_title_messages": round(sum(bool(set(r["titles"]) - set(m["want"])) for m, r in rows) / len(rows), 4),
            "person_messages": round(sum(bool(r["people"]) for _, r in rows) / len(rows), 4),
        }
    return res


def main() -> None:
    from assistant.cli import paths_from_env
    from bench.common import machine
    from catalog import load_dataset_by_name

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--seeds", default="10,11,12")
    ap.add_argument("--per-kind", type=int, default=100, help="messages per typo kind and seed")
    ap.add_argument("--today-commit", default=None)
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    paths = paths_from_env()
    ds = load_dataset_by_name(args.dataset, paths)
    import numpy as np

    popularity = np.bincount(ds.interactions.items, minlength=len(ds.catalog))  # (n_items,) ratings per item
    msgs = [m for s in map(int, args.seeds.split(",")) for m in messages(ds.catalog, popularity, s, args.per_kind)]
    texts = [m["text"] for m in msgs]
    systems = {"recassist": score(msgs, link_all(texts, paths.home, args.dataset, ROOT))}
    if args.today_commit:
        wt = Path(tempfile.mkdtemp(prefix="recassist-today-"))
        subprocess.run(["git", "worktree", "add", "--detach", str(wt), args.today_commit], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            systems[f"today ({args.today_commit})"] = score(msgs, link_all(texts, paths.home, args.dataset, wt))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT, capture_output=True)
    command = " ".join(["python", "bench/bench_typos.py"] + sys.argv[1:])
    payload = {"command": command, "machine": machine(), "dataset": args.dataset, "seeds": args.seeds,
               "messages": len(msgs), "systems": systems, "examples": msgs[:: max(1, len(msgs) // 12)][:12],
               "wall_s": round(time.perf_counter() - t0, 1)}
    od = Path(args.out)
    od.mkdir(parents=True, exist_ok=True)
    (od / f"typos_{args.dataset}.json").write_text(json.dumps(payload, indent=1))
    lines = [f"# Titles typed with a typo, {args.dataset} (seeds {args.seeds}, {len(msgs)} messages)", "",
             f"Command: `{command}` (commit {payload['machine']['commit']}, {payload['machine']['date']})", "",
             "| system | typo | titles linked right | messages with a film not written | messages with a person |",
             "|---|---|---|---|---|"]
    for name, res in systems.items():
        for kind, r in res.items():
            lines.append(f"| {name} | {kind} | {r['titles_linked']:.1%} | {r['wrong_title_messages']:.1%} | "
                         f"{r['person_messages']:.1%} |")
    lines += ["", "Typo kinds: two neighbouring letters swapped, a letter dropped, a letter doubled, a letter replaced "
                  "(never a word's first letter, only in words of 4+ letters); half the titles all lowercase."]
    (od / f"typos_{args.dataset}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
