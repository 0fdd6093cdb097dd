"""Helpers shared by benchmarks: machine facts, percentiles, writing JSON + a markdown table, reading the labelled
JSONL sets (and the held-out texts that training data must leave out)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent.parent / "docs" / "results"
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def jsonl(path: Path) -> list[dict]:
    """The rows of a JSONL file (blank lines skipped)."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def held_out_texts(nlu: bool = False) -> set[str]:
    """Every message text of the held-out open-request splits (and of the NLU held-out set with `nlu`): training rows
    written word for word as one of them are left out (dev2's D059 repeats a held-out request)."""
    files = [*(DATA / "open_requests").glob("heldout*.jsonl")] + ([DATA / "nlu" / "heldout.jsonl"] if nlu else [])
    return {row["text"] for f in files for row in jsonl(f)}


def machine() -> dict:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0], "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def pct(samples_ms: list[float]) -> dict:
    a = np.asarray(samples_ms, dtype=np.float64)
    return {"p50_ms": round(float(np.percentile(a, 50)), 3), "p95_ms": round(float(np.percentile(a, 95)), 3), "n": int(a.size)}


def write(name: str, payload: dict, table_rows: list[list], header: list[str], command: str, notes: str = "") -> Path:
    """Write docs/results/<name>.json and <name>.md (a table plus the command that produced it)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"command": command, "machine": machine(), **payload}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2))
    lines = [f"# {name}", "", f"Command: `{command}`", "", f"Machine: {payload['machine']['cpu']}, "
             f"{payload['machine']['cores']} cores, commit {payload['machine']['commit']}, {payload['machine']['date']}", ""]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in table_rows]
    if notes:
        lines += ["", notes]
    md = RESULTS / f"{name}.md"
    md.write_text("\n".join(lines) + "\n")
    return md
