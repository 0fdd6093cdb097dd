"""`recassist eval dialogue`: simulated users vs the assistant and a Chat-Rec-style baseline.

Both systems answer the same held-out targets for each seed, in one process,
with the same LLM backend; results go to docs/results/dialogue_<dataset>.{json,md}.
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from pathlib import Path


def register_eval(s) -> None:
    """Add `dialogue` to the `eval` subcommand group (created in assistant.commands.scorer)."""
    d = s.add_parser("dialogue", help="simulated-user dialogue evaluation: hit@10/hit@5/turns vs a Chat-Rec baseline")
    d.add_argument("--dataset", default="ml-100k")
    d.add_argument("--targets", type=int, default=200, help="held-out targets per seed")
    d.add_argument("--seeds", type=int, default=3)
    d.add_argument("--max-turns", type=int, default=5)
    d.add_argument("--llm", default="llama_cpp", choices=["llama_cpp", "none"], help="backend for both systems")
    d.add_argument("--no-baseline", action="store_true")
    d.add_argument("--no-intro", action="store_true",
                   help="template intro sentence instead of the LLM's (the cards, which decide hits, are the same)")
    d.add_argument("--json", action="store_true")
    d.add_argument("--out", default="docs/results", help="directory for JSON + markdown ('' to skip)")
    d.set_defaults(func=run)


def run(args) -> int:
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig
    from simulation.dialogue import ChatRecBaseline, evaluate, write_report

    with tempfile.TemporaryDirectory() as tmp:
        cfg = AssistantConfig(dataset=args.dataset, home=args.paths.home, llm=args.llm, k=10,
                              feedback_db=Path(tmp) / "feedback.sqlite",
                              **({"answer_max_tokens": 0} if args.no_intro else {}))
        assistant = build_assistant(cfg)
        systems = {"recassist": assistant}
        if not args.no_baseline:
            if assistant.index is None:
                print("note: no vector index, Chat-Rec baseline skipped", file=sys.stderr)
            else:
                systems["chat-rec"] = ChatRecBaseline(assistant.index, assistant.catalog, llm=assistant.backend)
        result = evaluate(systems, assistant.dataset, args.targets, list(range(args.seeds)), args.max_turns)
    result["llm"] = assistant.backend_name + (" (plan only; template intro)" if args.no_intro and args.llm != "none" else "")
    command = "recassist " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    if args.out:
        md = write_report(result, Path(args.out), f"{assistant.dataset.name}_{'rules' if args.llm == 'none' else 'llm'}", command)
        print(f"wrote {md}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0
