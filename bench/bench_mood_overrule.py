"""How often a mood the rules read is wrong when a batch of requests first meets them, and whether the learned leaning
can tell: a rule that drops such a mood ("overrule"), measured and not shipped.

Every development batch was fitted after its first run, so today's rules read the development requests almost
without error and cannot show when a rule-read mood should be distrusted. The first runs can: each batch dev7..dev21
was run once at the commit before it was read (docs/results/open_requests_ml-100k_<split>_first.json, whose
machine.commit names it). This script

  --collect  checks out each such commit in a temporary git worktree and records what its rules read for that batch
             (act, moods, genres named and refused) -> docs/results/first_run_moods.json (development texts only;
             the old code runs on this machine's home, the catalog and index of today's build);
  (default)  labels each first-run mood read of a request whose criteria name genres (and that named no genre):
             right when the mood's genres (catalog.facets.MOODS) meet the criterion's genres. The leaning model
             (assistant.dialogue.leanings) is trained without the batch, as a new batch meets it, and for a grid of
             bars the script counts the mood reads `overruled` drops (the wording leans to none of the mood's
             genres, each below `low`, and to another genre at `high` or more), how many of them were wrong, and how
             often the leaning read instead meets the criterion's genres.

The rule was wired into the assistant at 94b95bb (Understander._overrule, at low 0.1 / high 0.3) and taken out
again: held out its cards barely moved, and on the development splits scored with each batch left out of the leaning
model (bench/lobo_leanings.py, today's rules) it lowered the soft share (docs/results/open_requests_summary.md).

    python bench/bench_mood_overrule.py --collect   # about 40 s a batch
    python bench/bench_mood_overrule.py             # -> docs/results/mood_overrule.{json,md}

It does not run the assistant's replies: what the cards showed with the rule wired in was measured at 94b95bb by
bench/lobo_leanings.py (arm "overrule") and on held out by bench/bench_open_requests.py. Held-out splits are never
read here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "open_requests"
RESULTS = ROOT / "docs" / "results"
READINGS = RESULTS / "first_run_moods.json"
GRID_IN = (0.05, 0.1, 0.15, 0.2, 0.3)
GRID_OUT = (0.3, 0.4, 0.5)
TRIED = (0.1, 0.3)  # the bars wired in at 94b95bb


def overruled(model, p: dict[str, float], mood: str, skip: set[str], low: float, high: float) -> bool:
    """Whether a wording's probabilities `p` (from the leaning model `model`) overrule `mood`: it leans to none of the
    mood's genres (each below `low`) and to another genre (`high` or more) that is not refused (`skip`)."""
    from catalog.facets import MOODS

    own = set(MOODS[mood].genres)
    return (max((p.get(g, 0.0) for g in own), default=0.0) < low
            and bool(model.read_probabilities(p, own | set(skip), threshold=high)))


# run inside a worktree at an old commit: that commit's rules read one development batch
_CHILD = r"""
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, ".")
from assistant.build import build_assistant
from assistant.cli import paths_from_env
from assistant.config import AssistantConfig
from assistant.dialogue.nlu import Context
split, cases_path = sys.argv[1:3]
a = build_assistant(AssistantConfig(home=paths_from_env().home, dataset="ml-100k", llm="none",
                                    feedback_db=Path(tempfile.mkdtemp()) / "fb.sqlite"))
out = {}
for line in open(cases_path):
    c = json.loads(line)
    u = a.nlu.understand(c["text"], Context())
    e = u.entities
    out[c["id"]] = {"act": u.act, "moods": list(e.moods), "genres": list(e.genres),
                    "not_genres": list(e.not_genres)}
print(json.dumps(out))
"""


def first_runs() -> dict[str, str]:
    """split -> the commit of its first run (the rules before the batch was read)."""
    out = {}
    for p in sorted(RESULTS.glob("open_requests_ml-100k_dev*_first.json")):
        split = p.stem[len("open_requests_ml-100k_"):-len("_first")]
        out[split] = json.loads(p.read_text())["machine"]["commit"]
    return out


