"""`recassist serve`: the Gradio chat UI over the real assistant.

Binds to 127.0.0.1 by default. Binding anywhere else (0.0.0.0, a LAN address,
a hostname) is refused unless basic auth is given with --auth user:pass or the
RECASSIST_AUTH env var (read here, at the edge). Analytics are off. LLM options
and env vars are the same as `recassist chat`.
What it does not do: build artifacts (`recassist build`) or fetch models.
"""

from __future__ import annotations

import ipaddress
import os

from catalog.types import RecassistError


class ServeError(RecassistError):
    pass


def register(sub) -> None:
    p = sub.add_parser("serve", help="chat UI in the browser (Gradio) on a local port")
    p.add_argument("--dataset", default="ml-100k", help="dataset name or BYO directory (default ml-100k)")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1; others need --auth)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:pass for HTTP basic auth (default: env RECASSIST_AUTH); required off loopback")
    from assistant.commands.chat import add_assistant_options

    add_assistant_options(p)
    p.set_defaults(func=serve)


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a hostname other than localhost may resolve anywhere


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:pass' -> ('user', 'pass'); None/'' -> None. The password may contain ':'."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ServeError("--auth / RECASSIST_AUTH must look like user:password (both non-empty)")
    return user, password


def check_bind(host: str, auth: tuple[str, str] | None) -> None:
    if not is_loopback(host) and auth is None:
        raise ServeError(
            f"refusing to serve on {host!r} without a password: anyone on the network could use it. "
            "Pass --auth user:password (or set RECASSIST_AUTH), or bind to 127.0.0.1"
        )


def config_from_args(args):
    """AssistantConfig from the command line and the same env vars as `recassist chat` (one definition, there)."""
    from assistant.commands.chat import config_from_args as from_chat_args

    return from_chat_args(args)


def serve(args) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    auth = parse_auth(args.auth or os.environ.get("RECASSIST_AUTH"))
    check_bind(args.host, auth)  # before the slow part
    from assistant.build import build_assistant
    from assistant.ui.app import build_app, launch_app

    assistant = build_assistant(config_from_args(args))
    print(f"recassist UI on http://{args.host}:{args.port}  ({assistant.backend_name})", flush=True)
    launch_app(build_app(assistant), host=args.host, port=args.port, auth=auth, block=True)
    return 0
