"""Several app processes on one session and feedback store, for real: a `chroma run` server, two OS processes
wired by build_assistant (RECASSIST_CHROMA_URL, llm none) and one shared SQLite file; the turns of one session
alternate between the processes and some are sent to both at the same moment. A small version of
bench/bench_multiprocess.py, with the same checks (no lost update; the state one process reaches).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.feedback_store import FeedbackStore
from bench.bench_multiprocess import (
    check_session,
    compare,
    multiprocess_run,
    replay_run,
    start_chroma,
    start_workers,
    temp_home,
)

ROOT = Path(__file__).resolve().parents[1]

SCRIPTS = {
    "a": (0, [(0, "any sci-fi movies from the 80s?"), (1, "only from the 90s"), (0, "more"),
              ((0, 1), ("more", "more")), ((0, 1), ("i've seen Men in Black", "i've seen Jurassic Park")),
              (1, "more")]),
    "b": (1, [(0, "I loved Fargo, any crime thrillers?"), (1, "why 1"), (0, "i've seen Pulp Fiction"),
              ((0, 1), ("more", "i liked Heat"))]),
}


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


def test_the_checks_see_a_lost_update():
    """check_session on made-up records: two turns saved over the same version, a page shown twice."""
    def turn(i, text, version, pages, cards):
        return {"id": i, "session": "s", "text": text, "worker": "P0", "version": version, "pages": pages,
                "cards": cards, "last_page": cards, "error": None}

    turns = [turn(0, "a comedy", 1, 1, ["x", "y"]), turn(1, "more", 2, 2, ["z", "w"]), turn(2, "more", 2, 2, ["z", "w"])]
    state = {"turn": 2, "pages": [["x", "y"], ["z", "w"]], "shown": ["x", "y", "z", "w"], "seen": [], "liked": []}
    final = {"state": state, "version": 2, "events": [], "seen_titles": [], "liked_titles": []}
    problems = check_session("s", turns, final)
    assert any("row version 2 after 3 turns" in p for p in problems)
    assert any("saved versions [1, 2, 2]" in p for p in problems)
    assert any("'more'" in p and "added 0 pages" in p for p in problems)
    ok = check_session("s", turns[:2], final)
    assert ok == []
    state2 = {**state, "pages": [["x", "y"], ["y", "w"]], "shown": ["x", "y", "w"]}
    bad = check_session("s", [turn(0, "a comedy", 1, 1, ["x", "y"]), turn(1, "more", 2, 2, ["y", "w"])],
                        {**final, "state": state2})
    assert any("on two pages" in p for p in bad)


@pytest.mark.server
@pytest.mark.slow
def test_two_app_processes_on_one_session_against_chroma_run(paths, tmp_path):
    home = temp_home(paths.home, tmp_path / "home")
    try:
        chroma, url = start_chroma(home / "artifacts" / "ml-100k" / "chroma", tmp_path)
    except (OSError, RuntimeError, TimeoutError) as e:
        pytest.skip(f"`chroma run` could not start: {e}")
    workers = []
    try:
        env = {"RECASSIST_LLM": "none", "RECASSIST_CHROMA_URL": url, "OPENAI_BASE_URL": None, "RECASSIST_DB_URL": None}
        workers = start_workers(2, home, tmp_path / "shared.sqlite", tmp_path, env, "P", timeout=240)
        assert all(w.info["index"] and w.info["scorer"] and w.info["chroma_url"] == url for w in workers)
        assert workers[0].info["pid"] != workers[1].info["pid"]
        mp = multiprocess_run(workers, SCRIPTS, timeout=120)
        # the reference: one of the processes answers every session alone, on fresh session ids, in saved order
        ref = replay_run(workers[0], mp["turns"], SCRIPTS, timeout=120)
        problems = compare(SCRIPTS, mp, ref)
        assert problems == {"a": [], "b": []}, problems
        assert {t["worker"] for t in mp["turns"] if t["session"] == "a"} == {"P0", "P1"}
        assert len(mp["turns"]) == 13 and not any(t["error"] for t in mp["turns"] + ref["turns"])
        seen = mp["finals"]["a"]["seen_titles"]
        assert {"Men in Black (1997)", "Jurassic Park (1993)"} <= set(seen)  # both racing turns kept
        assert mp["stale_reads"] == []  # profile() in either process shows the stored state
    finally:
        for w in workers:
            w.close()
        from bench.bench_multiprocess import stop

        stop(chroma)
