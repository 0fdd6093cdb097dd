"""Open requests ("feel-good movie for a rainy sunday", "best films of 1994", "for my 6 year old", "no
horror please", "black and white films"): does each reply's list meet the request?

Cases and criteria: tests/data/open_requests/{dev,heldout,dev2,dev3}.jsonl, judged by bench/open_criteria.py
(written before the mapping that serves them; heldout is for reporting only). One new session per case.

Systems, same cases, same run:
  recassist        the assistant as shipped (rules route; --llm adds the local LLM's intro sentence)
  today            the assistant at the commit before open requests (--today-commit), in a git worktree
  semantic         Chroma over the request text alone, top 5
  recassist+yes    the same replies, and where nothing matched and leaving a part of the request out was offered,
                   the user's "yes" and the cards it brings
  recassist+answer the same replies, and where the assistant asked instead of showing cards (which years? how
                   long?), a simulated user's plain answer from the request's criterion (bench/plain_answers.py)
                   and the cards it brings; a question the criterion did not need is answered "any year is fine"
                   and counted as asked without need
  filter+pop       the hard constraints recassist understood (genres, years, people, exclusions,
                   audience, runtime, Oscar count; "or" between genres or people, and a genre needed beside
                   them, as recassist reads them; seen titles removed), ordered by popularity

Measures per system: share of cards meeting the hard criterion (goal 100%) and the soft one (goal
>= 90%), requests whose cards equal the generic list ("recommend something" in an empty session) while
they had a matchable part, honest "I could not match X" for parts without data, seen titles shown.
With --llm: the intro sentences' false claims, measured by an independent detector
(bench/claim_detector.py) on the raw LLM text before the reply checker and on what reached the user.

Usage:
  .venv/bin/python bench/bench_open_requests.py --split heldout --dataset ml-100k [--llm] [--today-commit cd891dd
      --today-home DIR]
  DIR: a home that `recassist build` at the today commit wrote (its artifacts are in that commit's format; the
  current home's may not load there). Default: this home.
Writes docs/results/open_requests_<dataset>[_<split>].{json,md}.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY_RUNNER = r"""
import json, sys
from pathlib import Path
from assistant.build import build_assistant
from assistant.config import AssistantConfig
home, dataset, cases_path, out_path, fb = sys.argv[1:6]
a = build_assistant(AssistantConfig(home=Path(home), dataset=dataset, llm="none", feedback_db=Path(fb)))
with open(out_path, "w") as out:
    for line in open(cases_path):
        c = json.loads(line)
        r = a.respond("today-" + c["id"], c["text"])
        out.write(json.dumps({"id": c["id"], "cards": [x.item_id for x in r.cards], "text": r.text}) + "\n")
"""


def load_cases(split: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / f"tests/data/open_requests/{split}.jsonl").read_text().splitlines()
            if line.strip()]


def matchable(case: dict) -> bool:
    return case.get("hard") is not None or case.get("soft") is not None


def run_today(commit: str, home: Path, dataset: str, cases_file: Path) -> dict[str, dict]:
    """Replies of the assistant at `commit` (a temporary git worktree) over the artifacts in `home`."""
    wt = Path(tempfile.mkdtemp(prefix="recassist-today-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(wt), commit], cwd=ROOT, check=True, capture_output=True)
    try:
        out = wt / "replies.jsonl"
        subprocess.run([sys.executable, "-c", TODAY_RUNNER, str(home), dataset, str(cases_file), str(out),
                        str(wt / "fb.sqlite")], cwd=wt, check=True, env={**__import__("os").environ, "PYTHONPATH": str(wt)})
        return {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT, capture_output=True)


def all_met(row: dict, case: dict) -> bool:
    """Every card meets the request's hard and soft criteria."""
    j = row["judged"]
    return ((case.get("hard") is None or j["hard_share"] == 1.0)
            and (case.get("soft") is None or j["soft_share"] == 1.0))


