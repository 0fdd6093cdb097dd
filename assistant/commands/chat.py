"""`recassist ask "..." [--json]` and `recassist chat`: the assistant in a terminal.

This is an edge: OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL, RECASSIST_LLM, RECASSIST_CHROMA_URL and
RECASSIST_DB_URL (a PostgreSQL session/feedback database instead of the SQLite file) are read here and nowhere else.
Chat commands: "why N", "like N", "dislike N", "seen N", "not N", "more", "start over", "forget me",
"onboard", "skip", "profile" (the session's state as JSON), "quit". `ask --session S` continues the
conversation S (its state is saved after every turn); `ask --json` prints the reply and the state.
"""

from __future__ import annotations

import json
import os
import re
import sys
import uuid


def register(sub) -> None:
    for name, fn, helptext in (("ask", ask, "one question; prints the reply (or JSON)"),
                               ("chat", chat, "interactive terminal chat")):
        p = sub.add_parser(name, help=helptext)
        if name == "ask":
            p.add_argument("text", help="what you want, e.g. \"something like Alien but funnier\"")
            p.add_argument("--json", action="store_true", help="print the Reply as JSON")
        p.add_argument("--dataset", default="ml-100k")
        p.add_argument("--session", default=None, help="session id: its state is saved, so the next call continues it")
        p.add_argument("--feedback-db", default=None, help="session/feedback SQLite file (default artifacts/<dataset>/"
                       "feedback.sqlite; ignored when $RECASSIST_DB_URL names a database)")
        add_assistant_options(p)
        p.set_defaults(func=fn)


def add_assistant_options(p) -> None:
    """--backend/--mode/--model/-k, read by config_from_args (shared with `recassist serve`)."""
    p.add_argument("--backend", choices=["llama_cpp", "openai", "none"], default=None,
                   help="LLM backend (default $RECASSIST_LLM, else openai if $OPENAI_BASE_URL, else llama_cpp)")
    p.add_argument("--mode", choices=["plan", "native"], default="plan", help="native = create_agent tool calling")
    p.add_argument("--model", default=None, help="a .gguf path or a model name for llama_cpp")
    p.add_argument("-k", type=int, default=5, help="cards per reply")


def config_from_args(args):
    from pathlib import Path

    from assistant.config import AssistantConfig

    base_url = os.environ.get("OPENAI_BASE_URL")
    llm = args.backend or os.environ.get("RECASSIST_LLM") or ("openai" if base_url else "llama_cpp")
    kw = {}
    if args.model:
        kw["model_path" if args.model.endswith(".gguf") else "model_name"] = Path(args.model) if args.model.endswith(".gguf") else args.model
    return AssistantConfig(dataset=args.dataset, home=args.paths.home, llm=llm, mode=args.mode, base_url=base_url,
                           api_key=os.environ.get("OPENAI_API_KEY", "not-needed"),
                           openai_model=os.environ.get("OPENAI_MODEL", "local"),
                           chroma_url=os.environ.get("RECASSIST_CHROMA_URL") or None, k=args.k,
                           db_url=os.environ.get("RECASSIST_DB_URL") or None,
                           feedback_db=Path(args.feedback_db) if getattr(args, "feedback_db", None) else None, **kw)


def render(reply) -> str:
    out = [reply.text]
    if reply.options:
        out += [f"  [{i}] {o}" for i, o in enumerate(reply.options, 1)]
    return "\n".join(out)


def ask(args) -> int:
    from assistant.build import build_assistant

    a = build_assistant(config_from_args(args))
    sid = args.session or f"cli-{uuid.uuid4().hex[:8]}"
    reply = a.respond(sid, args.text)  # the session's state is saved: the next `ask --session` continues it
    if args.json:
        print(json.dumps({**reply.to_dict(), "session": sid, "state": a.profile(sid)}, indent=2, ensure_ascii=False))
    else:
        print(render(reply))
        if not args.session:
            print(f"(session {sid}: add --session {sid} to continue this conversation)", file=sys.stderr)
    return 0


_CMD = re.compile(r"^\s*(like|dislike|seen|not)\s+(\d{1,2})\s*$", re.I)


def chat(args) -> int:
    from assistant.build import build_assistant

    a = build_assistant(config_from_args(args))
    sid = args.session or f"cli-{uuid.uuid4().hex[:8]}"
    print(f"recassist chat (session {sid}, backend {a.backend_name}). Type 'quit' to leave, 'onboard' for questions.")
    kinds = {"like": "like", "dislike": "dislike", "seen": "seen", "not": "not_interested"}
    while True:
        try:
            text = input("> ").strip()
        except EOFError:
            return 0
        if text.lower() in ("quit", "exit", ":q"):
            return 0
        if text.lower() == "onboard":
            print(render(a.start_onboarding(sid)))
            continue
        if text.lower() == "profile":
            print(json.dumps(a.profile(sid), indent=2, ensure_ascii=False))
            continue
        m = _CMD.match(text)
        cards = a.sessions.get(sid).cards
        if m and 1 <= int(m.group(2)) <= len(cards):
            print(render(a.feedback(sid, cards[int(m.group(2)) - 1], kinds[m.group(1).lower()])))
            continue
        try:
            print(render(a.respond(sid, text)))
        except Exception as e:  # keep the chat alive on expected errors
            from catalog.types import RecassistError

            if not isinstance(e, RecassistError):
                raise
            print(f"error: {e}", file=sys.stderr)
