"""`recassist` command line: the edge where env vars are read and errors become exit codes.

Subcommands live in assistant/commands/*.py. Expected failures (RecassistError)
print one actionable line to stderr and exit 2; bugs raise with a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from catalog.paths import Paths, default_home
from catalog.types import RecassistError


def edge_environment() -> None:
    """Offline-first defaults for third-party libraries, set before they are imported."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def paths_from_env(home: str | None = None) -> Paths:
    """The one place the data home is resolved: --home, else $RECASSIST_HOME, else ~/.cache/recassist.
    The CLI, the app, the benchmarks and the tests all call this."""
    return Paths(Path(home or os.environ.get("RECASSIST_HOME") or default_home()).expanduser())


def build_parser() -> argparse.ArgumentParser:
    from assistant.commands import MODULES

    parser = argparse.ArgumentParser(prog="recassist", description="Offline LLM-agent recommendation assistant.")
    parser.add_argument("--home", help="data/cache/artifact root (default $RECASSIST_HOME or ~/.cache/recassist)")
    sub = parser.add_subparsers(dest="command", required=True)
    for mod in MODULES:
        importlib.import_module(mod).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    edge_environment()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.paths = paths_from_env(args.home)
    try:
        return int(args.func(args) or 0)
    except RecassistError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
