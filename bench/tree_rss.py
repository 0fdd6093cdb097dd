"""Run a command and sample the resident memory of its whole process tree: an independent check of a build's peak.

`/usr/bin/time -v` and getrusage report the largest single process, so they cannot see a parent and a child
holding memory at the same time. This samples, every --interval seconds, the sum of VmRSS over the command's
process and all its descendants (Linux /proc), and writes {"cmd", "peak_tree_rss_gb", "peak_at_s",
"wall_s", "returncode", "samples": [[t, gb, n_procs], ...]} to --out (samples thinned to at most 2000).
A spike shorter than the interval can be missed, so the figure is a lower bound on the true peak.

    python bench/tree_rss.py --out docs/results/x.json -- recassist build --dataset /work/synth1m
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and parentheses
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_rss_gb(root: int) -> tuple[float, int]:
    """Sum of VmRSS (GB) over `root` and its descendants, and how many processes that was."""
    kids, todo, total, n = children_map(), [root], 0, 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])  # kB
                    n += 1
                    break
        except OSError:
            continue
    return total / 1024 ** 2, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("give the command after --")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    samples, peak, peak_at = [], 0.0, 0.0
    while proc.poll() is None:
        gb, n = tree_rss_gb(proc.pid)
        t = time.perf_counter() - t0
        samples.append([round(t, 1), round(gb, 3), n])
        if gb > peak:
            peak, peak_at = gb, t
        time.sleep(a.interval)
    step = max(1, len(samples) // 2000)
    out = {"cmd": cmd, "peak_tree_rss_gb": round(peak, 3), "peak_at_s": round(peak_at, 1),
           "wall_s": round(time.perf_counter() - t0, 1), "returncode": proc.returncode,
           "interval_s": a.interval, "samples": samples[::step]}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"peak tree RSS {peak:.2f} GB at {peak_at:.0f}s; wall {out['wall_s']:.0f}s; rc {proc.returncode}",
          file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
