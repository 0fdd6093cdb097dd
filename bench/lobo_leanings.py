"""Leave one batch out: the genre-leaning model's part in the open-request results, scored on development splits
as if each batch were unseen by it.

The leaning model (assistant/dialogue/leanings.py) is trained on every development split, so a development split's
ordinary result is in-sample for it. Here each split is run with a model trained without that split
(bench_open_requests.py --lean-without-split), in arms side by side (--arms, the first is the base):
  off   leanings only where the rules read nothing else (as before 2026-12-06): --lean-beside none
  on    also beside the moods the rules read, as half of the fit (496db09): --lean-beside moods
  open  also beside any mood, quality, audience, rating or length the rules read: --lean-beside open
  quality  "on", and the quality leaning where the rules read no quality word: --lean-quality on
  dated    "quality", and the question "which years?" where no year was read but the wording leans to dating the
           films (the dated model; as shipped): --lean-dated on
(the arms before "quality" run with --lean-quality off; every arm but "dated" with --lean-dated off)
The rules themselves were written on these splits, so both arms are in-sample for the rules; the comparison is
fair between the arms, not a held-out figure. Held-out figures: bench/pool_open_requests.py.

    python bench/lobo_leanings.py --dataset ml-100k [--splits dev,dev2] [--arms off,on] [--jobs 2]

    python bench/lobo_leanings.py --dataset ml-100k --arms quality,dated --system recassist+answer

Writes docs/results/lobo_leanings_<dataset>[_<arm>...][_answered].{json,md} (no arm suffix for off,on): pooled hard and soft card
shares per arm, soft by request category, and the requests whose share went up or down against the first arm.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "open_requests"
ARMS = {"off": ["--lean-beside", "none", "--lean-quality", "off", "--lean-dated", "off"],
        "on": ["--lean-beside", "moods", "--lean-quality", "off", "--lean-dated", "off"],
        "open": ["--lean-beside", "open", "--lean-quality", "off", "--lean-dated", "off"],
        "quality": ["--lean-beside", "moods", "--lean-quality", "on", "--lean-dated", "off"],
        "dated": ["--lean-beside", "moods", "--lean-quality", "on", "--lean-dated", "on"]}


def dev_splits() -> list[str]:
    n = sorted(int(p.stem[3:]) for p in DATA.glob("dev*.jsonl") if p.stem[3:].isdigit())
    return ["dev"] + [f"dev{i}" for i in n]


def run_one(split: str, dataset: str, arm: str, out: Path, system: str = "recassist") -> dict:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(ROOT / "bench" / "bench_open_requests.py"), "--split", split, "--dataset", dataset,
           "--out", str(out), "--lean-without-split"] + ARMS[arm]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    return json.loads((out / f"open_requests_{dataset}_{split}.json").read_text())["per_case"][system]


def pool(runs: dict[str, dict], cases: dict[str, dict]) -> dict:
    """Card-weighted shares over every split (as bench/pool_open_requests.py counts them)."""
    t, cat = Counter(), defaultdict(Counter)
    for cid, r in runs.items():
        c, n = cases[cid], len(r["cards"])
        if not n:
            t["hard_requests_without_cards"] += c.get("hard") is not None
            continue
        if c.get("hard") is not None:
            t["hard_cards"] += n
            t["hard_ok"] += r["hard"] * n
        if c.get("soft") is not None:
            t["soft_cards"] += n
            t["soft_ok"] += r["soft"] * n
            cat[c["category"]]["cards"] += n
            cat[c["category"]]["ok"] += r["soft"] * n
    return {"hard_card_share": round(t["hard_ok"] / max(t["hard_cards"], 1), 4), "hard_cards": t["hard_cards"],
            "soft_card_share": round(t["soft_ok"] / max(t["soft_cards"], 1), 4), "soft_cards": t["soft_cards"],
            "hard_requests_without_cards": t["hard_requests_without_cards"],
            "soft_by_category": {k: round(v["ok"] / v["cards"], 4) for k, v in sorted(cat.items())}}


def main() -> None:
    from bench.common import machine

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--splits", default="", help="comma-separated development splits (default: all)")
    ap.add_argument("--arms", default="off,on", help=f"comma-separated, of {', '.join(ARMS)}; the first is the base")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--system", default="recassist", choices=["recassist", "recassist+answer"],
                    help="which system's cards to pool: recassist (a question gets no cards) or recassist+answer (the "
                         "simulated user answers the assistant's questions, bench/plain_answers.py)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "results")
    a = ap.parse_args()
    splits = a.splits.split(",") if a.splits else dev_splits()
    if any(not s.startswith("dev") for s in splits):
        raise SystemExit("development splits only")
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="lobo-leanings-"))
    arm_names = a.arms.split(",")
    if len(arm_names) < 2 or any(x not in ARMS for x in arm_names):
        raise SystemExit(f"--arms: two or more of {', '.join(ARMS)}")
    jobs = [(s, arm) for s in splits for arm in arm_names]
    with ThreadPoolExecutor(a.jobs) as ex:
        got = dict(zip(jobs, ex.map(lambda j: run_one(j[0], a.dataset, j[1], tmp / j[1], a.system), jobs)))
    cases = {c["id"]: c for s in splits for c in map(json.loads, (DATA / f"{s}.jsonl").read_text().splitlines())}
    arms = {arm: pool({cid: r for (s, ar), run in got.items() if ar == arm for cid, r in run.items()}, cases)
            for arm in arm_names}
    changed = {}
    for arm in arm_names[1:]:
        ch = changed[arm] = {"cards": 0, "soft_up": [], "soft_down": [], "hard_up": [], "hard_down": []}
        for s in splits:
            base, other = got[(s, arm_names[0])], got[(s, arm)]
            for cid in base:
                ch["cards"] += base[cid]["cards"] != other[cid]["cards"]
                for k in ("soft", "hard"):
                    x, y = base[cid][k], other[cid][k]
                    if x is not None and y is not None and x != y:
                        ch[f"{k}_{'up' if y > x else 'down'}"].append(cid)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    command = " ".join(["python", "bench/lobo_leanings.py"] + sys.argv[1:])
    out = {"command": command, "commit": commit, "machine": machine(), "dataset": a.dataset, "system": a.system,
           "splits": splits,
           "arms": arms, "changed": changed, "wall_s": round(time.perf_counter() - t0, 1)}
    a.out.mkdir(parents=True, exist_ok=True)
    name = f"lobo_leanings_{a.dataset}" + ("" if arm_names == ["off", "on"] else "_" + "_".join(arm_names)) \
        + ("" if a.system == "recassist" else "_answered")
    (a.out / f"{name}.json").write_text(json.dumps(out, indent=1) + "\n")
    cats = sorted(arms[arm_names[0]]["soft_by_category"])
    md = [f"# Leaning model, leave one batch out ({a.dataset}, {len(splits)} development splits)", "",
          f"Command: `{command}` (commit {commit}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
          "Each split scored with the leaning model trained without it. off: leanings only where the rules read "
          "nothing else; on: also beside the moods the rules read; open: also beside any mood, quality, "
          "audience, rating or length; quality: on, and the quality leaning where no quality word is read; dated: "
          "quality, and \"which years?\" asked where no year was read but the wording leans to dating the films (as "
          f"shipped). In-sample for the rules in every arm. Cards of the system {a.system}"
          + (" (the simulated user answers the assistant's questions)." if a.system != "recassist" else "."),
          "", "| arm | hard: cards ok | soft: cards ok | hard-constrained, no cards | " + " | ".join(cats) + " |",
          "|---|---|---|---|" + "---|" * len(cats)]
    for arm, r in arms.items():
        md.append(f"| {arm} | {r['hard_card_share']:.2%} of {r['hard_cards']} | {r['soft_card_share']:.2%} of "
                  f"{r['soft_cards']} | {r['hard_requests_without_cards']} | "
                  + " | ".join(f"{r['soft_by_category'][c]:.1%}" for c in cats) + " |")
    md.append("")
    for arm, ch in changed.items():
        md.append(f"{arm} against {arm_names[0]}: requests whose cards changed {ch['cards']}; soft share up "
                  f"{len(ch['soft_up'])}, down {len(ch['soft_down'])}; hard share up {len(ch['hard_up'])}, down "
                  f"{len(ch['hard_down'])}.")
    md.append("")
    (a.out / f"{name}.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