def summarise(rows: list[dict], cases: list[dict]) -> dict:
    by_id = {c["id"]: c for c in cases}
    hard = [c for r in rows for c in r["judged"]["cards"] if by_id[r["id"]].get("hard") is not None]
    soft = [c for r in rows for c in r["judged"]["cards"] if by_id[r["id"]].get("soft") is not None]
    nd = [v for r in rows for v in r["judged"]["no_data"].values()]
    return {
        "n_requests": len(rows),
        "requests_without_cards": sum(r["judged"]["n_cards"] == 0 for r in rows),
        "hard_card_share": round(sum(c["hard"] for c in hard) / len(hard), 4) if hard else None,
        "hard_requests_all_ok": round(float(statistics.mean(r["judged"]["hard_all"] for r in rows
                                                            if by_id[r["id"]].get("hard") is not None)), 4),
        "soft_card_share": round(sum(c["soft"] for c in soft) / len(soft), 4) if soft else None,
        "generic_fallbacks": sum(r["generic"] for r in rows if matchable(by_id[r["id"]])),
        # of those, the ones whose cards miss a criterion: the request was ignored, not met by the popular films
        # anyway (a request that only refuses something, "no musicals", is met by a list without musicals)
        "generic_fallbacks_unmet": sum(r["generic"] and not all_met(r, by_id[r["id"]]) for r in rows
                                       if matchable(by_id[r["id"]])),
        "no_data_declined": round(sum(nd) / len(nd), 4) if nd else None,
        "seen_shown": sum(bool(r["judged"]["seen_shown"]) for r in rows),
        "questions_asked": sum(bool(r.get("asked")) and r["judged"]["n_cards"] == 0 for r in rows),  # no cards: a question instead
        # nothing matched, and leaving a part out was offered (with "recassist+yes" the offer was taken: cards)
        "relaxations_offered": sum(bool(r.get("offered")) for r in rows),
        # questions by kind ("which_years", "how_long"), and (recassist+answer) the ones the criterion did not need
        "questions_by_kind": dict(sorted(collections.Counter(r["asked_kind"] for r in rows if r.get("asked_kind")).items())),
        "asked_without_need": sum(r.get("needed") is False for r in rows),
    }


