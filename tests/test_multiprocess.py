"""Several app processes on one session and feedback store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.feedback_store import FeedbackStore

ROOT = Path(__file__).resolve().parents[1]


def test_a_new_store_file_waits_for_a_writer_instead_of_failing(tmp_path):
    """Switching a new file to WAL fails at once ("database is locked", no busy wait) while another connection
    writes to it in the old journal mode; the store waits for it (app processes that start together)."""
    path = tmp_path / "fb.sqlite"
    other = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t(x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # what SQLite itself does
        sqlite3.connect(str(path), isolation_level=None, timeout=5).execute("PRAGMA journal_mode=WAL")
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
    t0 = time.monotonic()
    store = FeedbackStore(path)
    assert time.monotonic() - t0 >= 0.3
    assert store.save_state("s", {"turn": 1}, expected=0) == 1
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_processes_opening_one_new_file_together(tmp_path):
    """Six processes open one new store file and write at the same moment, a few times over: none fails."""
    code = ("import sys, time; from pathlib import Path; from assistant.feedback_store import FeedbackStore\n"
            "t = float(sys.argv[2]) + float(sys.argv[3])\n"
            "while time.time() < t: pass\n"
            "s = FeedbackStore(Path(sys.argv[1]))\n"
            "for i in range(10): s.save_state('x', {'i': i}, events=[('seen', str(i), {})])\n")
    for round_ in range(3):
        db, start = tmp_path / f"fb{round_}.sqlite", time.time() + 3
        procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(start), f"0.00{i}"], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for i in range(6)]
        errors = [p.communicate(timeout=60)[1] for p in procs if p.wait(timeout=60) != 0]
        assert not errors, errors[0][-500:]
        assert FeedbackStore(db).version("x") == 60
