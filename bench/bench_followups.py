"""Follow-ups that add or change an open constraint ("something shorter", "nothing over 90 min pls", "older stuff?",
"ok but for my 8 year old", "only the well reviewed ones", "make it funnier"): do the cards after the follow-up
meet everything the user still wants?

Cases: tests/data/followups/{dev,heldout}.jsonl, 2-3 user turns each, written by a helper who read neither the
assistant nor its results (README there). Judged on the cards shown after the LAST turn:
  hard      an open_criteria predicate every card must meet: the constraints carried from earlier turns and the
            new one (bench/open_criteria.py)
  relative  {"runtime": "shorter"|"longer"} or {"year": "older"|"newer"}: every card strictly below / above the
            median of the cards shown after the previous turn (a card without the field fails)
  soft      the mood or quality meaning, as a share of the cards

Systems, same cases, same run:
  recassist        the whole conversation, as shipped (rules route)
  today            the same at --today-commit, in a git worktree
  last turn alone  only the follow-up, in a new session (what forgetting the conversation gives)
  more instead     the conversation with the follow-up replaced by "more" (the earlier request's next page)

Usage: .venv/bin/python bench/bench_followups.py --split dev --dataset ml-100k [--today-commit b910c4b] [--show]
Writes docs/results/followups_<dataset>_<split>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# plays each case's turns in one session and records the cards after the last two turns; run in-process and, for
# --today-commit, in a worktree of that commit (so it may only use the stable respond() API)
PLAYER = r"""
import json, sys
from pathlib import Path
from assistant.build import build_assistant
from assistant.config import AssistantConfig


def play(a, cases, system):
    out = {}
    for c in cases:
        turns = list(c["turns"])
        if system == "last turn alone":
            turns = turns[-1:]
        elif system == "more instead":
            turns = turns[:-1] + ["more"]
        prev, last = [], None
        for t in turns:
            prev = last.cards if last is not None else []
            last = a.respond(f"{system}-{c['id']}", t)
        out[c["id"]] = {"prev": [x.item_id for x in prev], "cards": [x.item_id for x in last.cards], "text": last.text}
    return out


if __name__ == "__main__":
    home, dataset, cases_path, out_path, fb = sys.argv[1:6]
    a = build_assistant(AssistantConfig(home=Path(home), dataset=dataset, llm="none", feedback_db=Path(fb)))
    cases = [json.loads(line) for line in open(cases_path) if line.strip()]
    Path(out_path).write_text(json.dumps(play(a, cases, "today")))
"""


def load_cases(split: str) -> list[dict]:
    path = ROOT / f"tests/data/followups/{split}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _field(item, key: str):
    from catalog.facets import runtime

    return runtime(item) if key == "runtime" else item.year


def relative_ok(item, relative: dict | None, prev_items: list) -> bool | None:
    """The card against the median of the previous turn's cards; None when the case has no relative criterion."""
    if not relative:
        return None
    (key, way), = relative.items()
    known = [v for v in (_field(p, key) for p in prev_items) if v]
    v = _field(item, key)
    if not known or not v:
        return False
    mid = statistics.median(known)
    return v < mid if way in ("shorter", "older") else v > mid


def judge(case: dict, items: list, prev_items: list, stats) -> dict:
    from bench.open_criteria import satisfies

    cards = [{"title": it.display_title, "hard": satisfies(it, case.get("hard"), stats),
              "relative": relative_ok(it, case.get("relative"), prev_items),
              "soft": None if case.get("soft") is None else satisfies(it, case["soft"], stats)} for it in items]
    ok = bool(cards) and all(c["hard"] and c["relative"] is not False for c in cards)
    return {"cards": cards, "all_ok": ok}


def summarise(rows: list[dict], cases: list[dict]) -> dict:
    by_id = {c["id"]: c for c in cases}

    def share(key: str, needs: str):
        v = [c[key] for r in rows for c in r["cards"] if by_id[r["id"]].get(needs) is not None]
        return round(sum(bool(x) for x in v) / len(v), 4) if v else None

    return {"n": len(rows), "requests_all_ok": round(float(statistics.mean(r["all_ok"] for r in rows)), 4),
            "hard_card_share": share("hard", "hard"), "relative_card_share": share("relative", "relative"),
            "soft_card_share": share("soft", "soft"), "no_cards": sum(not r["cards"] for r in rows)}