def main() -> None:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from bench.claim_detector import false_claims
    from bench.common import machine
    from bench.open_criteria import CatalogStats, check_case
    from bench.plain_answers import ANSWERED, answer
    from tools import search_items
    from tools.state import SessionState

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--split", default="heldout", choices=["dev", "heldout", "dev2", "dev3", "dev4", "heldout2", "dev5", "heldout3", "dev6", "heldout4", "dev7", "heldout5", "dev8", "heldout6", "dev9", "heldout7", "dev10", "heldout8", "dev11", "heldout9", "dev12", "heldout10", "dev13", "heldout11", "dev14", "heldout12", "dev15", "heldout13", "dev16", "heldout14", "dev17", "heldout15", "dev18", "heldout16", "dev19", "heldout17", "dev20", "heldout18", "dev21", "heldout19", "dev22", "heldout20", "dev23", "heldout21", "dev24", "heldout22", "dev25", "heldout23", "dev26", "heldout24", "dev27", "heldout25", "dev28", "heldout26", "dev29", "heldout27"])
    ap.add_argument("--llm", action="store_true", help="also run with the local LLM writing the intro (false claims)")
    ap.add_argument("--today-commit", default="", help="also run the assistant at this commit (today's behaviour)")
    ap.add_argument("--today-home", type=Path, default=None,
                    help="the home `recassist build` at --today-commit wrote (default: this home)")
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    ap.add_argument("--show", action="store_true", help="print each request's cards (dev only)")
    ap.add_argument("--lean-without-split", action="store_true",
                    help="retrain the leaning model (genres, quality and dated) without this split's rows (a development "
                         "split scored as unseen by the learned part; bench/lobo_leanings.py)")
    ap.add_argument("--lean-beside", choices=["none", "moods", "open"], default="moods",
                    help="where leanings are read beside what the rules read (assistant.dialogue.nlu.Understander): "
                         "none (only where nothing else is read), moods (as shipped), open (any mood, quality, "
                         "audience, rating or length)")
    ap.add_argument("--lean-quality", choices=["on", "off"], default="on",
                    help="read whether the wording wants films critics rate where the rules read no quality word "
                         "(the quality leaning, as shipped: on)")
    ap.add_argument("--lean-dated", choices=["on", "off"], default="on",
                    help="ask which years where no year was read but the wording leans to dating the films (the "
                         "dated model, leanings.DATED; as shipped: on)")
    args = ap.parse_args()
    paths = paths_from_env()
    cases = load_cases(args.split)
    t_start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="open-requests-"))
    systems: dict[str, dict[str, dict]] = {}  # system -> case id -> {"cards": [ids], "text": str}

    a = build_assistant(AssistantConfig(home=paths.home, dataset=args.dataset, llm="none",
                                        feedback_db=tmp / "fb.sqlite"))
    if args.lean_without_split:
        if args.split.startswith("heldout"):
            raise SystemExit("--lean-without-split is for development splits (held-out rows are never training rows)")
        from assistant.dialogue.leanings import Leanings, training_rows

        rows = [r for r in training_rows() if r["source"] != args.split]
        a.nlu.leanings = Leanings.train_all(rows, a.nlu.leanings.embedder,
                                        cache=paths.artifacts(args.dataset) / "lobo" / f"leaning_vectors_{args.split}.npz")
    a.nlu.lean_beside = args.lean_beside
    a.nlu.lean_quality = args.lean_quality == "on"
    a.nlu.lean_dated = args.lean_dated == "on"
    cat = a.catalog
    stats = CatalogStats.from_dataset(a.dataset)
    generic = set(c.item_id for c in a.respond("generic", "recommend something").cards)
    rec, semantic, fpop, yes, answered = {}, {}, {}, {}, {}
    for c in cases:
        r = a.respond(c["id"], c["text"])
        # (a question instead of cards: "how long have you got?" where time was said that no length was read from)
        rec[c["id"]] = {"cards": [x.item_id for x in r.cards], "text": r.text, "asked": r.question is not None}
        semantic[c["id"]] = {"cards": [h.item_id for h in a.index.search(c["text"], None, k=5)], "text": ""}
        s = a.sessions.get(c["id"])
        q = s.request
        base = SessionState("fpop-" + c["id"], seen=list(s.seen), liked=list(s.liked), disliked=list(s.disliked))
        ctx = a._ctx(base)
        res = search_items.run(ctx, search_items.SearchItemsArgs(
            genres=q.genres, people=q.people, year_min=q.year_min, year_max=q.year_max, decades=q.decades,
            countries=q.countries, languages=q.languages, not_genres=q.not_genres, not_people=q.not_people,
            audience=q.audience, rated=q.rated, runtime_min=q.runtime_min, runtime_max=q.runtime_max,
            oscars_min=q.oscars_min, any_genre="genres" in q.any_of, any_person="people" in q.any_of,
            core_genres=q.core_genres, k=2000))
        pool = base.candidates if base.candidates is not None else list(cat.ids)
        pool = [i for i in ctx.popular_first(pool) if i not in set(q.excluded) | base.blocked()] if res.ok or res.ids is None else []
        fpop[c["id"]] = {"cards": pool[:5], "text": ""}
        # nothing matched and parts to leave out were offered ("without X, 12 titles match: say yes"): the user says yes
        offered = bool(s.pending and s.pending.get("kind") == "relax")
        rec[c["id"]]["offered"] = offered
        yes[c["id"]] = rec[c["id"]]
        if offered:
            r2 = a.respond(c["id"], "yes")
            yes[c["id"]] = {"cards": [x.item_id for x in r2.cards], "text": r2.text, "offered": True}
        # a question instead of cards ("which years?", "how long?"): the user answers it (bench/plain_answers.py)
        p = (s.pending or {}) if r.question is not None else {}
        kind = p.get("kind", "")
        # "which_years (learned)": asked because the dated model read the wording as dating the films, not from words
        # of it (leanings.DATED)
        learned = kind == "which_years" and p.get("dated_guess") and not p.get("unread_years")
        rec[c["id"]]["asked_kind"] = kind + (" (learned)" if learned else "")
        answered[c["id"]] = rec[c["id"]]
        said_all, needed_all, k = [], [], kind
        while k in ANSWERED and len(said_all) < 2:  # (a length, then years, can both be asked: one answer each)
            said, needed = answer(k, c)
            said_all.append(said)
            needed_all.append(needed)
            r3 = a.respond(c["id"], said)
            answered[c["id"]] = {"cards": [x.item_id for x in r3.cards], "text": r3.text, "asked": r3.question is not None,
                                 "asked_kind": rec[c["id"]]["asked_kind"], "answer": " / ".join(said_all),
                                 "needed": all(needed_all)}
            k = (a.sessions.get(c["id"]).pending or {}).get("kind", "") if r3.question is not None else ""
        if args.show:
            print(c["id"], c["text"], "->", {k: v for k, v in q.__dict__.items() if v},
                  [cat[i].display_title for i in rec[c["id"]]["cards"]], r.text.split("\n")[-1][:120], file=sys.stderr)
    systems["recassist"], systems["semantic"], systems["filter+pop"] = rec, semantic, fpop
    systems["recassist+yes"] = yes  # the same replies, and "yes" to every offer to leave a part out
    systems["recassist+answer"] = answered  # the same replies, and a plain answer to every question asked

    llm_claims = None
    if args.llm:
        from assistant.llm import load_backend

        cfg = AssistantConfig(home=paths.home, dataset=args.dataset, llm="llama_cpp", llm_timeout_s=120,
                              feedback_db=tmp / "fb-llm.sqlite")
        b = build_assistant(cfg, backend=load_backend(cfg), dataset=a.dataset, kg=a.kg)
        raw_by_turn: list[str | None] = []
        original = b.writer.raw_intro

        def recording(sheet):
            out = original(sheet)
            raw_by_turn.append(out)
            return out

        b.writer.raw_intro = recording
        llm, raw_false, final_false, n_intros, n_llm_kept = {}, [], [], 0, 0
        for c in cases:
            raw_by_turn.clear()
            r = b.respond("llm-" + c["id"], c["text"])
            llm[c["id"]] = {"cards": [x.item_id for x in r.cards], "text": r.text}
            items = [cat[x.item_id] for x in r.cards]
            raw = raw_by_turn[-1] if raw_by_turn else None
            if raw and items:
                n_intros += 1
                raw_false.append({"id": c["id"], "text": raw, "problems": false_claims(raw, items, stats)})
                intro = r.text.split("\n")[0]
                n_llm_kept += r.backend != "template"
                final_false.append({"id": c["id"], "text": intro, "backend": r.backend,
                                    "problems": false_claims(intro, items, stats)})
        systems["recassist+llm"] = llm
        raw_bad = [x for x in raw_false if x["problems"]]
        final_bad = [x for x in final_false if x["problems"]]
        llm_claims = {"intros": n_intros, "llm_intros_kept": n_llm_kept,
                      "raw_with_false_claim": len(raw_bad),
                      "raw_false_claim_rate": round(len(raw_bad) / max(n_intros, 1), 4),
                      "final_with_false_claim": len(final_bad),
                      "final_false_claim_rate": round(len(final_bad) / max(n_intros, 1), 4),
                      "final_from_llm": sum(x["backend"] != "template" for x in final_bad),
                      "final_from_template": sum(x["backend"] == "template" for x in final_bad),
                      "raw_examples": raw_bad[:10], "final_examples": final_bad}

    if args.today_commit:
        cf = tmp / "cases.jsonl"
        cf.write_text("\n".join(json.dumps(c) for c in cases) + "\n")
        systems["today"] = run_today(args.today_commit, args.today_home or paths.home, args.dataset, cf)

    results, per_case = {}, {}
    for name, replies in systems.items():
        rows = []
        for c in cases:
            rep = replies[c["id"]]
            items = [cat[i] for i in rep["cards"] if i in cat]
            judged = check_case(c, items, rep["text"], stats)
            rows.append({"id": c["id"], "judged": judged, "generic": bool(items) and set(rep["cards"][:5]) == generic,
                         "asked": bool(rep.get("asked")), "offered": bool(rep.get("offered")),
                         "asked_kind": rep.get("asked_kind", ""), "answer": rep.get("answer"),
                         "needed": rep.get("needed")})
        results[name] = summarise(rows, cases)
        per_case[name] = {r["id"]: {"cards": [x["title"] for x in r["judged"]["cards"]],
                                    "hard": r["judged"]["hard_share"], "soft": r["judged"]["soft_share"],
                                    "no_data": r["judged"]["no_data"], "asked": r["asked"], "offered": r["offered"],
                                    **({"asked_kind": r["asked_kind"]} if r["asked_kind"] else {}),
                                    **({"answer": r["answer"], "needed": r["needed"]} if r["answer"] else {})}
                          for r in rows}
    main_sys = "recassist+llm" if args.llm else "recassist"
    m = results[main_sys]
    command = " ".join(["python", "bench/bench_open_requests.py"] + sys.argv[1:])
    payload = {
        "command": command, "machine": machine(), "dataset": args.dataset, "split": args.split, "n_cases": len(cases),
        "criterion_satisfied": {"hard_card_share": m["hard_card_share"], "soft_card_share": m["soft_card_share"],
                                "hard_requests_all_ok": m["hard_requests_all_ok"]},
        "generic_fallbacks": m["generic_fallbacks"],
        "generic_fallbacks_unmet": m["generic_fallbacks_unmet"],
        "false_claims": llm_claims,
        "no_data_declined": m["no_data_declined"],
        "systems": results, "wall_s": round(time.perf_counter() - t_start, 1), "per_case": per_case,
        "generic_list": sorted(cat[i].display_title for i in generic),
    }
    stem = f"open_requests_{args.dataset}" + ("" if args.split == "heldout" else f"_{args.split}")
    od = Path(args.out)
    od.mkdir(parents=True, exist_ok=True)
    (od / f"{stem}.json").write_text(json.dumps(payload, indent=1))
    lines = [f"# Open requests, {args.dataset}, {args.split} split ({len(cases)} requests)", "",
             f"Command: `{command}` (commit {payload['machine']['commit']}, {payload['machine']['date']})", "",
             "| system | hard: cards ok | hard: requests all ok | soft: cards ok | generic list (criteria unmet) | no-data said | "
             "seen shown | no cards (questions) | offers to leave a part out |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        f = lambda v: "–" if v is None else (f"{v:.1%}" if isinstance(v, float) else str(v))  # noqa: E731
        lines.append(f"| {name} | {f(r['hard_card_share'])} | {f(r['hard_requests_all_ok'])} | {f(r['soft_card_share'])} | "
                     f"{r['generic_fallbacks']} ({r['generic_fallbacks_unmet']}) | {f(r['no_data_declined'])} | {r['seen_shown']} | {r['requests_without_cards']} ({r['questions_asked']}) | {r['relaxations_offered']} |")
    qa = results["recassist+answer"]
    lines += ["", f"Questions instead of cards (recassist): {qa['questions_by_kind'] or 'none'}; answered by the simulated "
                  f"user in recassist+answer (bench/plain_answers.py), of which the criterion did not need "
                  f"{qa['asked_without_need']}."]
    if llm_claims:
        lines += ["", f"False claims in the intro sentence (independent detector, bench/claim_detector.py), "
                      f"{llm_claims['intros']} intros: raw LLM text {llm_claims['raw_with_false_claim']} "
                      f"({llm_claims['raw_false_claim_rate']:.1%}); after the reply checker "
                      f"{llm_claims['final_with_false_claim']} ({llm_claims['final_false_claim_rate']:.1%}: "
                      f"{llm_claims['final_from_llm']} LLM-phrased, {llm_claims['final_from_template']} template); "
                      f"LLM intros kept {llm_claims['llm_intros_kept']}."]
    (od / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
