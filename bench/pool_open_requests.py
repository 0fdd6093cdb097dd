"""Pool the open-request results of every held-out split into one card-weighted figure per system and dataset.

Reads the per-case results that bench/bench_open_requests.py wrote (docs/results/open_requests_<dataset>_<split>.json;
the first held-out split is open_requests_<dataset>.json) and, from tests/data/open_requests/<split>.jsonl, only
whether each request has a hard and a soft criterion (never its text). A request counts for "hard" when it has a hard
criterion and got cards; its cards count one each. Counted apart: the requests with a hard criterion and no cards, the
requests with only a soft criterion and no cards (no card of theirs counts in the soft share), the requests answered
with a question instead of cards (how long a film may be; older runs did not record it), and the offers to leave a part
of a request out when nothing matched. `recassist+yes` (runs from 2026-12-06 on) is
the same replies with the user's "yes" to every offer; `recassist+answer` (from 2026-12-07) the same replies with a
simulated user's plain answer to every question (which years, how long: bench/plain_answers.py), and the questions
the criterion did not need counted apart.

    python bench/pool_open_requests.py --dir docs/results --tag 4b8a980 --write
    python bench/pool_open_requests.py --dir <docs/results of an older commit> --upto heldout15

`--tag T` prefers open_requests_<dataset>_<split>_T.json (and open_requests_<dataset>_T.json) where a split's headline
file is kept from an older run. `--write` writes docs/results/open_requests_pooled_<T>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "open_requests"
# recassist+yes: runs from 2026-12-06 on; recassist+answer: from 2026-12-07 (a plain answer to each question)
SYSTEMS = ("recassist", "recassist+yes", "recassist+answer", "filter+pop", "semantic")


def held_out_splits() -> list[str]:
    n = sorted(int(p.stem[7:]) for p in DATA.glob("heldout*.jsonl") if p.stem[7:].isdigit())
    return ["heldout"] + [f"heldout{i}" for i in n]


def result_file(d: Path, ds: str, split: str, tag: str | None) -> Path:
    base = f"open_requests_{ds}" + ("" if split == "heldout" else f"_{split}")
    tagged = d / f"{base}_{tag}.json"
    return tagged if tag and tagged.exists() else d / f"{base}.json"


def pool(d: Path, ds: str, splits: list[str], tag: str | None) -> dict:
    out = {}
    for name in SYSTEMS:
        hard_ok = hard_cards = soft_ok = soft_cards = all_ok = with_hard = no_cards = requests = questions = offers = 0
        asked_kinds: dict[str, int] = {}
        unneeded = 0  # (recassist+answer) questions the request's criterion did not need
        soft_only_no_cards = 0  # requests with only a soft criterion that got no cards (their soft share counts nothing)
        runs = [json.loads(result_file(d, ds, split, tag).read_text())["per_case"] for split in splits]
        if not all(name in run for run in runs):  # a system older runs did not have
            continue
        for split, run in zip(splits, runs):
            per_case = run[name]
            has = {c["id"]: (c.get("hard") is not None, c.get("soft") is not None)
                   for c in map(json.loads, (DATA / f"{split}.jsonl").read_text().splitlines())}
            for cid, r in per_case.items():
                requests += 1
                n = len(r["cards"])
                if r.get("asked_kind"):
                    asked_kinds[r["asked_kind"]] = asked_kinds.get(r["asked_kind"], 0) + 1
                unneeded += r.get("needed") is False
                if not n:
                    no_cards += has[cid][0]
                    soft_only_no_cards += has[cid][1] and not has[cid][0]
                    questions += bool(r.get("asked"))  # a question instead of cards (older runs did not record it: counted 0)
                    offers += bool(r.get("offered"))  # nothing matched; leaving a part out was offered
                    continue
                if has[cid][0]:
                    hard_ok, hard_cards, with_hard = hard_ok + r["hard"] * n, hard_cards + n, with_hard + 1
                    all_ok += r["hard"] >= 1
                if has[cid][1]:
                    soft_ok, soft_cards = soft_ok + r["soft"] * n, soft_cards + n
        out[name] = {"requests": requests, "hard_cards": hard_cards, "hard_card_share": hard_ok / hard_cards,
                     "hard_requests": with_hard, "hard_requests_all_ok": all_ok, "soft_cards": soft_cards,
                     "soft_card_share": soft_ok / soft_cards, "hard_requests_without_cards": no_cards,
                     "soft_only_requests_without_cards": soft_only_no_cards,
                     "questions_asked": questions, "relaxations_offered": offers,
                     "questions_by_kind": dict(sorted(asked_kinds.items())), "asked_without_need": unneeded}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=ROOT / "docs" / "results")
    ap.add_argument("--tag", default=None)
    ap.add_argument("--write", action="store_true", help="write docs/results/open_requests_pooled_<tag>.{json,md}")
    ap.add_argument("--upto", default=None, help="the last held-out split to pool (e.g. heldout15, for an older run)")
    a = ap.parse_args()
    splits = held_out_splits()
    if a.upto:
        splits = splits[:splits.index(a.upto) + 1]
    res = {ds: pool(a.dir, ds, splits, a.tag) for ds in ("ml-100k", "ml-1m")}
    header = ["dataset", "system", "hard: cards ok", "requests all ok", "soft: cards ok",
              "hard-constrained requests with no cards", "soft-only requests with no cards", "questions instead of cards",
              "offers to leave a part out", "questions by kind (answered: of them not needed)"]
    rows = [[ds, name, f"{100 * r['hard_card_share']:.1f}% of {r['hard_cards']}",
             f"{r['hard_requests_all_ok']} / {r['hard_requests']}", f"{100 * r['soft_card_share']:.1f}% of {r['soft_cards']}",
             r["hard_requests_without_cards"], r["soft_only_requests_without_cards"], r["questions_asked"],
             r["relaxations_offered"],
             ", ".join(f"{k} {v}" for k, v in r["questions_by_kind"].items())
             + (f" ({r['asked_without_need']} not needed)" if name == "recassist+answer" else "")] for ds, systems in res.items() for name, r in systems.items()]
    for row in rows:
        print(" | ".join(str(c) for c in row))
    if a.write:
        from bench.common import write

        cmd = "python bench/pool_open_requests.py " + " ".join(
            f"--{k} {v}" for k, v in (("dir", a.dir), ("tag", a.tag), ("upto", a.upto)) if v) + " --write"
        write(f"open_requests_pooled_{a.tag or 'headline'}", {"splits": splits, "results_tag": a.tag, "results": res},
              rows, header, cmd, notes=f"Every held-out split pooled ({len(splits)} splits); results tag "
                                      f"{a.tag or '(headline files)'}.")


if __name__ == "__main__":
    main()