def run_today(commit: str, home: Path, dataset: str, cases: list[dict]) -> dict:
    wt = Path(tempfile.mkdtemp(prefix="recassist-today-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(wt), commit], cwd=ROOT, check=True, capture_output=True)
    try:
        (wt / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
        (wt / "player.py").write_text(PLAYER)
        subprocess.run([sys.executable, str(wt / "player.py"), str(home), dataset, str(wt / "cases.jsonl"),
                        str(wt / "out.json"), str(wt / "fb.sqlite")], cwd=wt, check=True,
                       env={**os.environ, "PYTHONPATH": str(wt)})
        return json.loads((wt / "out.json").read_text())
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT, capture_output=True)


def main() -> None:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from bench.common import machine
    from bench.open_criteria import CatalogStats

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--today-commit", default="", help="also play the conversations at this commit")
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    ap.add_argument("--show", action="store_true", help="print each failing case (dev only)")
    args = ap.parse_args()
    if args.show and args.split != "dev":
        raise SystemExit("--show is for the dev split: the held-out one is read as numbers only")
    t0 = time.perf_counter()
    cases = load_cases(args.split)
    home = paths_from_env().home
    tmp = Path(tempfile.mkdtemp(prefix="followups-"))
    a = build_assistant(AssistantConfig(home=home, dataset=args.dataset, llm="none", feedback_db=tmp / "fb.sqlite"))
    cat, stats = a.catalog, CatalogStats.from_dataset(a.dataset)
    ns: dict = {}
    exec(compile(PLAYER, "player", "exec"), ns)  # the same player the worktree runs
    systems = {s: ns["play"](a, cases, s) for s in ("recassist", "last turn alone", "more instead")}
    if args.today_commit:
        systems["today"] = run_today(args.today_commit, home, args.dataset, cases)
    results, per_case = {}, {}
    for name, replies in systems.items():
        rows = []
        for c in cases:
            rep = replies[c["id"]]
            j = judge(c, [cat[i] for i in rep["cards"] if i in cat], [cat[i] for i in rep["prev"] if i in cat], stats)
            rows.append({"id": c["id"], **j})
            if args.show and name == "recassist" and not j["all_ok"]:
                print(f"\n{c['id']} [{c['category']}] {c['turns']}\n  hard={c.get('hard')} rel={c.get('relative')} "
                      f"soft={c.get('soft')}\n  {rep['text'].splitlines()[0][:200]}\n  "
                      + "\n  ".join(f"{'H' if x['hard'] else '-'}{'R' if x['relative'] else ('-' if x['relative'] is False else '.')}"
                                    f" {x['title']}" for x in j["cards"]), file=sys.stderr)
        results[name] = summarise(rows, cases)
        per_case[name] = {r["id"]: {"cards": [x["title"] for x in r["cards"]], "all_ok": r["all_ok"]} for r in rows}
    command = " ".join(["python", "bench/bench_followups.py"] + sys.argv[1:])
    payload = {"command": command, "machine": machine(), "dataset": args.dataset, "split": args.split,
               "n_cases": len(cases), "systems": results, "per_case": per_case,
               "wall_s": round(time.perf_counter() - t0, 1)}
    od = Path(args.out)
    od.mkdir(parents=True, exist_ok=True)
    stem = f"followups_{args.dataset}_{args.split}"
    (od / f"{stem}.json").write_text(json.dumps(payload, indent=1))
    f = lambda v: "–" if v is None else (f"{v:.1%}" if isinstance(v, float) else str(v))  # noqa: E731
    lines = [f"# Follow-ups that add or change a constraint, {args.dataset}, {args.split} split ({len(cases)} conversations)",
             "", f"Command: `{command}` (commit {payload['machine']['commit']}, {payload['machine']['date']})", "",
             "| system | conversations all ok | hard: cards ok | relative: cards ok | soft: cards ok | no cards |",
             "|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {f(r['requests_all_ok'])} | {f(r['hard_card_share'])} | {f(r['relative_card_share'])} | "
                     f"{f(r['soft_card_share'])} | {r['no_cards']} |")
    (od / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