def collect() -> dict:
    got = {}
    for split, commit in first_runs().items():
        wt = Path(tempfile.mkdtemp(prefix=f"first-{split}-"))
        add = subprocess.run(["git", "worktree", "add", "-q", "--detach", str(wt), commit], cwd=ROOT,
                             capture_output=True, text=True)
        if add.returncode:
            print(f"{split}: commit {commit} is not in this clone ({add.stderr.strip()}); skipped")
            continue
        try:
            p = subprocess.run([sys.executable, "-c", _CHILD, split, str(DATA / f"{split}.jsonl")], cwd=wt,
                               capture_output=True, text=True)
            if p.returncode:
                raise RuntimeError(f"{split} at {commit}:\n{p.stderr[-2000:]}")
            got[split] = {"commit": commit, "read": json.loads(p.stdout.strip().splitlines()[-1])}
            print(split, commit, sum(bool(r["moods"]) for r in got[split]["read"].values()), "mood reads")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT, capture_output=True)
    READINGS.write_text(json.dumps(got, indent=1) + "\n")
    return got


def analyse() -> dict:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from assistant.dialogue import leanings as L
    from catalog.facets import MOODS

    got = json.loads(READINGS.read_text())
    paths = paths_from_env()
    a = build_assistant(AssistantConfig(home=paths.home, dataset="ml-100k", llm="none",
                                        feedback_db=Path(tempfile.mkdtemp()) / "fb.sqlite"))
    embedder = a.nlu.leanings.embedder
    rows = L.training_rows()
    reads = []  # one per first-run mood read: its labels and the left-out model's probabilities
    for split, g in got.items():
        model = L.Leanings.train([r for r in rows if r["source"] != split], embedder,
                                 cache=paths.artifacts("ml-100k") / "lobo" / f"leaning_vectors_{split}.npz")
        for line in (DATA / f"{split}.jsonl").read_text().splitlines():
            c = json.loads(line)
            r = g["read"].get(c["id"])
            want = L.criterion_genres(c.get("soft")) | L.criterion_genres(c.get("hard"))
            if not r or not r["moods"] or r["genres"] or not want or r["act"] != "recommend":
                continue
            p = model.probabilities(c["text"])
            for m in r["moods"]:
                reads.append({"split": split, "id": c["id"], "mood": m, "right": bool(set(MOODS[m].genres) & want),
                              "want": sorted(want), "skip": r["not_genres"], "p": p, "model": model})
    grid = []
    for t_in in GRID_IN:
        for t_out in GRID_OUT:
            fired = [x for x in reads if overruled(x["model"], x["p"], x["mood"], x["skip"], t_in, t_out)]
            # what ranks instead: the leaning at the bar beside moods (none of the dropped mood's genres reach it)
            lean_right = sum(bool(set(x["model"].read_probabilities(x["p"], set(x["skip"]), threshold=t_out))
                                  & set(x["want"])) for x in fired)
            grid.append({"overrule_in": t_in, "overrule_out": t_out, "fires": len(fired),
                         "fired_wrong": sum(not x["right"] for x in fired), "fired_right": sum(x["right"] for x in fired),
                         "leaning_meets_criterion": lean_right})
    return {"n_mood_reads": len(reads), "wrong": sum(not x["right"] for x in reads),
            "batches": {s: g["commit"] for s, g in got.items()}, "grid": grid,
            "per_read": [{k: v for k, v in x.items() if k not in ("p", "model")} for x in reads]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--collect", action="store_true", help="read each batch with its first run's rules first")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.collect or not READINGS.exists():
        collect()
    res = analyse()
    from bench.common import machine

    res = {"command": "python bench/bench_mood_overrule.py" + (" --collect" if args.collect else ""),
           "machine": machine(), **res, "wall_s": round(time.perf_counter() - t0, 1)}
    (RESULTS / "mood_overrule.json").write_text(json.dumps(res, indent=1) + "\n")
    lines = ["# mood_overrule", "", f"Command: `{res['command']}`", "",
             f"Machine: {res['machine']['cpu']}, commit {res['machine']['commit']}, {res['machine']['date']}", "",
             f"{res['n_mood_reads']} mood reads of development requests as each batch first met the rules "
             f"({', '.join(f'{s} at {c}' for s, c in res['batches'].items())}); {res['wrong']} of them name no genre "
             "the request's criteria ask for. Leaning model trained without the batch. In bold the bars tried in the "
             f"assistant at 94b95bb (low {TRIED[0]}, high {TRIED[1]}; not shipped).", "",
             "| low | high | mood reads dropped | of them wrong | leaning instead meets the criterion |",
             "|---|---|---|---|---|"]
    for g in res["grid"]:
        mark = "**" if (g["overrule_in"], g["overrule_out"]) == TRIED else ""
        lines.append(f"| {mark}{g['overrule_in']}{mark} | {mark}{g['overrule_out']}{mark} | {g['fires']} | "
                     f"{g['fired_wrong']} | {g['leaning_meets_criterion']} |")
    (RESULTS / "mood_overrule.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
