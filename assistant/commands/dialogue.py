"""`recassist eval dialogue`: simulated users vs the assistant and baselines (issue #13).

Per seed the sampled targets are held out of the data, the KG, the fusion scorer (retrained,
cached under artifacts/<dataset>/eval_scorers/) and the baseline's popularity. recassist,
recassist-no-scorer and filter+popularity (plus chat-rec with --chat-rec) answer the same
simulated users in one process; results go to <out>/dialogue_<dataset>_<rules|llm>.{json,md}.
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from pathlib import Path


def register_eval(s) -> None:
    """Add `dialogue` to the `eval` subcommand group (created in assistant.commands.scorer)."""
    d = s.add_parser("dialogue", help="simulated-user dialogue evaluation: hit@10 by turn vs baselines, targets held out")
    d.add_argument("--dataset", default="ml-100k")
    d.add_argument("--profiles", default="vague,taste", help="comma-separated: vague, taste, facts")
    d.add_argument("--targets", type=int, default=None, help="targets per seed (default 200; 5 with --quick)")
    d.add_argument("--seeds", type=int, default=None, help="seeds 0..N-1 (default 3; 1 with --quick; --seed-list overrides)")
    d.add_argument("--seed-list", default=None, help="comma-separated seeds, e.g. 10,11,12")
    d.add_argument("--max-turns", type=int, default=5)
    d.add_argument("--llm", default="llama_cpp", choices=["llama_cpp", "none"], help="backend of the assistant")
    d.add_argument("--chat-rec", action="store_true", help="also run the Chat-Rec-style baseline (off by default)")
    d.add_argument("--quick", action="store_true", help="small smoke run: 5 targets, seed 0 (unless given)")
    d.add_argument("--no-intro", action="store_true",
                   help="template intro sentence instead of the LLM's (the cards, which decide hits, are the same)")
    d.add_argument("--transcripts", default=None, help="write every episode (utterances, shown ids) to this JSONL file")
    d.add_argument("--json", action="store_true")
    d.add_argument("--out", default="docs/results", help="directory for JSON + markdown ('' to skip)")
    d.set_defaults(func=run)


def _seeds(args) -> list[int]:
    if args.seed_list:
        return [int(x) for x in args.seed_list.split(",") if x.strip()]
    return list(range(args.seeds if args.seeds is not None else (1 if args.quick else 3)))


def run(args) -> int:
    from assistant.config import AssistantConfig
    from assistant.llm import load_backend
    from catalog import load_dataset_by_name
    from catalog.types import RecassistError
    from assistant.commands.scorer import commit_id
    from simulation.dialogue import evaluate, git_commit, held_out_systems, ratio_text, write_report
    from simulation.user import PROFILES

    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    bad = [p for p in profiles if p not in PROFILES]
    if bad or not profiles:
        raise RecassistError(f"unknown profile(s) {', '.join(bad) or '(none)'}; choose from {', '.join(PROFILES)}")
    n_targets = args.targets if args.targets is not None else (5 if args.quick else 200)
    seeds = _seeds(args)
    command = "recassist " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    commit, git = commit_id(), git_commit()  # before the run, as `eval accuracy` does (a commit made during it is not it)
    with tempfile.TemporaryDirectory() as tmp:
        # a throwaway SQLite store on purpose (db_url stays None, RECASSIST_DB_URL is not read): simulated users
        # must not write sessions into a real database
        cfg = AssistantConfig(dataset=args.dataset, home=args.paths.home, llm=args.llm, k=10,
                              feedback_db=Path(tmp) / "feedback.sqlite",
                              **({"answer_max_tokens": 0} if args.no_intro else {}))
        backend = load_backend(cfg)
        ds = load_dataset_by_name(args.dataset, args.paths)
        make = held_out_systems(ds, args.paths, cfg, backend=backend, chat_rec=args.chat_rec,
                                progress=sys.stderr.isatty())
        if args.transcripts:
            Path(args.transcripts).parent.mkdir(parents=True, exist_ok=True)
        sink = open(args.transcripts, "w", encoding="utf-8") if args.transcripts else None
        try:
            result = evaluate(make, ds, n_targets, seeds, profiles, max_turns=args.max_turns, k=cfg.k,
                              progress=sys.stderr.isatty(), verbose=True,
                              on_episode=(lambda e: sink.write(json.dumps(e) + "\n")) if sink else None)
        finally:
            if sink:
                sink.close()
    llm = "none (rules + templates)" if backend is None else getattr(backend, "name", args.llm)
    if args.no_intro and backend is not None:
        llm += " (plan only; template intro)"
    result = {"command": command, "commit": commit, "git": git, "dataset": ds.name, "llm": llm, **result}
    if args.out:
        md = write_report(result, Path(args.out), f"dialogue_{ds.name}_{'rules' if args.llm == 'none' else 'llm'}")
        print(f"wrote {md}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2, default=float))
    else:
        for profile, res in result["results"].items():
            for name, s in res["systems"].items():
                by_turn = " ".join(f"{v['mean']:.3f}" for v in s["hit@10_by_turn"])
                print(f"{profile:6s} {name:20s} hit@10 {s['hit@10']['mean']:.3f}±{s['hit@10']['std']:.3f}  "
                      f"by turn {by_turn}  mean turns {s['mean_turns']['mean']:.2f}  "
                      f"re-shown {s['reshown_cards']}  off-catalog {s['off_catalog_cards']}  errors {s['errors']}")
            for pair, r in res["ratios_hit@10"].items():
                print(f"{profile:6s} {pair}: {ratio_text(r)}")
    return 0
